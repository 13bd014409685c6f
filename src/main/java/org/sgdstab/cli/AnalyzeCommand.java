package org.sgdstab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.sgdstab.analysis.Analysis;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.analysis.Analyzer;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.InputException;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sgdstab analyze}: noise geometry, curvature and stability at given parameters. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Noise alignment (α, β, µ, µ1, µ2, γ, τ), Fisher and Hessian norms, the paper's bounds and the exact critical learning rate at given weights.")
final class AnalyzeCommand implements Callable<Integer> {
    @Mixin
    ModelInputs inputs;
    @Option(names = "--lr", required = true, paramLabel = "η", description = "Learning rate at which bounds and stability are evaluated.")
    double lr;
    @Option(names = "--batch-size", required = true, paramLabel = "B", description = "SGD batch size B.")
    int batchSize;
    @Option(names = "--sampling", defaultValue = "with-replacement",
            description = "Scheme for critical_lr: with-replacement or without-replacement (default: ${DEFAULT-VALUE}).")
    String sampling;
    @Option(names = "--hessian", defaultValue = "auto",
            description = "Hessian quantities: exact, stochastic, auto (exact when p ≤ 4096) or none (default: ${DEFAULT-VALUE}).")
    String hessian;
    @Option(names = "--probes", defaultValue = "64", description = "Hutchinson probes for stochastic estimates (default: ${DEFAULT-VALUE}).")
    int probes;
    @Option(names = "--top-k", defaultValue = "3", description = "Top Hessian eigenvalues to report (default: ${DEFAULT-VALUE}).")
    int topK;
    @Option(names = "--no-critical-lr", description = "Skip the exact critical learning rate (the O(n³) second-moment map).")
    boolean noCriticalLr;
    @Option(names = "--probe", defaultValue = "2048", description = "Largest probe set; bigger data sets are subsampled with --seed (default: ${DEFAULT-VALUE}).")
    int probe;
    @Option(names = "--seed", defaultValue = "0", description = "Seed for probe subsets and stochastic estimators (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--format", defaultValue = "json", description = "Output on stdout: json or text (default: ${DEFAULT-VALUE}).")
    String format;
    @Option(names = "--out", paramLabel = "FILE", description = "Also write the JSON to this file.")
    Path out;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The replayable configuration of one analyze call. */
    record AnalyzeConfig(String model, String weights, String x, String y, int probe, AnalysisOptions options) {
    }

    @Override
    public Integer call() {
        if (!format.equals("json") && !format.equals("text")) {
            throw new InputException("--format: unknown value '" + format + "' (expected json or text)");
        }
        Options.requireAtLeast(probe, 1, "--probe");
        Sampling scheme = Sampling.parse(sampling);
        CurvatureSummary.Method method = Options.hessian(hessian);
        AnalysisOptions options = new AnalysisOptions(lr, batchSize, scheme, method, probes, topK, !noCriticalLr, seed);
        ModelInputs.Loaded loaded = inputs.load(seed);
        Dataset probeSet = loaded.data().probe(probe, new SplittableRandom(seed));
        if (scheme != Sampling.WITH_REPLACEMENT && batchSize > probeSet.size()) {
            throw new InputException("--batch-size " + batchSize + " exceeds n = " + probeSet.size() + " without replacement");
        }
        Analysis analysis = Analyzer.analyze(loaded.model(), probeSet, options);
        AnalyzeConfig config = new AnalyzeConfig(inputs.model.toString(), String.valueOf(inputs.weights), inputs.x.toString(),
                inputs.y.toString(), probe, options);
        String json = Json.write(analysis.toJson(Provenance.now("analyze", seed, config)));
        if (out != null) {
            try {
                AtomicFiles.writeString(out, json);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + out, e);
            }
        }
        spec.commandLine().getOut().print(format.equals("json") ? json : analysis.toText());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
