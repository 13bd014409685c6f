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

    /**
     * Θ with eigenvalues spread over four decades, like a trained network's: ρ just below η* is
     * then within ~1e-5 of 1 and cannot be resolved in the certificate's budget, so {@link CriticalLearningRate#find}
     * must certify through the deflated check on the η-free operator, and still agree with bracketing.
     */
    @org.junit.jupiter.api.Test
    void illConditionedGramIsCertifiedByTheDeflatedCheck() {
        int n = 24;
        Matrix j = Fixtures.jacobian(n, n, 77);
        org.sgdstab.linalg.SymmetricEigen eig = org.sgdstab.linalg.SymmetricEigen.decompose(Fixtures.gram(j));
        Matrix theta = new Matrix(n, n);
        for (int k = 0; k < n; k++) {
            double lambda = Math.pow(10, -4.0 * k / (n - 1));
            double[] v = eig.vectors().row(k);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    theta.data[a * n + b] += lambda * v[a] * v[b];
                }
            }
        }
        SecondMomentMap map = new SecondMomentMap(theta, n, 1, Sampling.WITH_REPLACEMENT, 2);
        CriticalLearningRate.Result r = CriticalLearningRate.find(map);
        assertTrue(r.certified(), "ill-conditioned Θ should still be certified");
        assertTrue(r.applications() > r.iterations() + 2 * CriticalLearningRate.CERTIFICATE_APPLICATIONS,
                "the deflated check must have run (the lower end alone cannot be resolved here)");
        assertEquals(CriticalLearningRate.findByBracketing(map).eta(), r.eta(), SOLVER_TOL * r.eta());
    }
}
