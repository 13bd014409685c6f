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
import org.sgdstab.nn.Conv2d;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;
import org.sgdstab.nn.Network;
import org.sgdstab.nn.Residual;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.TrainConfig;
import org.sgdstab.train.Trainer;

/**
 * Convolutional models end to end (files → model → diagnostics, exact Hessian, critical learning
 * rates, GD) against src/test/resources/golden-cnn/make_golden_cnn.py, an independent NumPy
 * implementation (convolutions as explicit dense matrices, exact second-order forward mode,
 * explicit p × p matrices). Each NTK Gram strategy of the convolutions is checked separately.
 */
class ConvGoldenTest {
    /** The reference agrees with its own finite differences to ~1e-11 (see its README); ‖Σ‖_F by the NTK route may lose a digit. */
    private static final double REL_TOL = 1e-8;
    private static final Path ROOT = Path.of("src/test/resources/golden-cnn");
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

    static Stream<String> casesByStrategy() throws IOException {
        return cases().flatMap(c -> Stream.of(Conv2d.GramStrategy.values()).map(s -> c + " " + s));
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

    /** The layers with every convolution, also inside residual blocks, forced to one Gram strategy. */
    private static List<Layer> withStrategy(List<Layer> layers, Conv2d.GramStrategy s) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l instanceof Conv2d c) {
                out.add(c.withGramStrategy(s));
            } else if (l instanceof Residual r) {
                out.add(new Residual(withStrategy(r.body(), s), r.shortcut().isEmpty() ? null : withStrategy(r.shortcut(), s)));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void thetaOrderMatchesPyTorchKeys(String name) throws IOException {
        Fixture f = load(name);
        double[] theta = new ObjectMapper().convertValue(f.expected().get("theta"), double[].class);
        assertArrayEquals(theta, f.model().theta(), 0.0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casesByStrategy")
    void analyzeMatchesNumpyReference(String label) throws IOException {
        String name = label.substring(0, label.indexOf(' '));
        Conv2d.GramStrategy strategy = Conv2d.GramStrategy.valueOf(label.substring(label.indexOf(' ') + 1));
        Fixture f = load(name);
        Network net = f.model().network();
        Model model = new Model(new Network(withStrategy(net.layers(), strategy), net.frozenWeights()), f.model().theta());
        JsonNode e = f.expected();
        AnalysisOptions opt = new AnalysisOptions(e.get("lr").asDouble(), e.get("batch_size").asInt(), Sampling.WITH_REPLACEMENT,
                CurvatureSummary.Method.EXACT, AnalysisOptions.DEFAULT_PROBES, 1, true, 0L);
        Map<String, Double> values = Analyzer.analyze(model, f.data(), opt).values();
        for (String key : ANALYZE_KEYS) {
            close(e.get(key).asDouble(), values.get(key), label + ": " + key);
        }
        close(e.get("critical_lr_with_replacement").asDouble(), values.get("critical_lr"), label + ": critical_lr");
        close(e.get("rho_at_lr_with_replacement").asDouble(), values.get("rho_at_lr"), label + ": rho_at_lr");
        AnalysisOptions without = new AnalysisOptions(opt.lr(), opt.batchSize(), Sampling.WITHOUT_REPLACEMENT, null,
                AnalysisOptions.DEFAULT_PROBES, 1, true, 0L);
        close(e.get("critical_lr_without_replacement").asDouble(),
                Analyzer.analyze(model, f.data(), without).values().get("critical_lr"), label + ": critical_lr without replacement");
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
