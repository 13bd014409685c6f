package org.sgdstab.stability;

import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.SymmetricEigen;
import org.sgdstab.linalg.Vectors;

/**
 * Largest algebraic eigenvalue of a symmetric operator by Lanczos with full
 * reorthogonalisation and explicit restarts from the current best Ritz vector.
 *
 * <p>Full reorthogonalisation keeps the Krylov basis orthonormal to working precision, so the
 * residual estimate {@code β_j |s_j|} (last component of the Ritz vector in the tridiagonal
 * basis) is the true residual {@code ‖A y − θ y‖} up to round-off. For a symmetric operator some
 * eigenvalue lies within that residual of θ, and θ never exceeds the largest eigenvalue (it is a
 * Rayleigh quotient). Package-private: the stability maps are its only callers.
 */
final class Lanczos {
    /** A Ritz pair: value, unit vector, residual norm, operator applications, converged flag. */
    record Ritz(double value, double[] vector, double residual, int applications, boolean converged) {
    }

    private Lanczos() {
    }

    /**
     * Iterates until {@code residual ≤ relTol · |θ|}, an invariant subspace is found, or
     * {@code maxApplications} operator applications are spent.
     *
     * @param op              symmetric operator. Not modified.
     * @param start           nonzero start vector of length {@code op.dim()}. Not modified.
     * @param relTol          relative residual tolerance
     * @param maxBasis        Krylov basis size before an explicit restart (≥ 2)
     * @param maxApplications cap on operator applications
     */
    static Ritz largest(LinearOperator op, double[] start, double relTol, int maxBasis, int maxApplications) {
        int dim = op.dim();
        if (start.length != dim) {
            throw new IllegalArgumentException("start vector has length " + start.length + ", operator dimension is " + dim);
        }
        double startNorm = Vectors.norm2(start);
        if (!(startNorm > 0) || !Double.isFinite(startNorm)) {
            throw new IllegalArgumentException("Lanczos start vector must be finite and nonzero");
        }
        int basisCap = Math.max(2, Math.min(maxBasis, dim));
        double[][] q = new double[basisCap + 1][];
        double[] alpha = new double[basisCap];
        double[] beta = new double[basisCap];
        double[] current = start.clone();
        Vectors.scale(1.0 / startNorm, current);
        int applications = 0;
        double theta = Double.NaN;
        double residual = Double.POSITIVE_INFINITY;
        double[] ritz = current.clone();
        Matrix in = new Matrix(1, dim);
        Matrix out = new Matrix(1, dim);
        while (true) {
            q[0] = current;
            int m = 0;
            double[] s = null;
            boolean invariant = false;
            while (m < basisCap && applications < maxApplications) {
                System.arraycopy(q[m], 0, in.data, 0, dim);
                op.apply(in, out);
                applications++;
                double[] w = out.data.clone();
                alpha[m] = Vectors.dot(q[m], w);
                // Two passes of classical Gram–Schmidt against the whole basis ("twice is enough").
                for (int pass = 0; pass < 2; pass++) {
                    for (int i = 0; i <= m; i++) {
                        Vectors.axpy(-Vectors.dot(q[i], w), q[i], w);
                    }
                }
                beta[m] = Vectors.norm2(w);
                m++;
                SymmetricEigen te = SymmetricEigen.decompose(tridiagonal(alpha, beta, m));
                theta = te.max();
                s = te.vectors().row(m - 1);
                residual = beta[m - 1] * Math.abs(s[m - 1]);
                // An exhausted Krylov space (β ≈ 0 relative to the operator scale) is invariant: θ is exact.
                double scale = Math.max(Math.abs(theta), Math.abs(alpha[m - 1]));
                if (beta[m - 1] <= 1e-14 * Math.max(scale, Double.MIN_NORMAL)) {
                    invariant = true;
                }
                if (invariant || residual <= relTol * Math.abs(theta)) {
                    break;
                }
                if (m < basisCap) {
                    Vectors.scale(1.0 / beta[m - 1], w);
                    q[m] = w;
                }
            }
            ritz = new double[dim];
            for (int i = 0; i < m; i++) {
                Vectors.axpy(s[i], q[i], ritz);
            }
            double rn = Vectors.norm2(ritz);
            Vectors.scale(1.0 / rn, ritz);
            boolean converged = invariant || residual <= relTol * Math.abs(theta);
            if (converged || applications >= maxApplications) {
                return new Ritz(theta, ritz, invariant ? 0.0 : residual, applications, converged);
            }
            current = ritz;
        }
    }

    private static Matrix tridiagonal(double[] alpha, double[] beta, int m) {
        Matrix t = new Matrix(m, m);
        for (int i = 0; i < m; i++) {
            t.set(i, i, alpha[i]);
            if (i + 1 < m) {
                t.set(i, i + 1, beta[i]);
                t.set(i + 1, i, beta[i]);
            }
        }
        return t;
    }
}
