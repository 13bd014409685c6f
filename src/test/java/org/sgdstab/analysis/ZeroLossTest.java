package org.sgdstab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.Tanh;
import org.sgdstab.stability.Bounds;
import org.sgdstab.train.Sampling;

/**
 * {@code analyze} and the batch-size scan at an exact interpolating fit (labels are the model's own
 * outputs, so every residual is exactly 0): µ, µ1, µ2, α and β divide by 2L = 0 and are undefined, and
 * so are the bounds built on them; everything else is reported as usual.
 */
class ZeroLossTest {
    /** At L = 0 the Hessian is the Gauss–Newton matrix G: ‖H‖_F = ‖G‖_F up to round-off of the p HVPs. */
    private static final double REL_TOL = 1e-10;
    private static final double LR = 0.1;
    private static final int BATCH = 2;
    /** Quantities that divide by the loss: undefined at L = 0. */
    private static final Set<String> UNDEFINED = Set.of("alpha", "beta", "mu", "mu1", "mu2", "bound_thm33", "bound_prop34",
            "escape_factor_gamma0");

    record Case(String name, Model model, Dataset data) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** {@code layers} initialised from {@code seed}, with n Gaussian inputs labelled by the model itself. */
    static Case interpolating(String name, List<Layer> layers, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Model model = new Initializer.TorchDefault().initialize(layers, rng.split());
        Matrix x = new Matrix(n, model.network().inputSize());
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = rng.nextGaussian();
        }
        return new Case(name, model, new Dataset(x, model.predict(x)));
    }

    static Stream<Case> cases() {
        return Stream.of(
                interpolating("tanh-mlp-k1", List.of(new Dense(3, 4, true, true), new Tanh(4), new Dense(4, 1, true, true)), 6, 1),
                interpolating("linear-k2", List.of(new Dense(3, 2, true, true)), 5, 2));
    }

    private static AnalysisOptions options() {
        return new AnalysisOptions(LR, BATCH, Sampling.WITH_REPLACEMENT, CurvatureSummary.Method.EXACT, AnalysisOptions.DEFAULT_PROBES,
                2, true, 0L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void analyzeReportsUndefinedAlignmentAndBoundsInsteadOfThrowing(Case c) {
        Analysis a = Analyzer.analyze(c.model(), c.data(), options());
        assertEquals(0.0, a.noise().loss(), 0.0, c + ": the fit is exact");
        Map<String, Double> values = a.values();
        for (Map.Entry<String, Double> e : values.entrySet()) {
            String where = c + ": " + e.getKey();
            if (UNDEFINED.contains(e.getKey())) {
                assertTrue(Double.isNaN(e.getValue()), where + " is undefined at L = 0, got " + e.getValue());
            } else {
                assertTrue(Double.isFinite(e.getValue()), where + " stays finite, got " + e.getValue());
            }
        }
        assertTrue(values.get("hessian_frobenius") > 0, c + ": curved minimum");
        assertEquals(a.noise().fisherFrobenius(), a.hessian().frobenius(), REL_TOL * a.noise().fisherFrobenius(), c + ": H = G at L = 0");
        for (double t : a.hessian().topEigenvalues()) {
            assertTrue(Double.isFinite(t), c + ": top eigenvalues");
        }
        for (String name : List.of(Bounds.THEOREM_33, Bounds.PROPOSITION_34)) {
            Bounds.BoundCheck check = a.bound(name);
            assertFalse(check.defined(), c + ": " + name);
            assertFalse(check.violated(), c + ": an undefined bound is not violated: " + name);
            assertTrue(Double.isNaN(check.bound()) && Double.isNaN(check.ratio()), c + ": " + name);
            assertEquals(a.flatness(), check.measured(), 0.0, c + ": " + name + " still reports ‖H‖_F");
        }
        for (String name : List.of(Bounds.GD_SHARPNESS, Bounds.GD_FROBENIUS, Bounds.ISOTROPIC_NOISE)) {
            Bounds.BoundCheck check = a.bound(name);
            assertTrue(check.defined() && Double.isFinite(check.bound()) && Double.isFinite(check.ratio()), c + ": " + name);
        }
    }

    @Test
    void undefinedBoundsAreNullInJsonAndExplainedInText() {
        Case c = cases().findFirst().orElseThrow();
        Analysis a = Analyzer.analyze(c.model(), c.data(), options());
        JsonNode json = a.toJson(Map.of("command", "test"));
        for (String key : UNDEFINED) {
            assertTrue(json.get(key).isNull(), key + " is null in JSON");
        }
        for (JsonNode check : json.get("bounds")) {
            boolean needsMu = check.get("name").asText().equals(Bounds.THEOREM_33)
                    || check.get("name").asText().equals(Bounds.PROPOSITION_34);
            assertEquals(needsMu, check.get("bound").isNull(), check.toString());
            assertEquals(needsMu, check.get("holds").isNull(), check.toString());
            assertEquals(needsMu, !check.get("undefined_reason").isNull(), check.toString());
            assertFalse(check.get("measured").isNull(), check.toString());
        }
        String text = a.toText();
        assertFalse(text.contains("VIOLATED"), text);
        assertTrue(text.contains("the loss is exactly 0"), text);
        assertTrue(text.lines().anyMatch(l -> l.contains(Bounds.THEOREM_33) && l.contains("undefined: µ is undefined")), text);
        assertTrue(text.lines().anyMatch(l -> l.contains(Bounds.PROPOSITION_34) && l.contains("undefined: µ1 is undefined")), text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void stabilityScanReportsUndefinedBoundsAndFiniteCriticalRates(Case c) {
        ScanResult r = StabilityScan.run(c.model(), c.data(), ScanConfig.of(1, 2, 4).withRhoPoints(0));
        assertEquals(0.0, r.noise().loss(), 0.0, c + ": the fit is exact");
        for (ScanResult.Row row : r.rows()) {
            String where = c + " B=" + row.batchSize();
            assertTrue(Double.isNaN(row.boundThm33()) && Double.isNaN(row.boundProp34()), where + ": bounds undefined");
            assertTrue(Double.isFinite(row.criticalLr()) && row.criticalLr() > 0, where + ": eta* is defined at L = 0");
        }
    }
}
