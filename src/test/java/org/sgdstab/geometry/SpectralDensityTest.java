package org.sgdstab.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;

class SpectralDensityTest {
    /** Weights are squares of a unit eigenvector's entries: they sum to 1 up to round-off. */
    private static final double WEIGHT_SUM_TOL = 1e-12;
    /** Probe averages are within 4 standard deviations of the mean (fails with probability < 1e-4). */
    private static final double Z_BOUND = 4.0;
    /** Exact nodes when the Krylov space is the whole space: tridiagonal eigenvalues to round-off in ‖A‖ units. */
    private static final double NODE_RTOL = 1e-10;

    static Stream<Arguments> spectra() {
        return Stream.of(
                Arguments.of("psd", KnownSpectrum.of(KnownSpectrum.uniform(60, 0, 4, 31), 201)),
                Arguments.of("indefinite", KnownSpectrum.of(KnownSpectrum.uniform(60, -3, 5, 32), 202)),
                Arguments.of("low-rank", KnownSpectrum.of(KnownSpectrum.concat(new double[] {5, 1}, new double[58]), 203)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spectra")
    void weightsSumToOnePerProbe(String name, KnownSpectrum s) {
        SpectralDensity d = SpectralDensity.estimate(s.operator(), 6, 12, new SplittableRandom(1));
        assertEquals(6, d.probes());
        for (int p = 0; p < d.probes(); p++) {
            double sum = 0;
            for (double w : d.weights()[p]) {
                assertTrue(w >= 0, name + " negative weight");
                sum += w;
            }
            assertEquals(1.0, sum, WEIGHT_SUM_TOL, name + " probe " + p);
            assertTrue(d.nodes()[p].length <= 12, name + " at most `steps` nodes");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spectra")
    void firstMomentEstimatesTraceOverDim(String name, KnownSpectrum s) {
        int probes = 20;
        SpectralDensity d = SpectralDensity.estimate(s.operator(), probes, 10, new SplittableRandom(2));
        // Σ w θ = vᵀAv / dim per probe: Hutchinson with variance 2 Σ_{i≠j} A_ij² / dim².
        double sd = Math.sqrt(s.rademacherTraceVariance() / probes) / s.dim();
        assertEquals(s.trace() / s.dim(), d.moment(1), Z_BOUND * sd, name);
        assertEquals(1.0, d.moment(0), WEIGHT_SUM_TOL, name);
    }

    @Test
    void smallOperatorGivesItsExactEigenvaluesAsNodes() {
        double[] lambda = {-2, -0.5, 0.25, 1, 1.5, 3, 4.5, 7};
        KnownSpectrum s = KnownSpectrum.of(lambda, 204);
        SpectralDensity d = SpectralDensity.estimate(s.operator(), 3, 20, new SplittableRandom(3));
        double[] ascending = lambda.clone();
        Arrays.sort(ascending);
        for (int p = 0; p < d.probes(); p++) {
            assertArrayEquals(ascending, d.nodes()[p], NODE_RTOL * 7, "probe " + p);
        }
        // The quadrature is then exact for every moment of the probe's spectral measure.
        double[] v = d.nodes()[0];
        assertEquals(v.length, d.weights()[0].length);
    }

    @Test
    void degenerateSpectrumStopsAtTheInvariantSubspace() {
        double[] lambda = new double[30];
        Arrays.fill(lambda, 0, 10, 2.0);
        Arrays.fill(lambda, 10, 30, -1.0);
        KnownSpectrum s = KnownSpectrum.of(lambda, 205);
        SpectralDensity d = SpectralDensity.estimate(s.operator(), 2, 15, new SplittableRandom(4));
        for (int p = 0; p < d.probes(); p++) {
            // Two distinct eigenvalues: the Krylov space has dimension 2.
            assertArrayEquals(new double[] {-1, 2}, d.nodes()[p], NODE_RTOL * 2, "probe " + p);
        }
    }

    @Test
    void densityIsAProbabilityDensity() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.uniform(40, -1, 3, 33), 206);
        SpectralDensity d = SpectralDensity.estimate(s.operator(), 4, 15, new SplittableRandom(5));
        int n = 2001;
        double lo = -4;
        double hi = 6;
        double h = (hi - lo) / (n - 1);
        double[] grid = new double[n];
        for (int i = 0; i < n; i++) {
            grid[i] = lo + i * h;
        }
        double[] gridCopy = grid.clone();
        double[] rho = d.density(grid, 0.1);
        assertArrayEquals(gridCopy, grid, 0.0, "grid not modified");
        double integral = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(rho[i] >= 0);
            integral += (i == 0 || i == n - 1 ? 0.5 : 1.0) * rho[i] * h;
        }
        // Trapezoid rule on a smooth density, grid 3σ beyond the spectrum: error far below 1e-6.
        assertEquals(1.0, integral, 1e-6);
    }

    static Stream<Arguments> badInputs() {
        LinearOperator op = LinearOperator.of(Matrix.identity(4));
        return Stream.of(
                Arguments.of("probes=0", op, 0, 5),
                Arguments.of("steps=0", op, 2, 0),
                Arguments.of("empty operator", LinearOperator.of(new Matrix(0, 0)), 2, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputsAreRejected(String name, LinearOperator op, int probes, int steps) {
        assertThrows(IllegalArgumentException.class, () -> SpectralDensity.estimate(op, probes, steps, new SplittableRandom(1)));
    }

    @Test
    void badSmoothingIsRejected() {
        SpectralDensity d = SpectralDensity.estimate(LinearOperator.of(Matrix.identity(3)), 1, 2, new SplittableRandom(1));
        assertThrows(IllegalArgumentException.class, () -> d.density(new double[] {0}, 0.0));
        assertThrows(IllegalArgumentException.class, () -> d.density(new double[] {0}, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> d.moment(-1));
    }

    /** Tight: with many probes the first two moments match Tr A / dim and ‖A‖_F² / dim closely. */
    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("spectra")
    void manyProbesMatchTheMoments(String name, KnownSpectrum s) {
        int probes = 4000;
        SpectralDensity d = SpectralDensity.estimate(s.operator(), probes, 20, new SplittableRandom(6));
        double sd = Math.sqrt(s.rademacherTraceVariance() / probes) / s.dim();
        assertEquals(s.trace() / s.dim(), d.moment(1), Z_BOUND * sd, name);
        // Second moment vᵀA²v/dim: relative error ~ √(2/probes) ≈ 2%; allow 10%.
        assertEquals(s.frobeniusSquared() / s.dim(), d.moment(2), 0.1 * s.frobeniusSquared() / s.dim(), name);
    }
}
