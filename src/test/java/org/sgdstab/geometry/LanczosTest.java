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
import org.sgdstab.linalg.Vectors;

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

    // ---------------------------------------------------------------- largest (warm start, restarts)

    static Stream<Arguments> largestCases() {
        return Stream.of(
                Arguments.of("distinct-psd", KnownSpectrum.of(KnownSpectrum.uniform(80, 0, 10, 1), 121), 48),
                Arguments.of("distinct-psd-restarts", KnownSpectrum.of(KnownSpectrum.uniform(80, 0, 10, 1), 121), 4),
                Arguments.of("indefinite-restarts", KnownSpectrum.of(KnownSpectrum.concat(
                        new double[] {3, -8}, KnownSpectrum.uniform(58, -6, 2.5, 4)), 122), 6),
                Arguments.of("degenerate-top", KnownSpectrum.of(KnownSpectrum.concat(
                        new double[] {5, 5, 5}, KnownSpectrum.uniform(37, -1, 4, 3)), 123), 10),
                Arguments.of("dim<basis", KnownSpectrum.of(new double[] {2, -1, 0.5}, 124), 48),
                Arguments.of("one-dimensional", KnownSpectrum.of(new double[] {-3}, 125), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("largestCases")
    void largestFindsTheTopEigenpairFromAGenericStart(String name, KnownSpectrum s, int basis) {
        double[] start = gaussian(s.dim(), 8);
        RitzPair r = Lanczos.largest(s.operator(), start, TOL, basis, 20_000);
        double scale = Math.max(1.0, s.spectralNorm());
        assertTrue(r.converged(), name);
        assertEquals(s.descending()[0], r.value(), EIG_RTOL * scale, name);
        assertEquals(1.0, Vectors.norm2(r.vector()), ORTHO_TOL, name + " unit vector");
        double trueResidual = residual(s, r);
        assertTrue(trueResidual <= RESIDUAL_RTOL * scale, name + " true residual " + trueResidual);
        assertEquals(trueResidual, r.residual(), RESIDUAL_RTOL * scale, name + " reported residual is the true one");
    }

    @Test
    void largestWarmStartFromANearbyOperatorConvergesFaster() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.uniform(150, 0, 1, 9), 126);
        RitzPair cold = Lanczos.largest(s.operator(), gaussian(150, 1), TOL, 48, 20_000);
        // A + 0.01·A² has the same eigenvectors: the old Ritz vector is (almost) its top eigenvector.
        Matrix a2 = s.a.copy();
        for (int i = 0; i < 150; i++) {
            for (int j = 0; j < 150; j++) {
                double t = 0;
                for (int k = 0; k < 150; k++) {
                    t += s.a.get(i, k) * s.a.get(k, j);
                }
                a2.set(i, j, s.a.get(i, j) + 0.01 * t);
            }
        }
        RitzPair warm = Lanczos.largest(LinearOperator.of(a2), cold.vector(), TOL, 48, 20_000);
        double top = s.descending()[0];
        assertEquals(top + 0.01 * top * top, warm.value(), EIG_RTOL * 2, "warm value");
        assertTrue(warm.converged() && warm.applications() < cold.applications() / 2,
                "warm " + warm.applications() + " vs cold " + cold.applications() + " applications");
    }

    @Test
    void largestFromAnEigenvectorStopsAtOnceOnTheInvariantSubspace() {
        KnownSpectrum s = KnownSpectrum.of(new double[] {4, 1, 2, 3}, 127);
        RitzPair top = Lanczos.largest(s.operator(), gaussian(4, 2), TOL, 48, 100);
        RitzPair again = Lanczos.largest(s.operator(), top.vector(), TOL, 48, 100);
        assertTrue(again.converged());
        assertEquals(1, again.applications());
        assertEquals(4.0, again.value(), EIG_RTOL * 4);
    }

    @Test
    void largestRespectsTheBudgetAndItsResidualTellsTheTruth() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.uniform(300, 0, 1, 10), 128);
        // Basis 4 with restarts on a crowded spectrum: far from converged after 10 applications.
        RitzPair r = Lanczos.largest(s.operator(), gaussian(300, 3), 1e-12, 4, 10);
        assertEquals(10, r.applications());
        assertTrue(!r.converged() && r.residual() > 1e-6, "residual " + r.residual());
        assertTrue(r.value() <= s.descending()[0] + 1e-12, "a Rayleigh quotient never exceeds lambda_max");
        assertEquals(residual(s, r), r.residual(), RESIDUAL_RTOL, "reported residual is the true one");
    }

    static Stream<Arguments> largestBadInputs() {
        LinearOperator op = LinearOperator.of(Matrix.identity(4));
        double[] ok = {1, 0, 0, 0};
        return Stream.of(
                Arguments.of("wrong start length", op, new double[3], TOL, 8, 10),
                Arguments.of("zero start", op, new double[4], TOL, 8, 10),
                Arguments.of("NaN start", op, new double[] {1, Double.NaN, 0, 0}, TOL, 8, 10),
                Arguments.of("negative tolerance", op, ok, -1.0, 8, 10),
                Arguments.of("basis 1", op, ok, TOL, 1, 10),
                Arguments.of("no applications", op, ok, TOL, 8, 0),
                Arguments.of("empty operator", LinearOperator.of(new Matrix(0, 0)), new double[0], TOL, 8, 10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("largestBadInputs")
    void largestRejectsBadInputs(String name, LinearOperator op, double[] start, double tol, int basis, int apps) {
        assertThrows(IllegalArgumentException.class, () -> Lanczos.largest(op, start, tol, basis, apps));
    }

    /** ‖A y − θ y‖ by plain loops. */
    private static double residual(KnownSpectrum s, RitzPair r) {
        int n = s.dim();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double t = -r.value() * r.vector()[i];
            for (int j = 0; j < n; j++) {
                t += s.a.get(i, j) * r.vector()[j];
            }
            sum += t * t;
        }
        return Math.sqrt(sum);
    }

    private static double[] gaussian(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
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
