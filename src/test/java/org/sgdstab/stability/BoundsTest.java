package org.sgdstab.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BoundsTest {
    /** Hand-computed values of a few floating-point operations. */
    private static final double TOL = 1e-12;

    static Stream<Arguments> checks() {
        return Stream.of(
                // sqrt(8/0.5)/0.1 = 40
                Arguments.of("thm3.3 holds", Bounds.theorem33(0.5, 3, 0.1, 8), 40.0, 3.0, true),
                Arguments.of("thm3.3 violated", Bounds.theorem33(0.5, 50, 0.1, 8), 40.0, 50.0, false),
                // min(3/sqrt(2·2), 6/2)/0.5 = 1.5/0.5
                Arguments.of("prop3.4 first term", Bounds.proposition34(2, 2, 0.5, 3), 3.0, 2.0, true),
                // min(2/sqrt(8), 4/8)/0.5 = 0.5/0.5
                Arguments.of("prop3.4 second term", Bounds.proposition34(8, 1.5, 0.5, 2), 1.0, 1.5, false),
                // B = 1: 2/0.5/0.25 = 16
                Arguments.of("prop3.4 B=1", Bounds.proposition34(0.5, 10, 0.25, 1), 16.0, 10.0, true),
                Arguments.of("gd sharpness", Bounds.gdSharpness(30, 0.1), 20.0, 30.0, false),
                // 2·sqrt(100)/0.5 = 40
                Arguments.of("gd frobenius", Bounds.gdFrobenius(10, 100, 0.5), 40.0, 10.0, true),
                // sqrt(50·2)/0.2 = 50
                Arguments.of("isotropic", Bounds.isotropicTrace(12, 50, 0.2, 2), 50.0, 12.0, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checks")
    void boundsMatchHandComputedValues(String name, Bounds.BoundCheck check, double bound, double measured, boolean holds) {
        assertEquals(bound, check.bound(), TOL * bound, name);
        assertEquals(measured, check.measured(), 0.0, name);
        assertEquals(holds, check.holds(), name);
        assertEquals(measured / bound, check.ratio(), TOL, name);
    }

    static Stream<Arguments> learningRateForms() {
        return Stream.of(
                // sqrt(8/0.5)/4 = 1
                Arguments.of("thm3.3", Bounds.theorem33LearningRate(0.5, 4, 8), 1.0),
                // min(3/sqrt(2·2), 6/2)/1.5 = 1
                Arguments.of("prop3.4 first term", Bounds.proposition34LearningRate(2, 1.5, 3), 1.0),
                // min(2/sqrt(8), 4/8)/0.25 = 2
                Arguments.of("prop3.4 second term", Bounds.proposition34LearningRate(8, 0.25, 2), 2.0),
                // B = 1: (2/0.5)/8 = 0.5
                Arguments.of("prop3.4 B=1", Bounds.proposition34LearningRate(0.5, 8, 1), 0.5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("learningRateForms")
    void learningRateFormsMatchHandComputedValues(String name, double got, double expected) {
        assertEquals(expected, got, TOL * expected, name);
    }

    @Test
    void learningRateFormIsWhereTheNormBoundIsTight() {
        double mu = 0.37;
        double mu1 = 0.81;
        double h = 12.5;
        for (int b : new int[] {1, 2, 7, 64}) {
            double eta33 = Bounds.theorem33LearningRate(mu, h, b);
            assertEquals(h, Bounds.theorem33(mu, h, eta33, b).bound(), TOL * h, "B=" + b);
            double eta34 = Bounds.proposition34LearningRate(mu1, h, b);
            assertEquals(h, Bounds.proposition34(mu1, h, eta34, b).bound(), TOL * h, "B=" + b);
        }
        assertEquals(Double.POSITIVE_INFINITY, Bounds.theorem33LearningRate(0.5, 0, 4), "flat: no constraint");
    }

    @Test
    void nonPositiveAlignmentGivesNoConstraint() {
        assertEquals(Double.POSITIVE_INFINITY, Bounds.theorem33LearningRate(0.0, 3, 4));
        assertEquals(Double.POSITIVE_INFINITY, Bounds.proposition34LearningRate(-0.1, 3, 4));
        for (double mu : new double[] {0.0, -0.2}) {
            Bounds.BoundCheck t = Bounds.theorem33(mu, 1e6, 0.1, 4);
            assertEquals(Double.POSITIVE_INFINITY, t.bound());
            assertTrue(t.holds());
            assertEquals(0.0, t.ratio());
            Bounds.BoundCheck p = Bounds.proposition34(mu, 1e6, 0.1, 4);
            assertEquals(Double.POSITIVE_INFINITY, p.bound());
            assertTrue(p.holds());
        }
    }

    @Test
    void escapePrediction() {
        // γ0 = 0.1²·0.5·40²/4 = 2; log(1e4)/log 2
        Bounds.EscapePrediction e = Bounds.escape(0.5, 40, 0.1, 4, 1e-4);
        assertEquals(2.0, e.gamma0(), TOL);
        assertEquals(Math.log(1e4) / Math.log(2), e.steps(), TOL);
        Bounds.EscapePrediction none = Bounds.escape(0.5, 10, 0.1, 4, 1e-4);
        assertEquals(0.125, none.gamma0(), TOL);
        assertEquals(Double.POSITIVE_INFINITY, none.steps());
        assertFalse(Double.isFinite(Bounds.escape(-1, 40, 0.1, 4, 1e-4).steps()));
    }

    /** A NaN µ or µ1 is undefined (L = 0): the bounds built on it are undefined, not errors and not violated. */
    @Test
    void undefinedAlignmentGivesUndefinedBounds() {
        Bounds.BoundCheck t = Bounds.theorem33(Double.NaN, 3, 0.1, 4);
        Bounds.BoundCheck p = Bounds.proposition34(Double.NaN, 3, 0.1, 4);
        for (Bounds.BoundCheck c : new Bounds.BoundCheck[] {t, p}) {
            assertFalse(c.defined(), c.name());
            assertFalse(c.violated(), c.name());
            assertTrue(Double.isNaN(c.bound()) && Double.isNaN(c.ratio()), c.name());
            assertEquals(3.0, c.measured(), c.name());
        }
        assertEquals(Bounds.MU_UNDEFINED, t.undefinedReason());
        assertEquals(Bounds.MU1_UNDEFINED, p.undefinedReason());
        assertTrue(Double.isNaN(Bounds.theorem33LearningRate(Double.NaN, 3, 4)));
        assertTrue(Double.isNaN(Bounds.proposition34LearningRate(Double.NaN, 0, 4)));
        Bounds.EscapePrediction e = Bounds.escape(Double.NaN, 40, 0.1, 4, 1e-4);
        assertTrue(Double.isNaN(e.gamma0()) && Double.isNaN(e.steps()));
        Bounds.BoundCheck defined = Bounds.theorem33(0.5, 50, 0.1, 8);
        assertTrue(defined.defined() && defined.violated() && defined.undefinedReason() == null);
        // The other inputs are still checked when µ is undefined.
        assertThrows(IllegalArgumentException.class, () -> Bounds.theorem33(Double.NaN, 1, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.proposition34(Double.NaN, Double.NaN, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.escape(Double.NaN, 1, 0.1, 0, 0.5));
    }

    @Test
    void rejectsBadInputs() {
        assertThrows(IllegalArgumentException.class, () -> Bounds.theorem33(0.5, 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.theorem33(0.5, 1, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> Bounds.theorem33(Double.POSITIVE_INFINITY, 1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.proposition34(Double.NEGATIVE_INFINITY, 1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.theorem33(0.5, -1, 0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.proposition34(0.5, 1, -0.1, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.gdFrobenius(1, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.isotropicTrace(1, 10, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> Bounds.gdSharpness(Double.POSITIVE_INFINITY, 0.1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.escape(0.5, 1, 0.1, 1, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Bounds.escape(0.5, 1, 0.1, 1, 0.0));
        assertThrows(IllegalArgumentException.class, () -> Bounds.theorem33LearningRate(Double.POSITIVE_INFINITY, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.escape(Double.POSITIVE_INFINITY, 1, 0.1, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> Bounds.theorem33LearningRate(0.5, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> Bounds.proposition34LearningRate(0.5, 1, 0));
    }
}
