package org.sgdstab.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * {@link Blas} over dev.ludovic.netlib, which binds the system OpenBLAS when it is installed and
 * otherwise falls back to pure Java (vectorised when {@code jdk.incubator.vector} is present).
 * Row-major calls are mapped onto column-major BLAS by computing the transposed product.
 */
final class NetlibBlas implements Blas {
    static final NetlibBlas INSTANCE = new NetlibBlas();

    private final BLAS blas = BLAS.getInstance();

    private NetlibBlas() {
    }

    @Override
    public String backendName() {
        return blas.getClass().getSimpleName();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleBlock(m, n, beta, c, cOff, ldc);
            return;
        }
        boolean counted = BlasAccounting.enabled();
        long t0 = counted ? System.nanoTime() : 0;
        // Row-major C = op(A) op(B)  <=>  column-major Cᵀ = op(B)ᵀ op(A)ᵀ.
        blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, alpha,
                b, bOff, Math.max(1, ldb), a, aOff, Math.max(1, lda), beta, c, cOff, Math.max(1, ldc));
        if (counted) {
            BlasAccounting.record(BlasAccounting.Call.gemm(transA, transB, m, n, k), System.nanoTime() - t0);
        }
    }

    @Override
    public void syrk(boolean trans, int n, int k, double alpha, double[] a, int aOff, int lda,
                     double beta, double[] c, int cOff, int ldc) {
        if (n == 0) {
            return;
        }
        if (k == 0) {
            scaleBlock(n, n, beta, c, cOff, ldc);
            return;
        }
        // Row-major A (n×k) is column-major Aᵀ, so A·Aᵀ is column-major "T" form, and vice versa.
        // Column-major "U" is the row-major lower triangle; mirror it afterwards.
        boolean counted = BlasAccounting.enabled();
        long t0 = counted ? System.nanoTime() : 0;
        blas.dsyrk("U", trans ? "N" : "T", n, k, alpha, a, aOff, Math.max(1, lda), beta, c, cOff, Math.max(1, ldc));
        // The mirror is a Java pass, not time inside the BLAS library.
        if (counted) {
            BlasAccounting.record(BlasAccounting.Call.syrk(trans, n, k), System.nanoTime() - t0);
        }
        mirrorLowerToUpper(n, c, cOff, ldc);
    }

    @Override
    public void gemv(boolean transA, int m, int n, double alpha, double[] a, int aOff, int lda,
                     double[] x, int xOff, double beta, double[] y, int yOff) {
        if (m == 0 || n == 0) {
            int len = transA ? n : m;
            for (int i = 0; i < len; i++) {
                y[yOff + i] *= beta;
            }
            return;
        }
        boolean counted = BlasAccounting.enabled();
        long t0 = counted ? System.nanoTime() : 0;
        // Row-major A (m×n) is column-major Aᵀ (n×m).
        blas.dgemv(transA ? "N" : "T", n, m, alpha, a, aOff, Math.max(1, lda), x, xOff, 1, beta, y, yOff, 1);
        if (counted) {
            BlasAccounting.record(BlasAccounting.Call.gemv(transA, m, n), System.nanoTime() - t0);
        }
    }

    /** Tile edge for the mirror: two tiles of doubles stay in L1 while one is read by columns. */
    private static final int MIRROR_TILE = 64;

    /** Copies the lower triangle of row-major C onto the upper one, tile by tile so the strided reads stay in cache. */
    private static void mirrorLowerToUpper(int n, double[] c, int cOff, int ldc) {
        for (int ib = 0; ib < n; ib += MIRROR_TILE) {
            int iEnd = Math.min(n, ib + MIRROR_TILE);
            for (int jb = ib; jb < n; jb += MIRROR_TILE) {
                int jEnd = Math.min(n, jb + MIRROR_TILE);
                for (int i = ib; i < iEnd; i++) {
                    int row = cOff + i * ldc;
                    for (int j = Math.max(jb, i + 1); j < jEnd; j++) {
                        c[row + j] = c[cOff + j * ldc + i];
                    }
                }
            }
        }
    }

    private static void scaleBlock(int m, int n, double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                c[cOff + i * ldc + j] = beta == 0 ? 0.0 : beta * c[cOff + i * ldc + j];
            }
        }
    }
}
