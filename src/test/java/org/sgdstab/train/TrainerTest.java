package org.sgdstab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.data.Dataset;
import org.sgdstab.data.SyntheticConfig;
import org.sgdstab.data.SyntheticData;
import org.sgdstab.io.Safetensors;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelPresets;
import org.sgdstab.nn.ModelWeights;
import org.sgdstab.report.Json;

class TrainerTest {
    @TempDir
    Path dir;

    static Dataset data() {
        return SyntheticData.generate(new SyntheticConfig(SyntheticConfig.InputKind.GAUSSIAN, 32, 4, null,
                SyntheticConfig.Teacher.LINEAR, 8, 1, 0.0, 5));
    }

    static Model model() {
        return new Initializer.TorchDefault().initialize(ModelPresets.mlp(4, new int[] {8}, "tanh", 1), new SplittableRandom(9));
    }

    static TrainConfig config(TrainConfig.Optimizer opt, double lr, long steps, double tol, double cap) {
        return new TrainConfig(opt, Sampling.WITH_REPLACEMENT, lr, 4, steps, 1L, 1, 0, 2048, tol, cap, 0);
    }

    record Log(List<Long> steps, List<Double> losses) {
    }

    static Log run(Model m, Dataset d, TrainConfig cfg, Trainer.Result[] out) {
        Log log = new Log(new ArrayList<>(), new ArrayList<>());
        out[0] = Trainer.run(m, d, cfg, null, () -> false, (step, loss, diag) -> {
            log.steps().add(step);
            log.losses().add(loss);
        });
        return log;
    }

    @Test
    void sgdStepEqualsManualUpdateOnTheSampledBatch() {
        Dataset d = data();
        Model m = model();
        TrainConfig cfg = config(TrainConfig.Optimizer.SGD, 0.1, 1, 0, 1e6);
        Trainer.Result[] r = new Trainer.Result[1];
        run(m, d, cfg, r);
        // Replay the first batch with the same stream split as the trainer.
        SplittableRandom root = new SplittableRandom(cfg.seed());
        BatchSampler s = new BatchSampler(Sampling.WITH_REPLACEMENT, d.size(), 4, root.split());
        int[] idx = new int[4];
        s.next(idx);
        Dataset batch = d.subset(idx);
        double[] g = new double[m.parameterCount()];
        m.network().lossAndGradient(m.theta(), batch.x(), batch.y(), g);
        double[] expected = m.theta().clone();
        for (int j = 0; j < g.length; j++) {
            expected[j] -= 0.1 * g[j];
        }
        assertArrayEquals(expected, r[0].theta(), 1e-15);
        assertTrue(java.util.Arrays.equals(model().theta(), m.theta()), "the start model is not modified");
    }

    @Test
    void rowTHoldsStateAfterTUpdatesStartingAtZero() {
        Trainer.Result[] r = new Trainer.Result[1];
        Log log = run(model(), data(), config(TrainConfig.Optimizer.GD, 0.1, 5, 0, 1e6), r);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), log.steps());
        assertEquals(model().loss(data().x(), data().y()), log.losses().get(0), 0.0);
        assertEquals(Trainer.Status.COMPLETED, r[0].status());
        assertEquals(5, r[0].steps());
    }

    @Test
    void gdConvergesAndStopsAtTolerance() {
        Trainer.Result[] r = new Trainer.Result[1];
        run(model(), data(), config(TrainConfig.Optimizer.GD, 0.2, 100000, 1e-3, 1e6), r);
        assertEquals(Trainer.Status.CONVERGED, r[0].status());
        assertTrue(r[0].finalLoss() <= 1e-3);
        assertTrue(r[0].steps() < 100000);
    }

    @Test
    void divergenceIsAStatusAndKeepsTheLastFiniteState() {
        Trainer.Result[] r = new Trainer.Result[1];
        Log log = run(model(), data(), config(TrainConfig.Optimizer.GD, 50.0, 1000, 0, 1e3), r);
        assertEquals(Trainer.Status.DIVERGED, r[0].status());
        assertTrue(Double.isFinite(r[0].finalLoss()) && r[0].finalLoss() <= 1e3);
        for (double v : r[0].theta()) {
            assertTrue(Double.isFinite(v));
        }
        assertTrue(log.losses().get(log.losses().size() - 1) > 1e3 || !Double.isFinite(log.losses().get(log.losses().size() - 1)));
    }

    @Test
    void stopSignalEndsAsInterruptedWithState() {
        AtomicInteger polls = new AtomicInteger();
        Trainer.Result r = Trainer.run(model(), data(), config(TrainConfig.Optimizer.SGD, 0.05, 1000, 0, 1e6), null,
                () -> polls.incrementAndGet() > 10, (s, l, d) -> { });
        assertEquals(Trainer.Status.INTERRUPTED, r.status());
        assertEquals(10, r.steps());
    }

    @Test
    void sameSeedSameTrajectory() {
        Trainer.Result[] a = new Trainer.Result[1];
        Trainer.Result[] b = new Trainer.Result[1];
        run(model(), data(), config(TrainConfig.Optimizer.SGD, 0.05, 50, 0, 1e6), a);
        run(model(), data(), config(TrainConfig.Optimizer.SGD, 0.05, 50, 0, 1e6), b);
        assertArrayEquals(a[0].theta(), b[0].theta(), 0.0);
    }

    @Test
    void trainRunWritesMetricsCheckpointsFinalWeightsAndRunJson() throws IOException {
        Dataset d = data();
        Model m = model();
        TrainConfig cfg = new TrainConfig(TrainConfig.Optimizer.SGD, Sampling.WITHOUT_REPLACEMENT, 0.05, 4, 20, 3L, 5, 10, 2048,
                0, 1e6, 10);
        AnalysisDiagnostics diag = new AnalysisDiagnostics(m, d, AnalysisOptions.noiseOnly(0.05, 4));
        Trainer.Result r = TrainRun.execute(m, d, cfg, diag, dir, () -> false, null);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.csv"));
        String[] header = lines.get(0).split(",", -1);
        assertEquals("step", header[0]);
        assertEquals("loss", header[1]);
        assertTrue(List.of(header).containsAll(List.of("alpha", "beta", "mu", "mu1", "mu2", "gamma", "tau", "bound_thm33")));
        // The probe set's loss must not repeat the training loss's column name.
        assertEquals(header.length, new java.util.HashSet<>(List.of(header)).size(), "column names are unique: " + lines.get(0));
        assertEquals(5, lines.size() - 1, "rows at steps 0, 5, 10, 15, 20");
        String[] row10 = lines.get(3).split(",", -1);
        assertEquals("10", row10[0]);
        // Here the probe set is the training set, so its loss is the training loss up to summation order.
        double trainLoss = Double.parseDouble(row10[1]);
        double probeLoss = Double.parseDouble(row10[List.of(header).indexOf("probe_loss")]);
        assertEquals(trainLoss, probeLoss, 1e-12 * trainLoss);
        assertTrue(!row10[List.of(header).indexOf("mu")].isEmpty(), "step 10 is a diagnostic step");
        String[] row5 = lines.get(2).split(",", -1);
        assertTrue(row5[List.of(header).indexOf("mu")].isEmpty(), "step 5 is not");
        assertTrue(Files.exists(dir.resolve("checkpoints/step-10.safetensors")));
        Model fin = ModelWeights.read(m.network().layers(), dir.resolve("final.safetensors"));
        assertArrayEquals(r.theta(), fin.theta(), 0.0);
        var run = Json.MAPPER.readTree(dir.resolve("run.json").toFile());
        assertEquals("completed", run.get("status").asText());
        assertEquals(3, run.get("provenance").get("seed").asInt());
        assertEquals("without-replacement", run.get("provenance").get("config").get("sampling").asText());
        assertTrue(Safetensors.read(dir.resolve("final.safetensors")).metadata().containsKey("producer"));
    }
}
