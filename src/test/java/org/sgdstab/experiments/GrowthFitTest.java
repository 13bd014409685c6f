package org.sgdstab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The exponential-rate fit recovers known rates of synthetic curves. */
class GrowthFitTest {
    /** Exact exponentials are fitted to round-off. */
    static final double EXACT_TOLERANCE = 1e-12;

    static Stream<Arguments> exact() {
        return Stream.of(
                Arguments.of("growth x1.5", 1.5, 1e-8, 0, 40),
                Arguments.of("decay x0.9", 0.9, 1.0, 0, 100),
                Arguments.of("flat", 1.0, 3e-4, 5, 30),
                Arguments.of("fast growth x8 late window", 8.0, 1e-12, 3, 12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("exact")
    void exactExponentials(String name, double factor, double l0, int from, int to) {
        double[] v = new double[to + 5];
        for (int t = 0; t < v.length; t++) {
            v[t] = l0 * Math.pow(factor, t);
        }
        GrowthFit f = GrowthFit.fit(GrowthFit.log(v), from, to);
        assertEquals(factor, f.factor(), EXACT_TOLERANCE * factor, name);
        assertEquals(Math.log(l0), f.intercept(), 1e-9 * Math.max(1, Math.abs(Math.log(l0))), name);
        assertEquals(0.0, f.slopeStdErr(), 1e-10, name);
    }

    /** With multiplicative log-normal noise of level s the slope error falls with s and with the window length. */
    @Test
    void noisyCurvesErrorFallsWithNoiseAndWindow() {
        double rate = Math.log(2.5);
        double previous = Double.POSITIVE_INFINITY;
        for (double s : new double[] {0.4, 0.1, 0.025}) {
            double err = 0;
            SplittableRandom rng = new SplittableRandom(3);
            for (int rep = 0; rep < 20; rep++) {
                double[] logv = new double[60];
                for (int t = 0; t < logv.length; t++) {
                    logv[t] = -10 + rate * t + s * rng.nextGaussian();
                }
                GrowthFit f = GrowthFit.fit(logv, 0, 59);
                err += Math.abs(f.slope() - rate);
                assertTrue(Math.abs(f.slope() - rate) < 5 * f.slopeStdErr() + 1e-15, "within 5 standard errors at s=" + s);
            }
            assertTrue(err < previous / 2, "error falls with the noise: " + err + " vs " + previous);
            previous = err;
        }
    }

    @Test
    void skipsNonFiniteAndRejectsShortWindows() {
        double[] logv = {0, Double.NEGATIVE_INFINITY, 2, Double.NaN, 4};
        assertEquals(Math.E, GrowthFit.fit(logv, 0, 4).factor(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> GrowthFit.fit(logv, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> GrowthFit.fit(new double[] {0, Double.NaN, Double.NaN}, 0, 2));
    }

    /** A loss that is exactly 0 throughout has no log to fit: no fit rather than an error; bad windows still throw. */
    @Test
    void fitOrNullGivesNoFitForAnAllZeroLoss() {
        assertNull(GrowthFit.fitOrNull(GrowthFit.log(new double[] {0, 0, 0, 0}), 0, 3));
        assertNull(GrowthFit.fitOrNull(GrowthFit.log(new double[] {1, 0, 0}), 0, 2));
        double[] logv = {0, Double.NEGATIVE_INFINITY, 2, Double.NaN, 4};
        assertEquals(GrowthFit.fit(logv, 0, 4), GrowthFit.fitOrNull(logv, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> GrowthFit.fitOrNull(logv, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> GrowthFit.fitOrNull(logv, 0, 5));
    }
}
