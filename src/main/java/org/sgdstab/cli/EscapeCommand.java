package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sgdstab.experiments.EscapeConfig;
import org.sgdstab.experiments.EscapeExperiment;
import org.sgdstab.io.InputException;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sgdstab escape}: GD to a minimum, then R SGD trajectories from it (the paper's Figures 4 and 5b). */
@Command(name = "escape", mixinStandardHelpOptions = true,
        description = {"Run GD at η to a minimum (or start from --weights), then R independent SGD trajectories with the same η and B "
                + "from it, recording the loss at every step. Writes trajectories.csv, curves.csv, summary.json (growth fit, "
                + "γ0, exact ρ(η), ‖H‖_F, µ, Theorem 3.3), minimum.safetensors and escape.png/.svg.",
                "Given --weights are polished by GD at η down to --gd-tol unless --skip-gd starts from them unchanged."})
final class EscapeCommand implements Callable<Integer> {
    @Mixin
    ModelInputs inputs;
    @Option(names = "--lr", required = true, paramLabel = "η", description = "Learning rate of GD and SGD.")
    double lr;
    @Option(names = "--batch-size", required = true, paramLabel = "B", description = "SGD batch size.")
    int batchSize;
    @Option(names = "--sampling", defaultValue = "with-replacement",
            description = "with-replacement, without-replacement or epoch (default: ${DEFAULT-VALUE}).")
    String sampling;
    @Option(names = "--trajectories", defaultValue = "200", paramLabel = "R", description = "Independent SGD trajectories (default: ${DEFAULT-VALUE}).")
    int trajectories;
    @Option(names = "--steps", required = true, paramLabel = "T", description = "SGD steps per trajectory.")
    int steps;
    @Option(names = "--seed", required = true, description = "Root seed (initialisation without --weights, probe set, trajectories).")
    long seed;
    @Option(names = "--gd-tol", defaultValue = "1e-8", description = "GD runs until the loss reaches this (default: ${DEFAULT-VALUE}).")
    double gdTol;
    @Option(names = "--gd-max-steps", defaultValue = "100000", description = "GD step limit (default: ${DEFAULT-VALUE}).")
    long gdMaxSteps;
    @Option(names = "--skip-gd", description = "Start the trajectories from --weights unchanged.")
    boolean skipGd;
    @Option(names = "--divergence-cap", defaultValue = "1e6", description = "A trajectory above this loss stops and counts as escaped (default: ${DEFAULT-VALUE}).")
    double divergenceCap;
    @Option(names = "--jobs", paramLabel = "N", description = "Threads for the trajectories (default: all cores).")
    Integer jobs;
    @Option(names = "--fit-window", defaultValue = "0", description = "Last step of the growth-rate fit; 0: automatic (default: ${DEFAULT-VALUE}).")
    int fitWindow;
    @Option(names = "--levels", defaultValue = "1e-4,1e-3,1e-2,1e-1,1",
            description = "Loss levels for the first step at which the mean reaches them (default: ${DEFAULT-VALUE}).")
    String levels;
    @Option(names = "--hessian", defaultValue = "none",
            description = "‖H‖_F at the minimum: none (use ‖G‖_F, equal at a global minimum), exact, stochastic or auto (default: ${DEFAULT-VALUE}).")
    String hessian;
    @Option(names = "--probe", defaultValue = "2048", description = "Largest probe set for the analysis at the minimum (default: ${DEFAULT-VALUE}).")
    int probe;
    @Option(names = "--quiet", description = "No summary line on stdout.")
    boolean quiet;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The replayable configuration of one escape call. */
    record EscapeCall(String model, String weights, String x, String y, EscapeConfig config) {
    }

    @Override
    public Integer call() {
        EscapeConfig cfg = new EscapeConfig(lr, batchSize, Sampling.parse(sampling), trajectories, steps, seed, gdTol, gdMaxSteps,
                skipGd, divergenceCap, Options.jobs(jobs), fitWindow,
                Options.numbers(levels, "--levels"), Options.hessian(hessian), probe);
        if (skipGd && inputs.weights == null) {
            throw new InputException("--skip-gd needs --weights (the minimum to start from)");
        }
        ModelInputs.Loaded loaded = inputs.load(seed);
        cfg.requireFits(loaded.data().size());
        Provenance provenance = Provenance.now("escape", seed, new EscapeCall(inputs.model.toString(), String.valueOf(inputs.weights),
                inputs.x.toString(), inputs.y.toString(), cfg));
        EscapeExperiment.Result r;
        try (Interruption stop = Interruption.install()) {
            r = EscapeExperiment.execute(loaded.model(), loaded.data(), cfg, out, provenance, stop);
        }
        if (!quiet) {
            var o = spec.commandLine().getOut();
            // γ0 is undefined where µ is (an exact fit, L = 0); the summary says why.
            String gamma0 = Double.isNaN(r.gamma0()) ? "undefined (µ is undefined)" : String.format("%.4g", r.gamma0());
            o.printf("%s: GD %s after %d steps (loss %.3g); %d of %d trajectories escaped; γ0 = %s, ρ(η) = %.4g; mean-log-loss growth %s -> %s%n",
                    r.status(), r.gd().status(), r.gd().steps(), r.gd().loss(), r.escapedCount(), trajectories, gamma0,
                    r.analysis().stability() == null ? Double.NaN : r.analysis().stability().rhoAtLr(),
                    r.fitMeanLog() == null ? "n/a" : String.format("%.4g/step", r.fitMeanLog().factor()), out);
            o.flush();
        }
        return 0;
    }
}
