package org.sgdstab.stability;

import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.SymmetricEigen;

/**
 * An NTK Gram matrix Θ (nK × nK, row/column {@code i·K + k} for sample i and output k) reduced to its
 * range, computed once and shared by everything that works in range(Θ): {@link SecondMomentMap}
 * (all its batch sizes) and the linearised dynamics of {@code experiments.Linearization}.
 *
 * <p>With {@code Θ = U Λ Uᵀ}, eigenvalues above {@link #RANK_RELATIVE_THRESHOLD}{@code · λ_max} are kept
 * (rank r), sorted descending; {@code A = U_r Λ_r^{1/2}} (nK × r, so {@code Θ = A Aᵀ} on range(Θ)) and
 * {@code d_k = λ_k / n}, the nonzero eigenvalues of {@code H = G = JᵀJ/n}. A is a Jacobian with r
 * parameters: residuals in range(Θ) are {@code u = A w}, and the K × r block of rows of sample i is its
 * per-example Jacobian {@code A_i}.
 *
 * <p>Immutable and thread-safe: Θ is copied on construction and nothing is handed out by reference.
 */
public final class ReducedGram {
    /**
     * Eigenvalues of Θ at or below this fraction of λ_max(Θ) are treated as zero. It sits well above
     * dsyevd's backward error (about nK·ε·λ_max ≤ 1e-12·λ_max for nK ≤ 10⁴), and a direction kept
     * with λ_k below it moves by less than {@code η λ_k / n ≤ 2λ_k/λ_max ≤ 2e-10} per step at any
     * stable η, so dropping it is indistinguishable from the null space while keeping it would
     * leave eigenvalues of T_η within 1e-10 of the spurious value 1.
     */
    public static final double RANK_RELATIVE_THRESHOLD = 1e-10;

    /**
     * Θ must be symmetric to this fraction of max|Θ_ij|: Θ accumulated as sums of Hadamard
     * products is symmetric up to round-off, far below this; more means a wrong input.
     */
    public static final double SYMMETRY_RELATIVE_TOLERANCE = 1e-10;

    /**
     * Θ must have no eigenvalue below {@code −NEGATIVE_RELATIVE_TOLERANCE · λ_max}: a Gram matrix is
     * PSD, and round-off in forming it leaves negative eigenvalues of order nK·ε·λ_max only.
     */
    public static final double NEGATIVE_RELATIVE_TOLERANCE = 1e-8;

    final int samples;
    final int outputs;
    /** Θ, a private copy (nK × nK). */
    final Matrix theta;
    final int rank;
    /** nK × r, row-major: A = U_r Λ_r^{1/2}. */
    final Matrix a;
    /** d_k = λ_k / n, descending. */
    final double[] d;

    /**
     * Validates and decomposes Θ: one O((nK)³) symmetric eigen-solve.
     *
     * @param theta   the nK × nK NTK Gram matrix, symmetric PSD and finite. Not modified (copied).
     * @param samples n ≥ 1
     * @param outputs K ≥ 1
     * @throws IllegalArgumentException on any invalid argument, or when Θ is zero
     */
    public ReducedGram(Matrix theta, int samples, int outputs) {
        validate(theta, samples, outputs);
        this.samples = samples;
        this.outputs = outputs;
        this.theta = theta.copy();
        SymmetricEigen eig = SymmetricEigen.decompose(this.theta);
        double[] values = eig.values();
        int dim = values.length;
        double lmax = values[dim - 1];
        if (!(lmax > 0)) {
            throw new IllegalArgumentException("theta is zero (or negative definite): no direction can move");
        }
        if (values[0] < -NEGATIVE_RELATIVE_TOLERANCE * lmax) {
            throw new IllegalArgumentException("theta is not positive semidefinite: eigenvalue " + values[0]
                    + " against largest " + lmax);
        }
        int r = 0;
        while (r < dim && values[dim - 1 - r] > RANK_RELATIVE_THRESHOLD * lmax) {
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

    /**
     * Checks that Θ is a finite, symmetric nK × nK matrix.
     *
     * @throws IllegalArgumentException naming the problem
     */
    static void validate(Matrix theta, int samples, int outputs) {
        if (theta == null) {
            throw new IllegalArgumentException("theta must not be null");
        }
        if (samples < 1) {
            throw new IllegalArgumentException("sample count n must be at least 1, got " + samples);
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("output count K must be at least 1, got " + outputs);
        }
        long dim = (long) samples * outputs;
        if (theta.rows != dim || theta.cols != dim) {
            throw new IllegalArgumentException("theta has shape " + theta.shape() + ", expected " + dim + "x" + dim
                    + " for n=" + samples + " samples and K=" + outputs + " outputs");
        }
        if (!theta.allFinite()) {
            throw new IllegalArgumentException("theta has non-finite entries");
        }
        double maxAbs = 0;
        for (double v : theta.data) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        int m = theta.rows;
        for (int i = 0; i < m; i++) {
            for (int j = i + 1; j < m; j++) {
                double gap = Math.abs(theta.data[i * m + j] - theta.data[j * m + i]);
                if (gap > SYMMETRY_RELATIVE_TOLERANCE * maxAbs) {
                    throw new IllegalArgumentException("theta is not symmetric: entries (" + i + "," + j + ") and ("
                            + j + "," + i + ") differ by " + gap);
                }
            }
        }
    }

    /** n. */
    public int samples() {
        return samples;
    }

    /** K. */
    public int outputs() {
        return outputs;
    }

    /** r, the number of eigenvalues of Θ kept (see {@link #RANK_RELATIVE_THRESHOLD}). */
    public int rank() {
        return rank;
    }

    /** Θ (a copy). */
    public Matrix theta() {
        return theta.copy();
    }

    /** d_k = λ_k(Θ)/n, the nonzero eigenvalues of H = G, descending (a copy). */
    public double[] curvatures() {
        return d.clone();
    }

    /** A = U_r Λ_r^{1/2} (nK × r), row i·K + k (a copy). */
    public Matrix residualMap() {
        return a.copy();
    }
}
