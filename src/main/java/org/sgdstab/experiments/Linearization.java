package org.sgdstab.experiments;

import org.sgdstab.linalg.Matrix;
import org.sgdstab.stability.ReducedGram;
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
 * with {@code A = U_r Λ_r^{1/2}} (nK × r) of {@link ReducedGram}, exactly the A of {@link SecondMomentMap}; a
 * sample's per-example Jacobian in these coordinates is its K × r block {@code A_i} of rows.
 *
 * <p>Both classes drop the same eigenvalues of Θ ({@link ReducedGram#RANK_RELATIVE_THRESHOLD}), so the
 * exact second-moment curves and these coordinates agree.
 */
public final class Linearization {
    private final ReducedGram reduced;
    private final long parameters;
    // Copies of reduced's A and d, read directly in the per-step kernels below.
    private final int samples;
    private final int outputs;
    private final int rank;
    private final Matrix a;
    private final double[] d;

    /**
     * @param gram       Θ, nK × nK, symmetric PSD and finite. Not modified (copied).
     * @param samples    n
     * @param outputs    K
     * @param parameters p, the model's parameter count (for the isotropic noise's σ² = Tr H / p)
     * @throws IllegalArgumentException on any invalid argument, or when Θ is zero
     */
    public Linearization(Matrix gram, int samples, int outputs, long parameters) {
        this(new ReducedGram(gram, samples, outputs), parameters);
    }

    /**
     * @param reduced    Θ reduced to its range (shared, not copied: it is immutable)
     * @param parameters p, the model's parameter count (for the isotropic noise's σ² = Tr H / p)
     */
    public Linearization(ReducedGram reduced, long parameters) {
        if (reduced == null || parameters < 1) {
            throw new IllegalArgumentException("need a reduced Gram matrix and p ≥ 1, got " + reduced + ", " + parameters);
        }
        this.reduced = reduced;
        this.parameters = parameters;
        this.samples = reduced.samples();
        this.outputs = reduced.outputs();
        this.rank = reduced.rank();
        this.a = reduced.residualMap();
        this.d = reduced.curvatures();
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

    /** Θ reduced to its range, e.g. for a {@link SecondMomentMap} without a second decomposition. */
    public ReducedGram reduced() {
        return reduced;
    }

    /** d_k = λ_k(Θ)/n, the nonzero eigenvalues of H = G, descending (a copy). */
    public double[] curvatures() {
        return d.clone();
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
