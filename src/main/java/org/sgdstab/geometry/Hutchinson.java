package org.sgdstab.geometry;

import java.util.SplittableRandom;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;

/**
 * Hutchinson's stochastic trace estimator (theory.md §4): for Rademacher v (entries ±1),
 * E[vᵀAv] = Tr A and, for symmetric A, E[‖Av‖²] = Tr A² = ‖A‖_F².
 *
 * <p>Probes are applied in blocks so the operator sees GEMM-shaped work. Probe i is always drawn
 * as the i-th consecutive run of {@code dim} signs from the generator, and per-probe samples are
 * reduced in probe order, so the block size changes the result only by round-off inside the
 * operator.
 */
public final class Hutchinson {
    private Hutchinson() {
    }

    /**
     * Estimates Tr A and ‖A‖_F² (and ‖A‖_F) with standard errors.
     *
     * @param op        symmetric operator, dim ≥ 1. Not modified.
     * @param probes    number of Rademacher probes, ≥ 2 (a standard error needs two samples)
     * @param blockSize probes per operator application, ≥ 1
     * @param rng       source of the probe signs. Modified (advanced).
     * @throws IllegalArgumentException on a bad argument
     */
    public static HutchinsonEstimate estimate(LinearOperator op, int probes, int blockSize, SplittableRandom rng) {
        if (op == null || rng == null) {
            throw new IllegalArgumentException("operator and rng are required");
        }
        if (probes < 2) {
            throw new IllegalArgumentException("Hutchinson needs at least 2 probes for a standard error, got " + probes);
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be ≥ 1, got " + blockSize);
        }
        int dim = op.dim();
        if (dim < 1) {
            throw new IllegalArgumentException("operator dimension must be ≥ 1, got " + dim);
        }
        double[] traceSamples = new double[probes];
        double[] frobSamples = new double[probes];
        int b = Math.min(blockSize, probes);
        Matrix v = new Matrix(b, dim);
        Matrix av = new Matrix(b, dim);
        for (int start = 0; start < probes; start += b) {
            int m = Math.min(b, probes - start);
            Matrix vb = m == b ? v : new Matrix(m, dim);
            Matrix avb = m == b ? av : new Matrix(m, dim);
            for (int r = 0; r < m; r++) {
                fillRademacher(rng, vb.data, r * dim, dim);
            }
            op.apply(vb, avb);
            for (int r = 0; r < m; r++) {
                double t = 0;
                double f = 0;
                int off = r * dim;
                for (int i = 0; i < dim; i++) {
                    double y = avb.data[off + i];
                    t += vb.data[off + i] * y;
                    f += y * y;
                }
                traceSamples[start + r] = t;
                frobSamples[start + r] = f;
            }
        }
        double trace = mean(traceSamples);
        double traceSe = stdErr(traceSamples, trace);
        double frob2 = mean(frobSamples);
        double frob2Se = stdErr(frobSamples, frob2);
        double frob = Math.sqrt(frob2);
        // d√x/dx = 1/(2√x); when frob2 is 0 all samples are 0 and so is the spread.
        double frobSe = frob > 0 ? frob2Se / (2 * frob) : 0.0;
        return new HutchinsonEstimate(trace, traceSe, frob2, frob2Se, frob, frobSe, probes);
    }

    /** Writes n signs ±1 into dst[off..off+n), 64 per generator draw. */
    private static void fillRademacher(SplittableRandom rng, double[] dst, int off, int n) {
        for (int i = 0; i < n; i += 64) {
            long bits = rng.nextLong();
            int end = Math.min(n, i + 64);
            for (int j = i; j < end; j++) {
                dst[off + j] = (bits & 1L) == 0 ? 1.0 : -1.0;
                bits >>>= 1;
            }
        }
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Sample standard deviation (n − 1 denominator) over √n. */
    private static double stdErr(double[] x, double mean) {
        double s = 0;
        for (double v : x) {
            double d = v - mean;
            s += d * d;
        }
        return Math.sqrt(s / (x.length - 1) / x.length);
    }
}
