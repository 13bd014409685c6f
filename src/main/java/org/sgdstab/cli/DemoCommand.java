package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.sgdstab.analysis.Analysis;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.analysis.Analyzer;
import org.sgdstab.data.Dataset;
import org.sgdstab.data.DatasetFiles;
import org.sgdstab.data.SyntheticConfig;
import org.sgdstab.data.SyntheticData;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelPresets;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.TrainConfig;
import org.sgdstab.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sgdstab demo}: the whole pipeline with built-in defaults. Generates a teacher–student
 * regression task, trains a tanh MLP with SGD while tracking the alignment factors, then
 * analyses the end point (noise geometry, Hessian, bounds, exact critical learning rate).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate data, train a small MLP with SGD and print its noise/curvature/stability diagnostics.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--steps", defaultValue = "3000", description = "SGD steps (default: ${DEFAULT-VALUE}).")
    long steps;
    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The demo's fixed setup. */
    static final int N = 200;
    static final int D = 10;
    static final int WIDTH = 32;
    static final double LR = 0.05;
    static final int BATCH = 10;

    @Override
    public Integer call() throws Exception {
        Options.requireAtLeast(steps, 1, "--steps");
        var console = spec.commandLine().getOut();
        SyntheticConfig dataCfg = new SyntheticConfig(SyntheticConfig.InputKind.GAUSSIAN, N, D, null,
                SyntheticConfig.Teacher.MLP_TANH, 16, 1, 0.0, seed);
        Dataset data = SyntheticData.generate(dataCfg);
        var meta = Json.object();
        meta.set("provenance", Json.tree(Provenance.now("demo data", seed, dataCfg)));
        DatasetFiles.write(this.out.resolve("data"), data, meta);
        var layers = ModelPresets.mlp(D, new int[] {WIDTH, WIDTH}, "tanh", 1);
        AtomicFiles.writeString(this.out.resolve("model.json"), ModelSpec.toJson(layers));
        Model model = new Initializer.TorchDefault().initialize(layers, new SplittableRandom(seed).split());
        console.printf("demo: n=%d, d=%d, MLP %d-%d-%d-1 tanh (p=%d), SGD lr=%s B=%d for %d steps -> %s%n", N, D, D, WIDTH, WIDTH,
                model.parameterCount(), LR, BATCH, steps, this.out);
        console.flush();
        TrainConfig cfg = new TrainConfig(TrainConfig.Optimizer.SGD, Sampling.WITH_REPLACEMENT, LR, BATCH, steps, seed,
                50, (int) Math.max(1, steps / 10), 2048, 0.0, 1e6, 0);
        Trainer.Result result = TrainCommand.run(model, data, cfg, null, this.out.resolve("train"), quiet);
        console.printf("training %s after %d steps, loss %.4g (metrics: %s)%n%n", result.status().label(), result.steps(),
                result.finalLoss(), this.out.resolve("train/metrics.csv"));
        AnalysisOptions opt = new AnalysisOptions(LR, BATCH, Sampling.WITH_REPLACEMENT, CurvatureSummary.Method.AUTO,
                AnalysisOptions.DEFAULT_PROBES, 3, true, seed);
        Analysis analysis = Analyzer.analyze(model.withTheta(result.theta()), data, opt);
        AtomicFiles.writeString(this.out.resolve("analysis.json"),
                Json.write(analysis.toJson(Provenance.now("demo analyze", seed, opt))));
        console.print(analysis.toText());
        console.flush();
        return 0;
    }
}
