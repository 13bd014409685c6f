package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sgdstab.experiments.LinearizedConfig;
import org.sgdstab.experiments.LinearizedExperiment;
import org.sgdstab.experiments.NoiseModel;
import org.sgdstab.io.InputException;
import org.sgdstab.nn.Initializer;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sgdstab linearized}: linearised dynamics at a minimum under several noise models (the paper's Section 3.3). */
@Command(name = "linearized", mixinStandardHelpOptions = true,
        description = {"Simulate θ ← θ − η(∇L + ξ) on the model linearised at --weights from a random perturbation of loss ε, "
                + "with mini-batch, geometry-aware (Cov 2L·H/B), isotropic (2σ²L·I/B, σ² = Tr H/p) or bounded (σ_b²·H/B, σ_b² = 2ε) noise. "
                + "Writes curves.csv (Monte-Carlo mean and quantiles, exact E[L]), summary.json (growth factors, Monte-Carlo check) "
                + "and linearized.png/.svg; --model-sizes adds model_sizes.csv/.png."})
final class LinearizedCommand implements Callable<Integer> {
    @Mixin
    ModelInputs inputs;
    @Option(names = "--lr", required = true, paramLabel = "η", description = "Learning rate.")
    double lr;
    @Option(names = "--batch-size", required = true, paramLabel = "B", description = "Batch size.")
    int batchSize;
    @Option(names = "--sampling", defaultValue = "with-replacement",
            description = "Mini-batch scheme: with-replacement, without-replacement or epoch (default: ${DEFAULT-VALUE}).")
    String sampling;
    @Option(names = "--noise", defaultValue = "minibatch,geometry,isotropic,bounded",
            description = "Comma-separated noise models (default: ${DEFAULT-VALUE}).")
    String noise;
    @Option(names = "--trajectories", defaultValue = "200", paramLabel = "R", description = "Trajectories per noise model (default: ${DEFAULT-VALUE}).")
    int trajectories;
    @Option(names = "--steps", required = true, paramLabel = "T", description = "Steps per trajectory.")
    int steps;
    @Option(names = "--init-loss", defaultValue = "1e-6", paramLabel = "ε", description = "Loss of the starting perturbation (default: ${DEFAULT-VALUE}).")
    double initLoss;
    @Option(names = "--seed", required = true, description = "Root seed.")
    long seed;
    @Option(names = "--divergence-cap", defaultValue = "1e6", description = "A trajectory above this loss stops and counts as escaped (default: ${DEFAULT-VALUE}).")
    double divergenceCap;
    @Option(names = "--model-sizes", paramLabel = "W1,W2,...",
            description = "Also compare isotropic and geometry noise for these hidden widths (freshly initialised, η scaled to keep η·λ_max).")
    String modelSizes;
    @Option(names = "--jobs", paramLabel = "N", description = "Threads (default: all cores).")
    Integer jobs;
    @Option(names = "--quiet", description = "No summary on stdout.")
    boolean quiet;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The replayable configuration of one linearized call. */
    record LinearizedCall(String model, String weights, String x, String y, Double initSigma, LinearizedConfig config) {
    }

    @Override
    public Integer call() {
        List<NoiseModel> models = new ArrayList<>();
        for (String s : noise.split(",")) {
            models.add(NoiseModel.parse(s.trim(), "--noise"));
        }
        int[] sizes = modelSizes == null ? new int[0] : Options.positiveInts(modelSizes, "--model-sizes");
        LinearizedConfig cfg = new LinearizedConfig(lr, batchSize, Sampling.parse(sampling), models, trajectories, steps, initLoss, seed,
                divergenceCap, Options.jobs(jobs), sizes,
                LinearizedConfig.DEFAULT_MAX_APPLICATIONS);
        if (inputs.weights == null) {
            throw new InputException("--weights is required: the minimum to linearise at");
        }
        ModelInputs.Loaded loaded = inputs.load(seed);
        cfg.requireFits(loaded.data().size());
        Initializer init = inputs.initializer();
        Provenance provenance = Provenance.now("linearized", seed, new LinearizedCall(inputs.model.toString(), inputs.weights.toString(),
                inputs.x.toString(), inputs.y.toString(), inputs.initSigma, cfg));
        LinearizedExperiment.Result r;
        try (Interruption stop = Interruption.install()) {
            r = LinearizedExperiment.execute(loaded.model(), loaded.data(), cfg, init, out, provenance, stop);
        }
        if (!quiet) {
            var o = spec.commandLine().getOut();
            o.printf("%s: p=%d, rank %d, ‖H‖_F=%.4g, λ_max=%.4g (2/η=%.4g)%n", r.status(), r.p(), r.rank(), r.frobeniusH(), r.lambdaMax(), 2 / lr);
            for (LinearizedExperiment.NoiseRun run : r.runs()) {
                o.printf("  %-10s exact growth factor %.4g, fitted %s, final mean loss %.4g (exact %.4g)%n", run.model().cliName(),
                        run.growthFactor(), run.fit() == null ? "n/a" : String.format("%.4g", run.fit().factor()),
                        run.curves().mean()[steps], run.exact()[steps]);
            }
            if (r.agreement() != null) {
                o.printf("  minibatch Monte-Carlo vs exact: %.0f%% of %d steps within 3 s.e. -> %s%n", 100 * r.agreement().fractionWithin3(),
                        r.agreement().steps(), r.agreement().agrees() ? "agrees" : "DISAGREES");
            }
            o.printf("-> %s%n", out);
            o.flush();
        }
        return 0;
    }
}
