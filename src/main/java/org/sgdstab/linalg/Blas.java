package org.sgdstab.linalg;

/**
 * The one GEMM interface of the project, in row-major convention.
 *
 * <p>Every matrix product in the code goes through here so that a single backend (netlib over
 * the system OpenBLAS, or its vectorised pure-Java fallback) does the heavy work. Arrays are
 * addressed as row-major sub-matrices: element (i, j) of A is {@code a[aOff + i * lda + j]}.
 */
public interface Blas {

    /** The process-wide backend. */
    static Blas get() {
        return NetlibBlas.INSTANCE;
    }

    /** A short name of the backend in use, e.g. "JNIBLAS (OpenBLAS)". */
    String backendName();

    /**
     * C = alpha · op(A) · op(B) + beta · C, where op(A) is m × k and op(B) is k × n.
     * Modifies c only.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
              double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
              double beta, double[] c, int cOff, int ldc);

    /**
     * The symmetric rank-k update C = alpha · A·Aᵀ + beta · C (A is n × k, row-major) when
     * {@code trans} is false, or C = alpha · Aᵀ·A + beta · C (A is k × n) when true. Both
     * triangles of C are written. Modifies c only.
     */
    void syrk(boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda,
              double beta, double[] c, int cOff, int ldc);

    /** y = alpha · op(A) · x + beta · y with A m × n row-major. Modifies y only. */
    void gemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda,
              double[] x, int xOff, double beta, double[] y, int yOff);

    /** C = alpha · op(A) · op(B) + beta · C on whole matrices, with shape checks. Modifies c. */
    default void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        int m = transA ? a.cols : a.rows;
        int k = transA ? a.rows : a.cols;
        int kb = transB ? b.cols : b.rows;
        int n = transB ? b.rows : b.cols;
        if (k != kb) {
            throw new IllegalArgumentException("gemm inner dimensions differ: op(A) is " + m + "x" + k + ", op(B) is " + kb + "x" + n);
        }
        Matrix.requireShape(c, m, n, "C");
        if (c.data == a.data || c.data == b.data) {
            throw new IllegalArgumentException("gemm output aliases an input");
        }
        gemm(transA, transB, m, n, k, alpha, a.data, 0, a.cols, b.data, 0, b.cols, beta, c.data, 0, c.cols);
    }

    /** Returns op(A) · op(B), newly allocated. */
    default Matrix multiply(boolean transA, Matrix a, boolean transB, Matrix b) {
        Matrix c = new Matrix(transA ? a.cols : a.rows, transB ? b.rows : b.cols);
        gemm(transA, transB, 1.0, a, b, 0.0, c);
        return c;
    }

    /** Returns A·Aᵀ (or Aᵀ·A when {@code trans}), newly allocated, by SYRK. */
    default Matrix gram(Matrix a, boolean trans) {
        int n = trans ? a.cols : a.rows;
        int k = trans ? a.rows : a.cols;
        Matrix c = new Matrix(n, n);
        syrk(trans, n, k, 1.0, a.data, 0, a.cols, 0.0, c.data, 0, n);
        return c;
    }
}
