package org.sgdstab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.sgdstab.analysis.ScanConfig;
import org.sgdstab.analysis.ScanResult;
import org.sgdstab.analysis.StabilityScanRun;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.InputException;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sgdstab stability}: the exact critical learning rate η*(B) over batch sizes, against the paper's bound. */
@Command(name = "stability", mixinStandardHelpOptions = true,
        description = "Exact critical learning rate η*(B) of linearised SGD for several batch sizes, with the paper's bound "
                + "sqrt(B/µ)/‖H‖_F and the GD threshold; writes stability.csv, rho.csv, critical_lr.png/.svg, rho.png/.svg "
                + "and summary.json.")
final class StabilityCommand implements Callable<Integer> {
    @Mixin
    ModelInputs inputs;
    @Option(names = "--batch-sizes", required = true, paramLabel = "B1,B2,...", description = "Batch sizes, e.g. 1,2,4,8.")
    String batchSizes;
    @Option(names = "--sampling", defaultValue = "with-replacement",
            description = "with-replacement, without-replacement, or epoch (treated as without) (default: ${DEFAULT-VALUE}).")
    String sampling;
    @Option(names = "--hessian", defaultValue = "auto",
            description = "‖H‖_F: exact, stochastic or auto (exact when p ≤ 4096) (default: ${DEFAULT-VALUE}).")
    String hessian;
    @Option(names = "--probes", defaultValue = "64", description = "Hutchinson probes for stochastic estimates (default: ${DEFAULT-VALUE}).")
    int probes;
    @Option(names = "--lr", paramLabel = "η", description = "Also report ρ(η) at this learning rate for every B.")
    Double lr;
    @Option(names = "--rho-points", defaultValue = "21", description = "ρ(η) grid points per B, each up to 50 second-moment map applications; 0: no grid (default: ${DEFAULT-VALUE}).")
    int rhoPoints;
    @Option(names = "--rho-span", defaultValue = "0.5", description = "The grid spans η*(1 ± span) (default: ${DEFAULT-VALUE}).")
    double rhoSpan;
    @Option(names = "--probe", defaultValue = "2048", description = "Largest probe set; bigger data sets are subsampled with --seed (default: ${DEFAULT-VALUE}).")
    int probe;
    @Option(names = "--seed", defaultValue = "0", description = "Seed for the probe subset and stochastic estimators (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--quiet", description = "Do not print a line per batch size.")
    boolean quiet;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The replayable configuration of one stability call. */
    record StabilityConfig(String model, String weights, String x, String y, int probe, ScanConfig scan) {
    }

    @Override
    public Integer call() {
        Options.requireAtLeast(probe, 1, "--probe");
        ScanConfig config = new ScanConfig(Options.positiveInts(batchSizes, "--batch-sizes"), Sampling.parse(sampling),
                CurvatureSummary.Method.parse(hessian), probes, rhoPoints, rhoSpan, lr, seed);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new InputException("--out " + out + " exists and is not a directory");
        }
        ModelInputs.Loaded loaded = inputs.load(seed);
        Dataset probeSet = loaded.data().probe(probe, new SplittableRandom(seed));
        config.requireFits(probeSet.size());
        StabilityConfig record = new StabilityConfig(inputs.model.toString(), String.valueOf(inputs.weights), inputs.x.toString(),
                inputs.y.toString(), probe, config);
        PrintWriter console = spec.commandLine().getOut();
        ScanResult result;
        try (Interruption stop = Interruption.install()) {
            result = StabilityScanRun.execute(loaded.model(), probeSet, config, out, Provenance.now("stability", seed, record), stop,
                    quiet ? null : row -> {
                        console.printf("B = %-6d η* = %-13.6g bound (Thm 3.3) = %-13.6g %s%n", row.batchSize(), row.criticalLr(),
                                row.boundThm33(), row.certified() ? "certified" : "not certified");
                        console.flush();
                    });
        }
        console.printf("%s: %d of %d batch sizes, GD threshold %.6g -> %s%n", result.status().label(), result.rows().size(),
                config.batchSizes().length, result.gdThreshold(), out);
        console.flush();
        return 0;
    }
}
