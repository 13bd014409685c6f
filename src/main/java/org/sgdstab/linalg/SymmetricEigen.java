package org.sgdstab.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * Eigen-decomposition of a dense symmetric matrix by LAPACK's divide-and-conquer {@code dsyevd}.
 *
 * @param values  eigenvalues in ascending order
 * @param vectors the eigenvectors as rows: row i is the unit eigenvector of {@code values[i]};
 *                null when only values were asked for
 */
public record SymmetricEigen(double[] values, Matrix vectors) {

    /** Eigenvalues and eigenvectors of symmetric {@code a} (only its lower triangle, row-major, is read). Not modified. */
    public static SymmetricEigen decompose(Matrix a) {
        return run(a, true);
    }

    /** Eigenvalues only, ascending. {@code a} is not modified. */
    public static double[] values(Matrix a) {
        return run(a, false).values();
    }

    private static SymmetricEigen run(Matrix a, boolean wantVectors) {
        Matrix.requireSquare(a);
        int n = a.rows;
        if (n == 0) {
            return new SymmetricEigen(new double[0], wantVectors ? new Matrix(0, 0) : null);
        }
        if (!a.allFinite()) {
            throw new IllegalArgumentException("matrix has non-finite entries");
        }
        double[] work = a.data.clone();
        double[] w = new double[n];
        String jobz = wantVectors ? "V" : "N";
        // Row-major lower triangle = column-major upper triangle.
        LAPACK lapack = LAPACK.getInstance();
        double[] wq = new double[1];
        int[] iwq = new int[1];
        intW info = new intW(0);
        lapack.dsyevd(jobz, "U", n, work, n, w, wq, -1, iwq, -1, info);
        double[] ws = new double[(int) wq[0]];
        int[] iws = new int[Math.max(1, iwq[0])];
        lapack.dsyevd(jobz, "U", n, work, n, w, ws, ws.length, iws, iws.length, info);
        if (info.val != 0) {
            throw new ArithmeticException("dsyevd failed to converge (info=" + info.val + ")");
        }
        // Column-major eigenvector columns are row-major rows.
        return new SymmetricEigen(w, wantVectors ? new Matrix(n, n, work) : null);
    }

    /** The largest eigenvalue. */
    public double max() {
        return values[values.length - 1];
    }
}
