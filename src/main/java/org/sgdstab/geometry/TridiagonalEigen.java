package org.sgdstab.geometry;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * Eigen-decomposition of a small symmetric tridiagonal matrix by LAPACK {@code dstev} (implicit
 * QL/QR), the solver Lanczos needs; a general eigensolver would throw away the symmetry and the
 * structure (PyHessian's mistake).
 *
 * @param values  eigenvalues in ascending order, length m
 * @param vectors eigenvectors column-major, m × m: component j of the eigenvector of
 *                {@code values[i]} is {@code vectors[j + i * m]}
 */
record TridiagonalEigen(double[] values, double[] vectors) {

    /**
     * Decomposes the m × m tridiagonal matrix with diagonal {@code diag[0..m)} and off-diagonal
     * {@code offDiag[0..m-1)}.
     *
     * @param diag    diagonal, length ≥ m. Not modified.
     * @param offDiag off-diagonal, length ≥ m − 1. Not modified.
     * @param m       order of the matrix, ≥ 1
     */
    static TridiagonalEigen decompose(double[] diag, double[] offDiag, int m) {
        if (m < 1 || diag.length < m || offDiag.length < m - 1) {
            throw new IllegalArgumentException("tridiagonal of order " + m + " needs diag ≥ " + m
                    + " and offDiag ≥ " + (m - 1) + " entries, got " + diag.length + " and " + offDiag.length);
        }
        double[] d = java.util.Arrays.copyOf(diag, m);
        // dstev reads n − 1 entries of e but the array must have at least one element.
        double[] e = java.util.Arrays.copyOf(offDiag, Math.max(1, m - 1));
        if (m == 1) {
            e[0] = 0.0;
        }
        double[] z = new double[m * m];
        double[] work = new double[Math.max(1, 2 * m - 2)];
        intW info = new intW(0);
        LAPACK.getInstance().dstev("V", m, d, e, z, m, work, info);
        if (info.val != 0) {
            throw new ArithmeticException("dstev failed to converge (info=" + info.val + ")");
        }
        return new TridiagonalEigen(d, z);
    }

    /** Order of the matrix. */
    int order() {
        return values.length;
    }

    /** Component j of the i-th eigenvector (eigenvalues ascending). */
    double component(int j, int i) {
        return vectors[j + i * values.length];
    }
}
