package org.sgdstab.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.TrainConfig;
import org.sgdstab.train.Trainer;

/**
 * The whole pipeline (files → model → diagnostics, Hessian, critical learning rates, GD) against
 * golden values from the independent NumPy reference in src/test/resources/golden/make_golden.py,
 * which computes everything the direct way (explicit J, Σ, G and H as p × p matrices, the
 * second-moment map as an explicit (nK)² × (nK)² matrix).
 */
class GoldenTest {
    /** The reference's own accuracy is ~1e-12 (see its README); ‖Σ‖_F by the NTK route may lose one more digit. */
    private static final double REL_TOL = 1e-8;
    private static final Path ROOT = Path.of("src/test/resources/golden");
    private static final String[] ANALYZE_KEYS = {"n", "d", "K", "p", "loss", "grad_norm", "fisher_trace", "fisher_frobenius",
        "fisher_lambda_max", "tr_sigma_g", "sigma_frobenius", "alpha", "beta", "mu", "mu1", "mu2", "gamma", "tau",
        "bound_thm33", "bound_prop34", "gd_bound_lambda", "hessian_frobenius", "hessian_trace", "hessian_lambda_max", "gd_critical_lr"};

    static Stream<String> cases() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            dirs.filter(Files::isDirectory).forEach(d -> names.add(d.getFileName().toString()));
        }
        return names.stream().sorted();
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, REL_TOL * Math.max(1e-12, Math.abs(expected)), what);
    }

    record Fixture(Model model, Dataset data, JsonNode expected) {
    }

    static Fixture load(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        Model model = ModelWeights.read(ModelSpec.read(dir.resolve("model.json")), dir.resolve("weights.safetensors"));
        Dataset data = Dataset.load(dir.resolve("X.npy"), dir.resolve("Y.npy"));
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        return new Fixture(model, data, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thetaOrderMatchesPyTorchKeys(String name) throws IOException {
        Fixture f = load(name);
        double[] theta = new ObjectMapper().convertValue(f.expected().get("theta"), double[].class);
        assertArrayEquals(theta, f.model().theta(), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void analyzeMatchesNumpyReference(String name) throws IOException {
        Fixture f = load(name);
        JsonNode e = f.expected();
        AnalysisOptions opt = new AnalysisOptions(e.get("lr").asDouble(), e.get("batch_size").asInt(), Sampling.WITH_REPLACEMENT,
                CurvatureSummary.Method.EXACT, AnalysisOptions.DEFAULT_PROBES, 1, true, 0L);
        Map<String, Double> values = Analyzer.analyze(f.model(), f.data(), opt).values();
        for (String key : ANALYZE_KEYS) {
            close(e.get(key).asDouble(), values.get(key), name + ": " + key);
        }
        close(e.get("critical_lr_with_replacement").asDouble(), values.get("critical_lr"), name + ": critical_lr");
        close(e.get("rho_at_lr_with_replacement").asDouble(), values.get("rho_at_lr"), name + ": rho_at_lr");
        AnalysisOptions without = new AnalysisOptions(opt.lr(), opt.batchSize(), Sampling.WITHOUT_REPLACEMENT, null,
                AnalysisOptions.DEFAULT_PROBES, 1, true, 0L);
        close(e.get("critical_lr_without_replacement").asDouble(),
                Analyzer.analyze(f.model(), f.data(), without).values().get("critical_lr"), name + ": critical_lr without replacement");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientDescentTrajectoryMatchesNumpyReference(String name) throws IOException {
        Fixture f = load(name);
        JsonNode e = f.expected();
        int steps = 200;
        TrainConfig cfg = new TrainConfig(TrainConfig.Optimizer.GD, Sampling.WITH_REPLACEMENT, e.get("gd_lr").asDouble(), 1,
                steps, 0L, 1, 0, 2048, 0.0, 1e6, 0);
        double[] losses = new double[steps + 1];
        Trainer.run(f.model(), f.data(), cfg, null, () -> false, (step, loss, diag) -> losses[(int) step] = loss);
        JsonNode at = e.get("gd_steps");
        for (int i = 0; i < at.size(); i++) {
            int t = at.get(i).asInt();
            close(e.get("gd_losses").get(i).asDouble(), losses[t], name + ": GD loss after " + t + " steps");
        }
    }
}
