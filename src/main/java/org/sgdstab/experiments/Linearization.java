package org.sgdstab.experiments;

import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.SymmetricEigen;
import org.sgdstab.stability.SecondMomentMap;

/**
 * A model linearised at a point θ*, {@code f_lin(x; θ) = f(x; θ*) + J(x)(θ − θ*)}, with targets
 * {@code f(x; θ*)} so that θ* is an exact global minimum of the linearised problem (a residual left at
 * θ* is not part of the linearised dynamics). Everything is derived from the NTK Gram matrix
 * {@code Θ = J Jᵀ} (nK × nK), never from a p × p matrix.
 *
 * <h2>Coordinates</h2>
 * With the thin SVD {@code J = U Λ^{1/2} Vᵀ} (rank r, V p × r orthonormal), write δ = θ − θ* as
 * {@code δ = V w + δ_⊥}. The loss {@code L = ‖Jδ‖²/(2n) = ½ Σ_k d_k w_k²} with {@code d_k = λ_k/n}, the
 * eigenvalues of H = G = JᵀJ/n on its range, and the gradient {@code ∇L = V D w} lie in range(V), so
 * δ_⊥ never enters L or ∇L: it only collects the noise's component orthogonal to range(Jᵀ). The
 * dynamics of L are therefore exactly those of w ∈ R^r under the projected noise {@code Vᵀξ}; this
 * class works in w, which costs O(r) per step for the Gaussian models. Residuals are {@code u = J δ = A w}
 * with {@code A = U_r Λ_r^{1/2}} (nK × r), exactly the A of {@link SecondMomentMap}; a sample's
 * per-example Jacobian in these coordinates is its K × r block {@code A_i} of rows.
 *
 * <p>Eigenvalues of Θ at or below {@link SecondMomentMap#RANK_RELATIVE_THRESHOLD}·λ_max are dropped,
 * as in {@link SecondMomentMap}, so the exact second-moment curves and these coordinates agree.
 */
public final class Linearization {
    private final int samples;
    private final int outputs;
    private final long parameters;
    private final int rank;
    private final Matrix a;
    private final double[] d;
    private final Matrix gram;

    /**
     * @param gram       Θ, nK × nK, symmetric PSD. Not modified (kept by reference: do not change it).
     * @param samples    n
     * @param outputs    K
     * @param parameters p, the model's parameter count (for the isotropic noise's σ² = Tr H / p)
     */
    public Linearization(Matrix gram, int samples, int outputs, long parameters) {
        if (samples < 1 || outputs < 1 || parameters < 1) {
            throw new IllegalArgumentException("need n, K, p ≥ 1, got " + samples + ", " + outputs + ", " + parameters);
        }
        Matrix.requireShape(gram, samples * outputs, samples * outputs, "NTK Gram");
        this.samples = samples;
        this.outputs = outputs;
        this.parameters = parameters;
        this.gram = gram;
        SymmetricEigen eig = SymmetricEigen.decompose(gram);
        double[] values = eig.values();
        int dim = values.length;
        double lmax = values[dim - 1];
        if (!(lmax > 0)) {
            throw new IllegalArgumentException("the NTK Gram matrix is zero: the linearised model cannot move");
        }
        int r = 0;
        while (r < dim && values[dim - 1 - r] > SecondMomentMap.RANK_RELATIVE_THRESHOLD * lmax) {
            r++;
        }
        rank = r;
        d = new double[r];
        a = new Matrix(dim, r);
        Matrix vectors = eig.vectors();
        for (int c = 0; c < r; c++) {
            int m = dim - 1 - c;
            d[c] = values[m] / samples;
            double sq = Math.sqrt(values[m]);
            for (int j = 0; j < dim; j++) {
                a.data[j * r + c] = vectors.data[m * dim + j] * sq;
            }
        }
    }

    public int samples() {
        return samples;
    }

    public int outputs() {
        return outputs;
    }

    public long parameters() {
        return parameters;
    }

    /** r, the rank kept. */
    public int rank() {
        return rank;
    }

    /** Θ as given. */
    public Matrix gram() {
        return gram;
    }

    /** d_k = λ_k(Θ)/n, the nonzero eigenvalues of H = G, descending (a copy). */
    public double[] curvatures() {
        return d.clone();
    }

    /** A = U_r Λ_r^{1/2} (nK × r), row i·K + k (a copy). */
    public Matrix residualMap() {
        return a.copy();
    }

    /** Tr H = Σ d_k. */
    public double traceH() {
        double s = 0;
        for (double v : d) {
            s += v;
        }
        return s;
    }

    /** ‖H‖_F = sqrt(Σ d_k²). */
    public double frobeniusH() {
        double s = 0;
        for (double v : d) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    /** λ_max(H). */
    public double lambdaMax() {
        return d[0];
    }

    /** L(w) = ½ Σ d_k w_k². */
    public double loss(double[] w) {
        double s = 0;
        for (int k = 0; k < rank; k++) {
            s += d[k] * w[k] * w[k];
        }
        return 0.5 * s;
    }

    /**
     * Residuals u = A w.
     *
     * @param w   length r. Not modified.
     * @param out length nK. Modified.
     */
    public void residuals(double[] w, double[] out) {
        int nk = a.rows;
        for (int q = 0; q < nk; q++) {
            double s = 0;
            int row = q * rank;
            for (int k = 0; k < rank; k++) {
                s += a.data[row + k] * w[k];
            }
            out[q] = s;
        }
    }

    /**
     * The coordinates of residuals u ∈ range(Θ): w = Λ⁻¹ Aᵀ u (the pseudo-inverse of A).
     *
     * @param u length nK. Not modified.
     * @return w, length r
     */
    public double[] coordinates(double[] u) {
        if (u.length != a.rows) {
            throw new IllegalArgumentException("residuals have length " + u.length + ", expected " + a.rows);
        }
        double[] w = new double[rank];
        for (int q = 0; q < a.rows; q++) {
            int row = q * rank;
            for (int k = 0; k < rank; k++) {
                w[k] += a.data[row + k] * u[q];
            }
        }
        for (int k = 0; k < rank; k++) {
            w[k] /= samples * d[k];
        }
        return w;
    }

    /**
     * Adds the mini-batch gradient {@code (1/B) Σ_b A_{i_b}ᵀ (A_{i_b} w)} times {@code scale} to out.
     *
     * @param w       length r. Not modified.
     * @param batch   sample indices (repeats allowed). Not modified.
     * @param scratch length K. Modified.
     * @param out     length r. Modified (accumulated).
     */
    void addBatchGradient(double[] w, int[] batch, double scale, double[] scratch, double[] out) {
        int k = outputs;
        double s = scale / batch.length;
        for (int i : batch) {
            for (int c = 0; c < k; c++) {
                int row = (i * k + c) * rank;
                double v = 0;
                for (int j = 0; j < rank; j++) {
                    v += a.data[row + j] * w[j];
                }
                scratch[c] = v;
            }
            for (int c = 0; c < k; c++) {
                int row = (i * k + c) * rank;
                double v = s * scratch[c];
                for (int j = 0; j < rank; j++) {
                    out[j] += v * a.data[row + j];
                }
            }
        }
    }
}
