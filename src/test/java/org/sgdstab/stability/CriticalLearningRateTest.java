package org.sgdstab.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.train.Sampling;

class CriticalLearningRateTest {
    /** The brief's agreement for GD; both sides are accurate to ~1e-11 (Lanczos) and ~1e-15 (dsyevd). */
    private static final double GD_TOL = 1e-9;
    /** Two independent solvers, each to 1e-10 relative: they agree to a little more than that. */
    private static final double SOLVER_TOL = 1e-9;

    static Stream<Arguments> problems() {
        return Stream.of(
                Arguments.of("n6-K1-full-rank", 6, 1, 10),
                Arguments.of("n6-K1-rank-3", 6, 1, 3),
                Arguments.of("n4-K2-full-rank", 4, 2, 12),
                Arguments.of("n4-K2-rank-5", 4, 2, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void fullBatchWithoutReplacementIsGradientDescent(String name, int n, int k, int p) {
        Matrix theta = Fixtures.theta(n, k, p, 61);
        SecondMomentMap map = new SecondMomentMap(theta, n, k, Sampling.WITHOUT_REPLACEMENT, n);
        double gd = CriticalLearningRate.gdThreshold(theta, n);
        assertEquals(gd, CriticalLearningRate.find(map).eta(), GD_TOL * gd, name);
        assertEquals(gd, CriticalLearningRate.findByBracketing(map).eta(), GD_TOL * gd, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void criticalRateRisesWithBatchAndRhoCrossesOne(String name, int n, int k, int p) {
        Matrix theta = Fixtures.theta(n, k, p, 62);
        double gd = CriticalLearningRate.gdThreshold(theta, n);
        for (Sampling sampling : new Sampling[] {Sampling.WITH_REPLACEMENT, Sampling.WITHOUT_REPLACEMENT}) {
            int maxB = sampling == Sampling.WITH_REPLACEMENT ? 2 * n : n;
            double previous = 0;
            for (int b = 1; b <= maxB; b++) {
                SecondMomentMap map = new SecondMomentMap(theta, n, k, sampling, b);
                CriticalLearningRate.Result r = CriticalLearningRate.find(map);
                String where = name + " " + sampling + " B=" + b;
                assertTrue(r.certified(), where);
                assertTrue(r.eta() > previous, where + ": eta* must rise with B");
                assertTrue(r.eta() <= gd * (1 + GD_TOL), where + ": eta* cannot exceed the GD threshold");
                assertTrue(map.spectralRadius(0.99 * r.eta()) < 1, where);
                assertTrue(map.spectralRadius(1.01 * r.eta()) > 1, where);
                assertTrue(r.rhoLower() < 1 && r.rhoUpper() > 1 && r.lower() < r.eta() && r.eta() < r.upper(), where);
                CriticalLearningRate.Result bracketed = CriticalLearningRate.findByBracketing(map);
                assertEquals(r.eta(), bracketed.eta(), SOLVER_TOL * r.eta(), where);
                assertTrue(bracketed.upper() - bracketed.lower() <= CriticalLearningRate.RELATIVE_TOLERANCE * bracketed.upper());
                previous = r.eta();
            }
        }
    }
}
