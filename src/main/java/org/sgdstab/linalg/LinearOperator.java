package org.sgdstab.linalg;

/**
 * A symmetric linear operator on R^dim, applied to blocks of vectors so that implementations
 * can use GEMMs. Hessians, Gauss–Newton/Fisher products, Gram matrices and the second-moment
 * map are all expressed through this, and every estimator (Hutchinson, Lanczos, power
 * iteration) is written once against it.
 */
public interface LinearOperator {

    /** Dimension of the space the operator acts on. */
    int dim();

    /**
     * out = A · v for a block of m vectors stored as the rows of {@code v} (m × dim).
     *
     * @param v   input block, m × dim. Not modified.
     * @param out output block, m × dim. Modified.
     */
    void apply(Matrix v, Matrix out);

    /** A operator from a dense symmetric matrix. */
    static LinearOperator of(Matrix a) {
        Matrix.requireSquare(a);
        return new LinearOperator() {
            @Override
            public int dim() {
                return a.rows;
            }

            @Override
            public void apply(Matrix v, Matrix out) {
                // A symmetric: rows of out are (A v_i)ᵀ = v_iᵀ A.
                Blas.get().gemm(false, false, 1.0, v, a, 0.0, out);
            }
        };
    }

    /** Forms the operator densely with dim applications in blocks of {@code block}. */
    default Matrix toDense(int block) {
        int p = dim();
        Matrix dense = new Matrix(p, p);
        int b = Math.max(1, Math.min(block, p));
        for (int start = 0; start < p; start += b) {
            int m = Math.min(b, p - start);
            Matrix e = new Matrix(m, p);
            for (int j = 0; j < m; j++) {
                e.data[j * p + start + j] = 1.0;
            }
            Matrix out = new Matrix(m, p);
            apply(e, out);
            System.arraycopy(out.data, 0, dense.data, start * p, m * p);
        }
        // Symmetrise away round-off so the dense eigensolver sees an exactly symmetric matrix.
        for (int i = 0; i < p; i++) {
            for (int j = i + 1; j < p; j++) {
                double s = 0.5 * (dense.data[i * p + j] + dense.data[j * p + i]);
                dense.data[i * p + j] = s;
                dense.data[j * p + i] = s;
            }
        }
        return dense;
    }
}
