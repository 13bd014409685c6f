package org.sgdstab.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;

class LanczosTest {
    /** Residual tolerance handed to Lanczos: eigenvalue errors are then ≲ tol·‖A‖ (and ~tol² once isolated). */
    private static final double TOL = 1e-10;
    /** Eigenvalues to 1e-10 of ‖A‖₂: eigenvalue perturbation bounds are absolute, in units of ‖A‖. */
    private static final double EIG_RTOL = 1e-10;
    /** True residuals of returned vectors: the tolerance plus round-off of ‖A‖-sized products. */
    private static final double RESIDUAL_RTOL = 1e-8;
    /** Returned vectors are orthonormal to round-off (two Gram–Schmidt passes). */
    private static final double ORTHO_TOL = 1e-10;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("distinct-psd", KnownSpectrum.of(KnownSpectrum.uniform(80, 0, 10, 1), 101), 5),
                Arguments.of("clustered", KnownSpectrum.of(KnownSpectrum.concat(
                        new double[] {10, 10 - 1e-7, 10 - 2e-7, 9}, KnownSpectrum.uniform(56, 0, 5, 2)), 102), 4),
                Arguments.of("degenerate", KnownSpectrum.of(KnownSpectrum.concat(
                        new double[] {5, 5, 5, 3, 3}, KnownSpectrum.uniform(55, -1, 2, 3)), 103), 4),
                Arguments.of("indefinite", KnownSpectrum.of(KnownSpectrum.concat(
                        new double[] {-8, 3}, KnownSpectrum.uniform(48, -6, 2.5, 4)), 104), 3),
                Arguments.of("dim<k", KnownSpectrum.of(new double[] {2, -1, 0.5}, 105), 5),
                Arguments.of("rank-2", KnownSpectrum.of(KnownSpectrum.concat(new double[] {4, -2}, new double[38]), 106), 4),
                Arguments.of("multiple-of-identity", KnownSpectrum.of(filled(20, 2.0), 107), 3),
                Arguments.of("zero", KnownSpectrum.of(new double[10], 108), 2),
                Arguments.of("one-dimensional", KnownSpectrum.of(new double[] {-3}, 109), 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void topEigenvaluesMatchTheKnownSpectrum(String name, KnownSpectrum s, int k) {
        LanczosResult r = Lanczos.topEigenvalues(s.operator(), k, 10 * s.dim(), TOL, new SplittableRandom(7));
        double[] expected = Arrays.copyOf(s.descending(), Math.min(k, s.dim()));
        double scale = Math.max(1.0, s.spectralNorm());
        assertArrayEquals(expected, r.values(), EIG_RTOL * scale, name + " values " + Arrays.toString(r.values()));
        for (double res : r.residuals()) {
            assertTrue(res <= RESIDUAL_RTOL * scale, name + " residual " + res);
        }
        assertOrthonormal(r.vectors(), name);
    }

    @Test
    void magnitudeOrderFindsTheNegativeEnd() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.concat(
                new double[] {-8, -7.5, 3}, KnownSpectrum.uniform(47, -2, 2.5, 4)), 110);
        LanczosResult r = Lanczos.topByMagnitude(s.operator(), 3, 500, TOL, new SplittableRandom(3));
        assertArrayEquals(new double[] {-8, -7.5, 3}, r.values(), EIG_RTOL * 8);
        assertEquals(8.0, Lanczos.largestAbs(s.operator(), 500, TOL, new SplittableRandom(4)), EIG_RTOL * 8);
        assertEquals(3.0, Lanczos.largestEigenvalue(s.operator(), 500, TOL, new SplittableRandom(5)), EIG_RTOL * 8);
    }

    @Test
    void stopsEarlyWhenTheTopIsWellSeparated() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.concat(
                new double[] {100, 50, 25}, KnownSpectrum.uniform(297, 0, 1, 5)), 111);
        LanczosResult r = Lanczos.topEigenvalues(s.operator(), 3, 300, 1e-8, new SplittableRandom(9));
        assertArrayEquals(new double[] {100, 50, 25}, r.values(), EIG_RTOL * 100);
        // Far fewer steps than the dimension: convergence, not exhaustion, ended the run.
        assertTrue(r.iterations() < 100, "iterations " + r.iterations());
    }

    @Test
    void iterationBudgetIsRespectedAndResidualsTellTheTruth() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.uniform(200, 0, 1, 6), 112);
        LanczosResult r = Lanczos.topEigenvalues(s.operator(), 2, 5, 1e-12, new SplittableRandom(2));
        assertEquals(5, r.iterations());
        // Not converged after 5 steps on a crowded spectrum: the residual must say so.
        assertTrue(r.residuals()[0] > 1e-6, "residual " + r.residuals()[0]);
        // Ritz values are Rayleigh quotients: they never exceed λ_max.
        assertTrue(r.values()[0] <= s.descending()[0] + 1e-12);
    }

    @Test
    void operatorMatrixIsNotModified() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.uniform(30, -1, 1, 7), 113);
        Matrix before = s.a.copy();
        Lanczos.topEigenvalues(s.operator(), 3, 100, TOL, new SplittableRandom(0));
        assertArrayEquals(before.data, s.a.data, 0.0);
    }

    static Stream<Arguments> badInputs() {
        LinearOperator op = LinearOperator.of(Matrix.identity(4));
        return Stream.of(
                Arguments.of("k=0", op, 0, 10, TOL),
                Arguments.of("k<0", op, -1, 10, TOL),
                Arguments.of("maxIterations=0", op, 1, 0, TOL),
                Arguments.of("negative tolerance", op, 1, 10, -1e-3),
                Arguments.of("NaN tolerance", op, 1, 10, Double.NaN),
                Arguments.of("empty operator", LinearOperator.of(new Matrix(0, 0)), 1, 10, TOL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputsAreRejected(String name, LinearOperator op, int k, int maxIterations, double tolerance) {
        assertThrows(IllegalArgumentException.class,
                () -> Lanczos.topEigenvalues(op, k, maxIterations, tolerance, new SplittableRandom(1)));
    }

    private static void assertOrthonormal(Matrix x, String name) {
        int dim = x.cols;
        for (int i = 0; i < x.rows; i++) {
            for (int j = 0; j <= i; j++) {
                double d = 0;
                for (int c = 0; c < dim; c++) {
                    d += x.data[i * dim + c] * x.data[j * dim + c];
                }
                assertEquals(i == j ? 1.0 : 0.0, d, ORTHO_TOL, name + " <x" + i + ", x" + j + ">");
            }
        }
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }
}
