package org.sgdstab.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;

class HutchinsonTest {
    /** A Gaussian mean lies within 3 standard errors with probability 99.7%; the seeds are fixed. */
    private static final double Z_BOUND = 3.0;
    /**
     * Reported stderr vs spread across 200 seeds: each side has ~5–10% sampling noise (more for the
     * heavier-tailed ‖Av‖² samples), so a factor 1.5 fails only for a wrong formula (e.g. a missing √probes).
     */
    private static final double STDERR_FACTOR = 1.5;
    /** Block size changes only the GEMM summation order: round-off on O(dim) sums of O(1) terms. */
    private static final double BLOCK_RTOL = 1e-12;
    /** For a diagonal A every Rademacher sample is exact up to summation round-off. */
    private static final double EXACT_RTOL = 1e-13;

    private static final int SEEDS = 200;
    private static final int PROBES = 8;

    static Stream<Arguments> spectra() {
        return Stream.of(
                Arguments.of("psd", KnownSpectrum.of(KnownSpectrum.uniform(40, 0, 5, 11), 1)),
                Arguments.of("indefinite", KnownSpectrum.of(KnownSpectrum.uniform(40, -4, 3, 12), 2)),
                Arguments.of("low-rank", KnownSpectrum.of(
                        KnownSpectrum.concat(new double[] {6, 2, -1}, new double[27]), 3)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spectra")
    void meanOverSeedsIsWithinThreeStandardErrors(String name, KnownSpectrum s) {
        double[] tr = new double[SEEDS];
        double[] f2 = new double[SEEDS];
        double trVar = 0;
        double f2Var = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            HutchinsonEstimate e = Hutchinson.estimate(s.operator(), PROBES, 4, new SplittableRandom(seed));
            tr[seed] = e.trace();
            f2[seed] = e.frobeniusSquared();
            trVar += e.traceStdErr() * e.traceStdErr();
            f2Var += e.frobeniusSquaredStdErr() * e.frobeniusSquaredStdErr();
        }
        // The mean of SEEDS independent estimates has variance (mean reported variance) / SEEDS.
        double trSe = Math.sqrt(trVar / SEEDS / SEEDS);
        double f2Se = Math.sqrt(f2Var / SEEDS / SEEDS);
        assertTrue(Math.abs(mean(tr) - s.trace()) <= Z_BOUND * trSe,
                name + ": trace " + mean(tr) + " vs " + s.trace() + " (se " + trSe + ")");
        assertTrue(Math.abs(mean(f2) - s.frobeniusSquared()) <= Z_BOUND * f2Se,
                name + ": ‖A‖_F² " + mean(f2) + " vs " + s.frobeniusSquared() + " (se " + f2Se + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spectra")
    void reportedStdErrMatchesSpreadAcrossSeeds(String name, KnownSpectrum s) {
        double[] tr = new double[SEEDS];
        double[] f2 = new double[SEEDS];
        double trVar = 0;
        double f2Var = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            HutchinsonEstimate e = Hutchinson.estimate(s.operator(), PROBES, 3, new SplittableRandom(1000 + seed));
            tr[seed] = e.trace();
            f2[seed] = e.frobeniusSquared();
            trVar += e.traceStdErr() * e.traceStdErr();
            f2Var += e.frobeniusSquaredStdErr() * e.frobeniusSquaredStdErr();
        }
        assertRatio(name + " trace", std(tr), Math.sqrt(trVar / SEEDS));
        assertRatio(name + " ‖A‖_F²", std(f2), Math.sqrt(f2Var / SEEDS));
        // Independent reference for the trace: Var(vᵀAv) = 2 Σ_{i≠j} A_ij² for Rademacher v.
        assertRatio(name + " trace vs theory", Math.sqrt(s.rademacherTraceVariance() / PROBES), Math.sqrt(trVar / SEEDS));
    }

    @Test
    void blockSizeDoesNotChangeTheEstimate() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.uniform(70, -2, 5, 21), 4);
        // |vᵀAv| ≤ dim·‖A‖₂ and ‖Av‖² ≤ dim·‖A‖₂²: round-off in the samples is relative to these.
        double traceScale = s.dim() * s.spectralNorm();
        double frobScale = traceScale * s.spectralNorm();
        HutchinsonEstimate ref = Hutchinson.estimate(s.operator(), 10, 1, new SplittableRandom(42));
        for (int block : new int[] {2, 3, 7, 10, 64}) {
            HutchinsonEstimate e = Hutchinson.estimate(s.operator(), 10, block, new SplittableRandom(42));
            String msg = "block " + block;
            assertEquals(ref.trace(), e.trace(), BLOCK_RTOL * traceScale, msg);
            assertEquals(ref.traceStdErr(), e.traceStdErr(), BLOCK_RTOL * traceScale, msg);
            assertEquals(ref.frobeniusSquared(), e.frobeniusSquared(), BLOCK_RTOL * frobScale, msg);
            assertEquals(ref.frobeniusSquaredStdErr(), e.frobeniusSquaredStdErr(), BLOCK_RTOL * frobScale, msg);
            assertEquals(10, e.probes());
        }
        // A different seed does change it, so the comparison above is not vacuous.
        HutchinsonEstimate other = Hutchinson.estimate(s.operator(), 10, 1, new SplittableRandom(43));
        assertTrue(Math.abs(other.trace() - ref.trace()) > 1e3 * BLOCK_RTOL * traceScale);
    }

    @Test
    void diagonalMatrixIsEstimatedExactlyWithZeroTraceError() {
        double[] d = {3, -1, 0.5, 2, 7, -4};
        Matrix a = new Matrix(d.length, d.length);
        double trace = 0;
        double f2 = 0;
        for (int i = 0; i < d.length; i++) {
            a.set(i, i, d[i]);
            trace += d[i];
            f2 += d[i] * d[i];
        }
        HutchinsonEstimate e = Hutchinson.estimate(LinearOperator.of(a), 5, 2, new SplittableRandom(7));
        assertEquals(trace, e.trace(), EXACT_RTOL * f2);
        assertEquals(0.0, e.traceStdErr(), EXACT_RTOL * f2);
        assertEquals(f2, e.frobeniusSquared(), EXACT_RTOL * f2);
        assertEquals(Math.sqrt(f2), e.frobenius(), EXACT_RTOL * f2);
    }

    @Test
    void zeroOperatorHasZeroEstimatesAndErrors() {
        HutchinsonEstimate e = Hutchinson.estimate(LinearOperator.of(new Matrix(5, 5)), 3, 2, new SplittableRandom(1));
        assertEquals(new HutchinsonEstimate(0, 0, 0, 0, 0, 0, 3), e);
    }

    @Test
    void frobeniusErrorIsTheDeltaMethodOfTheSquare() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.uniform(20, 0, 3, 5), 5);
        HutchinsonEstimate e = Hutchinson.estimate(s.operator(), 6, 4, new SplittableRandom(3));
        assertEquals(Math.sqrt(e.frobeniusSquared()), e.frobenius(), 0.0);
        assertEquals(e.frobeniusSquaredStdErr() / (2 * e.frobenius()), e.frobeniusStdErr(), 0.0);
    }

    @Test
    void operatorMatrixIsNotModified() {
        KnownSpectrum s = KnownSpectrum.of(KnownSpectrum.uniform(15, -1, 1, 6), 6);
        Matrix before = s.a.copy();
        Hutchinson.estimate(s.operator(), 4, 3, new SplittableRandom(0));
        assertArrayEquals(before.data, s.a.data, 0.0);
    }

    static Stream<Arguments> badInputs() {
        LinearOperator op = LinearOperator.of(Matrix.identity(4));
        return Stream.of(
                Arguments.of("probes=0", op, 0, 1),
                Arguments.of("probes=1", op, 1, 1),
                Arguments.of("probes<0", op, -3, 1),
                Arguments.of("block=0", op, 4, 0),
                Arguments.of("block<0", op, 4, -2),
                Arguments.of("empty operator", LinearOperator.of(new Matrix(0, 0)), 4, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputsAreRejected(String name, LinearOperator op, int probes, int block) {
        assertThrows(IllegalArgumentException.class, () -> Hutchinson.estimate(op, probes, block, new SplittableRandom(1)));
    }

    /** Tight check with many probes: the error is small in absolute terms and consistent with the stderr. */
    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("spectra")
    void manyProbesAreAccurate(String name, KnownSpectrum s) {
        int probes = 40_000;
        HutchinsonEstimate e = Hutchinson.estimate(s.operator(), probes, 64, new SplittableRandom(99));
        assertTrue(Math.abs(e.trace() - s.trace()) <= Z_BOUND * e.traceStdErr(), name + " trace");
        assertTrue(Math.abs(e.frobeniusSquared() - s.frobeniusSquared()) <= Z_BOUND * e.frobeniusSquaredStdErr(),
                name + " ‖A‖_F²");
        // With 40k probes the stderr itself is within ~1% of the theoretical value.
        assertEquals(Math.sqrt(s.rademacherTraceVariance() / probes), e.traceStdErr(),
                0.02 * e.traceStdErr(), name + " trace stderr vs theory");
        // Relative error of the estimates: about √(2/probes) ≈ 0.7% of ‖A‖_F² at most.
        assertEquals(s.frobeniusSquared(), e.frobeniusSquared(), 0.02 * s.frobeniusSquared(), name);
    }

    private static void assertRatio(String what, double expected, double actual) {
        double ratio = actual / expected;
        assertTrue(ratio <= STDERR_FACTOR && ratio >= 1 / STDERR_FACTOR,
                what + ": reported " + actual + " vs spread " + expected + " (ratio " + ratio + ")");
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double std(double[] x) {
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }
}
