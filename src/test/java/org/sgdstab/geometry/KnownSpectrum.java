package org.sgdstab.geometry;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.SymmetricEigen;

/**
 * Test matrices A = Qᵀ diag(λ) Q with a random orthogonal Q, so the spectrum, trace and Frobenius
 * norm are known in advance instead of computed by the code under test. A is assembled by plain
 * loops (no BLAS) to keep the reference independent.
 */
final class KnownSpectrum {
    final double[] lambda;
    final Matrix a;

    private KnownSpectrum(double[] lambda, Matrix a) {
        this.lambda = lambda;
        this.a = a;
    }

    /** A with eigenvalues {@code lambda} (any order) and eigenvectors from a seeded random orthogonal matrix. */
    static KnownSpectrum of(double[] lambda, long seed) {
        int n = lambda.length;
        Matrix q = randomOrthogonal(n, seed);
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int e = 0; e < n; e++) {
                    s += lambda[e] * q.data[e * n + i] * q.data[e * n + j];
                }
                a.data[i * n + j] = s;
                a.data[j * n + i] = s;
            }
        }
        return new KnownSpectrum(lambda.clone(), a);
    }

    /** Rows are an orthonormal basis: eigenvectors of a random symmetric matrix. */
    static Matrix randomOrthogonal(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix s = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = rng.nextGaussian();
                s.data[i * n + j] = v;
                s.data[j * n + i] = v;
            }
        }
        return SymmetricEigen.decompose(s).vectors();
    }

    /** n values uniform in [lo, hi), seeded. */
    static double[] uniform(int n, double lo, double hi, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rng.nextDouble(lo, hi);
        }
        return v;
    }

    /** {@code head} followed by {@code tail}. */
    static double[] concat(double[] head, double[] tail) {
        double[] v = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, v, head.length, tail.length);
        return v;
    }

    LinearOperator operator() {
        return LinearOperator.of(a);
    }

    int dim() {
        return lambda.length;
    }

    /** Eigenvalues, descending. */
    double[] descending() {
        double[] v = lambda.clone();
        Arrays.sort(v);
        for (int i = 0, j = v.length - 1; i < j; i++, j--) {
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    double trace() {
        double s = 0;
        for (double l : lambda) {
            s += l;
        }
        return s;
    }

    double frobeniusSquared() {
        double s = 0;
        for (double l : lambda) {
            s += l * l;
        }
        return s;
    }

    /** ‖A‖₂ = max |λ|. */
    double spectralNorm() {
        double s = 0;
        for (double l : lambda) {
            s = Math.max(s, Math.abs(l));
        }
        return s;
    }

    /** Var(vᵀAv) for Rademacher v: 2 Σ_{i≠j} A_ij². */
    double rademacherTraceVariance() {
        int n = dim();
        double s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    s += a.get(i, j) * a.get(i, j);
                }
            }
        }
        return 2 * s;
    }
}
