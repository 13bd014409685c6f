package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.nn.Model;
import org.sgdstab.train.AnalysisDiagnostics;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.TrainConfig;
import org.sgdstab.train.TrainRun;
import org.sgdstab.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sgdstab train}: SGD or GD with metrics, diagnostics and checkpoints. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train with SGD (with/without replacement, epoch) or GD on the square loss; writes metrics.csv, checkpoints, final.safetensors and run.json.")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ModelInputs inputs;
    @Option(names = "--optimizer", defaultValue = "sgd", description = "sgd or gd (default: ${DEFAULT-VALUE}).")
    String optimizer;
    @Option(names = "--sampling", defaultValue = "with-replacement",
            description = "with-replacement, without-replacement or epoch (default: ${DEFAULT-VALUE}).")
    String sampling;
    @Option(names = "--lr", required = true, paramLabel = "η", description = "Learning rate.")
    double lr;
    @Option(names = "--batch-size", defaultValue = "1", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--steps", required = true, description = "Number of updates.")
    long steps;
    @Option(names = "--seed", required = true, description = "Seed of the run (initialisation, batches, probe set).")
    long seed;
    @Option(names = "--log-every", defaultValue = "10", description = "Training loss every k steps (default: ${DEFAULT-VALUE}).")
    int logEvery;
    @Option(names = "--diagnostics-every", defaultValue = "0", description = "Diagnostics every k steps; 0: none (default: ${DEFAULT-VALUE}).")
    int diagnosticsEvery;
    @Option(names = "--probe", defaultValue = "2048", description = "Probe-set size for diagnostics when n is larger (default: ${DEFAULT-VALUE}).")
    int probe;
    @Option(names = "--hessian", defaultValue = "none", description = "Hessian in diagnostics: none, exact, stochastic or auto (default: ${DEFAULT-VALUE}).")
    String hessian;
    @Option(names = "--tol", defaultValue = "0", description = "Stop as converged when the loss reaches this (default: ${DEFAULT-VALUE}).")
    double tol;
    @Option(names = "--divergence-cap", defaultValue = "1e6", description = "Stop as diverged above this loss (default: ${DEFAULT-VALUE}).")
    double divergenceCap;
    @Option(names = "--checkpoint-every", defaultValue = "0", description = "Checkpoint every k steps; 0: only the final state (default: ${DEFAULT-VALUE}).")
    int checkpointEvery;
    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;
    @Option(names = "--out", required = true, description = "Output directory.")
    Path out;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        TrainConfig cfg = new TrainConfig(TrainConfig.Optimizer.parse(optimizer), Sampling.parse(sampling), lr, batchSize, steps, seed,
                logEvery, diagnosticsEvery, probe, tol, divergenceCap, checkpointEvery);
        CurvatureSummary.Method method = Options.hessian(hessian);
        ModelInputs.Loaded loaded = inputs.load(seed);
        cfg.requireFits(loaded.data().size());
        Trainer.Result result = run(loaded.model(), loaded.data(), cfg, method, out, quiet);
        spec.commandLine().getOut().printf("%s after %d steps, loss %.6g -> %s%n", result.status().label(), result.steps(),
                result.finalLoss(), out);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Runs with a progress bar and Ctrl-C handling; shared with {@code demo}. */
    static Trainer.Result run(Model model, Dataset data, TrainConfig cfg, CurvatureSummary.Method hessian, Path out, boolean quiet) {
        AnalysisDiagnostics diagnostics = null;
        if (cfg.diagnosticsEvery() > 0) {
            SplittableRandom root = new SplittableRandom(cfg.seed());
            root.split();
            Dataset probeSet = data.probe(cfg.probe(), root.split());
            AnalysisOptions opt = new AnalysisOptions(cfg.lr(), cfg.batchSize(), cfg.sampling() == Sampling.EPOCH
                    ? Sampling.WITHOUT_REPLACEMENT : cfg.sampling(), hessian, AnalysisOptions.DEFAULT_PROBES, 1, false, cfg.seed());
            diagnostics = new AnalysisDiagnostics(model, probeSet, opt);
        }
        try (Interruption stop = Interruption.install(); Progress progress = Progress.open("train", cfg.steps(), quiet)) {
            return TrainRun.execute(model, data, cfg, diagnostics, out, stop, progress);
        }
    }
}
