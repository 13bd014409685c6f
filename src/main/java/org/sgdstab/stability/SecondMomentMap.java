package org.sgdstab.stability;

import org.sgdstab.geometry.Lanczos;
import org.sgdstab.geometry.RitzPair;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.SymmetricEigen;
import org.sgdstab.train.Sampling;

/**
 * The exact second-moment map {@code T_η} of linearised mini-batch SGD at a global minimum
 * (theory.md §5), computed from the empirical NTK Gram matrix Θ alone.
 *
 * <h2>Full residual coordinates</h2>
 * Θ is {@code nK × nK}, row/column {@code i·K + k} for sample i and output k. Residuals evolve by
 * {@code u_{t+1} = (I − (η/B) Θ S_t) u_t}, and {@code N_t = E[u_t u_tᵀ]} by
 * <pre>
 *   T_η(N) = N − (η/n)(ΘN + NΘ) + (η²/B²) Θ E[S N S] Θ,
 *   with replacement:    E[SNS] = (B/n) BlockDiag(N) + (B(B−1)/n²) N,
 *   without replacement: E[SNS] = (B/n) BlockDiag(N) + (B(B−1)/(n(n−1))) (N − BlockDiag(N)),
 * </pre>
 * where BlockDiag keeps the K×K diagonal blocks. {@link #apply} and {@link #expectedLoss} use
 * this form, O((nK)³) per step.
 *
 * <h2>Reduced symmetric form</h2>
 * Θ is decomposed once ({@link ReducedGram}, shared by {@link #withBatchSize}): {@code Θ = U Λ Uᵀ};
 * eigenvalues above {@link #RANK_RELATIVE_THRESHOLD}{@code · λ_max} are kept (rank r), sorted descending,
 * {@code A = U_r Λ_r^{1/2}} (nK × r, so {@code Θ = A Aᵀ} on range(Θ)) and {@code D = Λ_r / n} (diagonal).
 * Every reachable N lies in range(Θ), where {@code N = A M Aᵀ} for a unique symmetric r × r M, and
 * <pre>
 *   M ↦ M − η(DM + MD) + η² [ c1 Σ_i h_i M h_i + c2 D M D ],   h_i = A_iᵀ A_i  (r × r),
 *   with replacement:    c1 = 1/(Bn),                         c2 = (B−1)/B,
 *   without replacement: c1 = (1/(Bn)) (1 − (B−1)/(n−1)),      c2 = (B−1) n / (B (n−1)),
 * </pre>
 * with {@code A_i} the K × r block of rows of sample i ({@code (B−1)/(n−1)} read as 0 when B = 1).
 *
 * <p><b>Why this is right for K ≥ 1.</b> A acts as a Jacobian with r parameters: put
 * {@code u = A w}. Since {@code Aᵀ P_i A = A_iᵀ A_i = h_i} for the block projector P_i of sample i,
 * {@code Θ S u = A Aᵀ (Σ_b P_{i_b}) A w = A (Σ_b h_{i_b}) w}, so {@code w ↦ (I − η Â) w} with
 * {@code Â = (1/B) Σ_b h_{i_b}}; A has full column rank, so w is unique. Then
 * {@code M ↦ E[(I − ηÂ) M (I − ηÂ)]} with {@code E[Â] = (1/n) Σ_i h_i = AᵀA/n = Λ_r/n = D} and
 * {@code E[Â M Â] = (1/B²) Σ_{b,c} E[h_{i_b} M h_{i_c}]}: the B diagonal terms give
 * {@code (1/(Bn)) Σ_i h_i M h_i}; the B(B−1) off-diagonal pairs are independent with replacement
 * ({@code D M D} each) and, without replacement, uniform over ordered distinct pairs
 * ({@code (n² DMD − Σ_i h_i M h_i)/(n(n−1))} each). Collecting terms gives c1 and c2. Nothing
 * used K = 1: h_i is the PSD rank-≤K matrix {@code A_iᵀ A_i}, which for K = 1 is {@code a_i a_iᵀ}.
 * Conjugating by A reproduces the full formula term by term ({@code Θ P_i N P_j Θ = A h_i M h_j Aᵀ}),
 * and {@code Tr N = Tr(Λ_r M) = n Tr(D M)}.
 *
 * <p>The map is self-adjoint in the Frobenius inner product ({@code ⟨X, CMC⟩ = ⟨CXC, M⟩}) and
 * maps PSD matrices to PSD matrices, so (Krein–Rutman) its spectral radius ρ(η) is its largest
 * algebraic eigenvalue, attained at a PSD M. One application costs two GEMMs of
 * {@code nK × r × r} plus O(nK²r): {@code Σ_i h_i M h_i = Aᵀ Y} where {@code Y_i = (A_i M A_iᵀ) A_i}
 * (for K = 1: {@code Aᵀ diag(c) A}, {@code c_i = a_iᵀ M a_i}).
 *
 * <p><b>Sampling.</b> {@link Sampling#EPOCH} is treated as {@link Sampling#WITHOUT_REPLACEMENT}: each
 * epoch batch is, marginally, a uniformly random B-subset, but successive batches of one epoch are
 * dependent, which this one-step recursion ignores; for EPOCH the map is therefore an
 * approximation (exact for the other two schemes).
 *
 * <p><b>Errors.</b> All argument problems throw {@link IllegalArgumentException} with a message
 * naming the argument; this is a library class, and the CLI validates user options (or converts
 * these exceptions) before calling it.
 *
 * <p>Instances are immutable and thread-safe; warm starts are passed explicitly to
 * {@link #radius(double, Matrix)}.
 */
public final class SecondMomentMap {
    /** See {@link ReducedGram#RANK_RELATIVE_THRESHOLD}. */
    public static final double RANK_RELATIVE_THRESHOLD = ReducedGram.RANK_RELATIVE_THRESHOLD;

    /** See {@link ReducedGram#SYMMETRY_RELATIVE_TOLERANCE}. */
    public static final double SYMMETRY_RELATIVE_TOLERANCE = ReducedGram.SYMMETRY_RELATIVE_TOLERANCE;

    /** See {@link ReducedGram#NEGATIVE_RELATIVE_TOLERANCE}. */
    public static final double NEGATIVE_RELATIVE_TOLERANCE = ReducedGram.NEGATIVE_RELATIVE_TOLERANCE;

    /**
     * Lanczos stops when ‖T y − ρ y‖ ≤ this · ρ. Some eigenvalue is then within that residual of
     * the Ritz value, and the largest one typically within residual²/gap, far below the 1e-10
     * relative accuracy the critical-learning-rate search needs.
     */
    public static final double RADIUS_RELATIVE_TOLERANCE = 1e-10;

    /** Krylov basis size before an explicit restart: 48 vectors of r² doubles bound the memory. */
    static final int LANCZOS_BASIS = 48;

    /**
     * Cap on map applications for one spectral radius. When Θ is ill-conditioned, ρ(η) for η below
     * η* sits at the edge of the dense cluster {@code 1 − η(d_k + d_l)} of small-curvature
     * directions, where Lanczos converges slowly; the cap turns that into an explicit failure.
     */
    static final int MAX_APPLICATIONS = 5000;

    /**
     * The spectral radius of the reduced map.
     *
     * @param rho          ρ(η) (the Ritz value; never above the true ρ)
     * @param eigenvector  unit-Frobenius symmetric r × r eigenvector estimate (a warm start for nearby η)
     * @param residual     ‖T_η(M) − ρ M‖_F of that estimate
     * @param applications map applications spent
     * @param converged    whether the residual met {@link #RADIUS_RELATIVE_TOLERANCE}
     */
    public record Radius(double rho, Matrix eigenvector, double residual, int applications, boolean converged) {
    }

    private final ReducedGram reduced;
    private final Sampling sampling;
    private final int batchSize;
    // Aliases of reduced's fields, read in every kernel.
    private final int samples;
    private final int outputs;
    private final Matrix theta;
    private final int rank;
    /** nK × r, row-major: A = U_r Λ_r^{1/2}. */
    private final Matrix a;
    /** D = Λ_r / n, descending. */
    private final double[] d;
    private final double c1;
    private final double c2;

    /**
     * Builds the map for Θ with {@code samples} samples and {@code outputs} outputs each.
     *
     * @param theta     the nK × nK NTK Gram matrix, symmetric PSD and finite. Not modified (copied).
     * @param samples   n ≥ 1
     * @param outputs   K ≥ 1
     * @param sampling  the mini-batch scheme (EPOCH is treated as WITHOUT_REPLACEMENT)
     * @param batchSize B ≥ 1, and B ≤ n without replacement
     * @throws IllegalArgumentException on any invalid argument, or when Θ is zero
     */
    public SecondMomentMap(Matrix theta, int samples, int outputs, Sampling sampling, int batchSize) {
        this(checkedReduction(theta, samples, outputs, sampling, batchSize), sampling, batchSize);
    }

    /** Checks the batch before the O((nK)³) decomposition, so a bad B fails fast. */
    private static ReducedGram checkedReduction(Matrix theta, int samples, int outputs, Sampling sampling, int batchSize) {
        ReducedGram.validate(theta, samples, outputs);
        requireBatch(sampling, batchSize, samples);
        return new ReducedGram(theta, samples, outputs);
    }

    /**
     * The map on an already reduced Θ (immutable, so shared, not copied): no further decomposition.
     *
     * @param reduced   Θ reduced to its range
     * @param sampling  the mini-batch scheme (EPOCH is treated as WITHOUT_REPLACEMENT)
     * @param batchSize B ≥ 1, and B ≤ n without replacement
     * @throws IllegalArgumentException on an invalid scheme or B
     */
    public SecondMomentMap(ReducedGram reduced, Sampling sampling, int batchSize) {
        if (reduced == null) {
            throw new IllegalArgumentException("reduced Gram matrix must not be null");
        }
        requireBatch(sampling, batchSize, reduced.samples);
        this.reduced = reduced;
        this.sampling = sampling;
        this.batchSize = batchSize;
        this.samples = reduced.samples;
        this.outputs = reduced.outputs;
        this.theta = reduced.theta;
        this.rank = reduced.rank;
        this.a = reduced.a;
        this.d = reduced.d;
        double[] c = coefficients(sampling, batchSize, samples);
        this.c1 = c[0];
        this.c2 = c[1];
    }

    /**
     * The map for batch size {@code batchSize} on the same Θ with the same sampling. Reuses this map's
     * eigen-decomposition of Θ, so a scan over B costs one O((nK)³) solve in all. This map is not modified.
     *
     * @param batchSize B ≥ 1, and B ≤ n without replacement
     * @throws IllegalArgumentException on an invalid B
     */
    public SecondMomentMap withBatchSize(int batchSize) {
        return new SecondMomentMap(reduced, sampling, batchSize);
    }

    private static void requireBatch(Sampling sampling, int batchSize, int samples) {
        if (sampling == null) {
            throw new IllegalArgumentException("sampling must not be null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size B must be at least 1, got " + batchSize);
        }
        if (sampling != Sampling.WITH_REPLACEMENT && batchSize > samples) {
            throw new IllegalArgumentException("batch size B=" + batchSize + " exceeds the sample count n=" + samples
                    + ", impossible when sampling " + sampling.cliName());
        }
    }

    /** {c1, c2} of the reduced map (class Javadoc). */
    private static double[] coefficients(Sampling sampling, int batchSize, int samples) {
        double n = samples;
        double b = batchSize;
        if (sampling == Sampling.WITH_REPLACEMENT) {
            return new double[] {1.0 / (b * n), (b - 1) / b};
        }
        double pairFraction = batchSize == 1 ? 0.0 : (b - 1) / (n - 1);
        return new double[] {(1.0 - pairFraction) / (b * n), batchSize == 1 ? 0.0 : (b - 1) * n / (b * (n - 1))};
    }

    /**
     * The gradient-descent threshold {@code 2 / λ_max(Θ/n)}.
     *
     * @param theta   nK × nK symmetric Θ. Not modified.
     * @param samples n
     * @throws IllegalArgumentException if Θ is not square, not finite, its size is not a multiple of n, or λ_max ≤ 0
     */
    public static double gdThreshold(Matrix theta, int samples) {
        if (theta == null || samples < 1 || theta.rows != theta.cols || theta.rows % samples != 0 || theta.rows == 0) {
            throw new IllegalArgumentException("theta must be a nonempty square matrix whose size is a multiple of n=" + samples
                    + (theta == null ? "" : ", got " + theta.shape()));
        }
        ReducedGram.validate(theta, samples, theta.rows / samples);
        double lmax = SymmetricEigen.values(theta)[theta.rows - 1];
        if (!(lmax > 0)) {
            throw new IllegalArgumentException("theta has no positive eigenvalue");
        }
        return 2.0 * samples / lmax;
    }

    /** {@code 2 / λ_max(Θ/n)} for this map's Θ. */
    public double gdThreshold() {
        return 2.0 / d[0];
    }

    public int samples() {
        return samples;
    }

    public int outputs() {
        return outputs;
    }

    /** Θ reduced to its range, shared by every batch size of this map. */
    public ReducedGram reduced() {
        return reduced;
    }

    /** The scheme as given (EPOCH is kept here, though the map treats it as WITHOUT_REPLACEMENT). */
    public Sampling sampling() {
        return sampling;
    }

    public int batchSize() {
        return batchSize;
    }

    /** r, the number of eigenvalues of Θ kept (see {@link #RANK_RELATIVE_THRESHOLD}). */
    public int rank() {
        return rank;
    }

    // ---------------------------------------------------------------- spectral radius

    /** ρ(η) from the default start (the identity, which overlaps every PSD eigenvector). */
    public double spectralRadius(double eta) {
        Radius result = radius(eta, null);
        if (!result.converged()) {
            throw new ArithmeticException("spectral radius at eta=" + eta + " did not converge in " + result.applications()
                    + " applications (residual " + result.residual() + ", rho >= " + result.rho() + ")");
        }
        return result.rho();
    }

    /**
     * ρ(η) by Lanczos on the reduced map, from {@code start} (e.g. the eigenvector at a nearby η).
     *
     * @param eta   learning rate, finite and > 0
     * @param start symmetric r × r start, or null for the identity. Not modified.
     * @throws IllegalArgumentException on a bad η or start shape
     */
    public Radius radius(double eta, Matrix start) {
        return radius(eta, start, MAX_APPLICATIONS);
    }

    /**
     * As {@link #radius(double, Matrix)} with a cap on map applications. When the cap is hit the
     * result is not converged, but its Ritz value is still a lower bound on ρ within
     * {@code residual} of an eigenvalue of the (self-adjoint) map.
     */
    public Radius radius(double eta, Matrix start, int maxApplications) {
        requireEta(eta);
        double[] s = startVector(start);
        Workspace ws = new Workspace();
        LinearOperator op = operator((in, out) -> applyReduced(eta, in, out, ws));
        RitzPair ritz = Lanczos.largest(op, s, RADIUS_RELATIVE_TOLERANCE, LANCZOS_BASIS, maxApplications);
        return new Radius(ritz.value(), new Matrix(rank, rank, ritz.vector()), ritz.residual(), ritz.applications(),
                ritz.converged());
    }

    private double[] startVector(Matrix start) {
        if (start == null) {
            return Matrix.identity(rank).data;
        }
        Matrix.requireShape(start, rank, rank, "start");
        return start.data;
    }

    /**
     * The largest eigenvalue μ of the η-independent operator {@code L^{-1/2} Q L^{-1/2}}, where
     * {@code L(M) = DM + MD} and {@code Q(M) = c1 Σ h_i M h_i + c2 DMD}, so that
     * {@code T_η = I − ηL + η²Q} and {@code η* = 1/μ} (see {@link CriticalLearningRate}).
     * Returns the Ritz pair in the Y = L^{1/2} M coordinates.
     */
    RitzPair generalizedTop(double relTol) {
        // Start L^{1/2}(I) = diag(sqrt(2 d_k)): its overlap with L^{1/2}M is 2 Tr(DM) > 0 for PSD M ≠ 0.
        double[] s = new double[rank * rank];
        for (int k = 0; k < rank; k++) {
            s[k * rank + k] = Math.sqrt(2 * d[k]);
        }
        Workspace ws = new Workspace();
        LinearOperator op = operator((in, out) -> applyGeneralized(in, out, ws));
        return Lanczos.largest(op, s, relTol, LANCZOS_BASIS, MAX_APPLICATIONS);
    }

    /**
     * A check that {@link #generalizedTop} found the top: Lanczos on the same operator restricted to
     * symmetric matrices orthogonal to {@code top} (unit or not), from a seeded random symmetric
     * start. Its Ritz value estimates the next eigenvalue from below; finding one above μ would
     * prove μ wrong. Like ARPACK's checks this is strong evidence, not a proof.
     *
     * @param top             the Ritz vector from {@link #generalizedTop}. Not modified.
     * @param maxApplications budget of operator applications
     * @param seed            seed of the random start
     */
    RitzPair generalizedNext(double[] top, int maxApplications, long seed) {
        double norm = org.sgdstab.linalg.Vectors.norm2(top);
        double[] unit = top.clone();
        org.sgdstab.linalg.Vectors.scale(1.0 / norm, unit);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        double[] s = new double[rank * rank];
        for (int k = 0; k < rank; k++) {
            for (int l = k; l < rank; l++) {
                double v = rng.nextGaussian();
                s[k * rank + l] = v;
                s[l * rank + k] = v;
            }
        }
        deflate(unit, s);
        Workspace ws = new Workspace();
        double[] projected = new double[rank * rank];
        LinearOperator op = operator((in, out) -> {
            System.arraycopy(in, 0, projected, 0, in.length);
            deflate(unit, projected);
            applyGeneralized(projected, out, ws);
            deflate(unit, out);
        });
        return Lanczos.largest(op, s, RADIUS_RELATIVE_TOLERANCE, LANCZOS_BASIS, maxApplications);
    }

    /** x −= (uᵀx) u for a unit vector u. Modifies x. */
    private static void deflate(double[] u, double[] x) {
        org.sgdstab.linalg.Vectors.axpy(-org.sgdstab.linalg.Vectors.dot(u, x), u, x);
    }

    /** M = L^{-1/2} Y, elementwise {@code Y_kl / sqrt(d_k + d_l)}. Not modifying y. */
    Matrix fromGeneralized(double[] y) {
        Matrix m = new Matrix(rank, rank);
        for (int k = 0; k < rank; k++) {
            for (int l = 0; l < rank; l++) {
                m.data[k * rank + l] = y[k * rank + l] / Math.sqrt(d[k] + d[l]);
            }
        }
        return m;
    }

    private interface Kernel {
        void apply(double[] in, double[] out);
    }

    private LinearOperator operator(Kernel kernel) {
        int dim = rank * rank;
        return new LinearOperator() {
            @Override
            public int dim() {
                return dim;
            }

            @Override
            public void apply(Matrix v, Matrix out) {
                Matrix.requireShape(v, v.rows, dim, "v");
                Matrix.requireShape(out, v.rows, dim, "out");
                if (v.rows == 1) {
                    // Lanczos applies single vectors: no copies (the kernels never alias in and out).
                    if (v.data == out.data) {
                        throw new IllegalArgumentException("out must not alias v");
                    }
                    kernel.apply(v.data, out.data);
                    return;
                }
                double[] in = new double[dim];
                double[] res = new double[dim];
                for (int row = 0; row < v.rows; row++) {
                    System.arraycopy(v.data, row * dim, in, 0, dim);
                    kernel.apply(in, res);
                    System.arraycopy(res, 0, out.data, row * dim, dim);
                }
            }
        };
    }

    /** Scratch buffers of one reduced application. */
    private final class Workspace {
        final double[] x = new double[a.rows * rank];
        final double[] y = new double[a.rows * rank];
        final double[] f = new double[rank * rank];
        final double[] p = new double[rank * rank];
        final double[] block = new double[outputs * outputs];
    }

    /** f = Σ_i h_i P h_i = Aᵀ Y with Y_i = (A_i P A_iᵀ) A_i, symmetrised. Modifies ws.x, ws.y, ws.f. */
    private void noiseTerm(double[] p, Workspace ws) {
        int nk = a.rows;
        int r = rank;
        int kk = outputs;
        Blas blas = Blas.get();
        blas.gemm(false, false, nk, r, r, 1.0, a.data, 0, r, p, 0, r, 0.0, ws.x, 0, r);
        double[] ad = a.data;
        if (kk == 1) {
            for (int i = 0; i < nk; i++) {
                int off = i * r;
                double c = 0;
                for (int col = 0; col < r; col++) {
                    c += ws.x[off + col] * ad[off + col];
                }
                for (int col = 0; col < r; col++) {
                    ws.y[off + col] = c * ad[off + col];
                }
            }
        } else {
            for (int i = 0; i < samples; i++) {
                int base = i * kk * r;
                // C_i = X_i A_iᵀ (K × K), then Y_i = C_i A_i.
                blas.gemm(false, true, kk, kk, r, 1.0, ws.x, base, r, ad, base, r, 0.0, ws.block, 0, kk);
                for (int k = 0; k < kk; k++) {
                    for (int l = k + 1; l < kk; l++) {
                        double sym = 0.5 * (ws.block[k * kk + l] + ws.block[l * kk + k]);
                        ws.block[k * kk + l] = sym;
                        ws.block[l * kk + k] = sym;
                    }
                }
                blas.gemm(false, false, kk, r, kk, 1.0, ws.block, 0, kk, ad, base, r, 0.0, ws.y, base, r);
            }
        }
        blas.gemm(true, false, r, r, nk, 1.0, ad, 0, r, ws.y, 0, r, 0.0, ws.f, 0, r);
    }

    /** out = T_η(p) in reduced coordinates. Modifies out and ws. */
    private void applyReduced(double eta, double[] p, double[] out, Workspace ws) {
        int r = rank;
        noiseTerm(p, ws);
        double e2 = eta * eta;
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                double diag = 1.0 - eta * (d[k] + d[l]) + e2 * c2 * d[k] * d[l];
                double f = 0.5 * (ws.f[k * r + l] + ws.f[l * r + k]);
                out[k * r + l] = diag * p[k * r + l] + e2 * c1 * f;
            }
        }
    }

    /** out = L^{-1/2} Q L^{-1/2} y. Modifies out and ws. */
    private void applyGeneralized(double[] y, double[] out, Workspace ws) {
        int r = rank;
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                ws.p[k * r + l] = y[k * r + l] / Math.sqrt(d[k] + d[l]);
            }
        }
        noiseTerm(ws.p, ws);
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                double f = 0.5 * (ws.f[k * r + l] + ws.f[l * r + k]);
                out[k * r + l] = (c1 * f + c2 * d[k] * d[l] * ws.p[k * r + l]) / Math.sqrt(d[k] + d[l]);
            }
        }
    }

    // ---------------------------------------------------------------- full coordinates

    /**
     * out = T_η(N) in full residual coordinates (class Javadoc), O((nK)³).
     *
     * @param eta learning rate, finite and > 0
     * @param n   nK × nK second moment. Not modified.
     * @param out nK × nK result, distinct from n. Modified.
     */
    public void apply(double eta, Matrix n, Matrix out) {
        requireEta(eta);
        int dim = theta.rows;
        Matrix.requireShape(n, dim, dim, "N");
        Matrix.requireShape(out, dim, dim, "out");
        if (n == out || n.data == out.data) {
            throw new IllegalArgumentException("out must not alias N");
        }
        Blas blas = Blas.get();
        int kk = outputs;
        double bn = (double) batchSize * samples;
        double blockCoef = eta * eta / bn;
        double pairCoef;
        boolean withReplacement = sampling == Sampling.WITH_REPLACEMENT;
        if (batchSize == 1) {
            pairCoef = 0;
        } else if (withReplacement) {
            pairCoef = eta * eta * (batchSize - 1) / (bn * samples);
        } else {
            pairCoef = eta * eta * (batchSize - 1) / (bn * (samples - 1));
        }
        // W = (η²/B²) E[SNS]: pairs everywhere (with replacement) or off the diagonal blocks only.
        Matrix w = n.copy().scaleInPlace(pairCoef);
        double diagBlockCoef = withReplacement ? blockCoef : blockCoef - pairCoef;
        for (int i = 0; i < samples; i++) {
            for (int k = 0; k < kk; k++) {
                int row = i * kk + k;
                for (int l = 0; l < kk; l++) {
                    int col = i * kk + l;
                    w.data[row * dim + col] += diagBlockCoef * n.data[row * dim + col];
                }
            }
        }
        Matrix tw = new Matrix(dim, dim);
        blas.gemm(false, false, 1.0, theta, w, 0.0, tw);
        System.arraycopy(n.data, 0, out.data, 0, n.data.length);
        blas.gemm(false, false, 1.0, tw, theta, 1.0, out);
        double s = -eta / samples;
        blas.gemm(false, false, s, theta, n, 1.0, out);
        blas.gemm(false, false, s, n, theta, 1.0, out);
    }

    /** T_η(N), newly allocated. {@code n} is not modified. */
    public Matrix apply(double eta, Matrix n) {
        Matrix out = new Matrix(theta.rows, theta.cols);
        apply(eta, n, out);
        return out;
    }

    /**
     * Exact {@code E[L_t] = Tr(N_t)/(2n)} for t = 0..steps, iterating the full map from any N0
     * (O(steps·(nK)³); see {@link #expectedLossInRange} for the fast path).
     *
     * @param eta   learning rate, finite and > 0
     * @param n0    nK × nK initial second moment E[u_0 u_0ᵀ]. Not modified.
     * @param steps number of steps ≥ 0
     * @return array of length steps + 1
     */
    public double[] expectedLoss(double eta, Matrix n0, int steps) {
        requireEta(eta);
        requireSteps(steps);
        int dim = theta.rows;
        Matrix.requireShape(n0, dim, dim, "N0");
        double[] loss = new double[steps + 1];
        Matrix cur = n0.copy();
        Matrix next = new Matrix(dim, dim);
        loss[0] = cur.trace() / (2.0 * samples);
        for (int t = 1; t <= steps; t++) {
            apply(eta, cur, next);
            Matrix swap = cur;
            cur = next;
            next = swap;
            loss[t] = cur.trace() / (2.0 * samples);
        }
        return loss;
    }

    /**
     * {@code E[L_t]} for t = 0..steps from the projection {@code Π N0 Π} of N0 onto range(Θ), by
     * the reduced map (O(steps·nK·r²)). Equals {@link #expectedLoss} whenever N0 is supported on
     * range(Θ), which holds for every {@code u_0 = J(θ_0 − θ*)}.
     *
     * @param eta   learning rate, finite and > 0
     * @param n0    nK × nK initial second moment. Not modified.
     * @param steps number of steps ≥ 0
     * @return array of length steps + 1
     */
    public double[] expectedLossInRange(double eta, Matrix n0, int steps) {
        requireEta(eta);
        requireSteps(steps);
        int dim = theta.rows;
        Matrix.requireShape(n0, dim, dim, "N0");
        int r = rank;
        Blas blas = Blas.get();
        // M0 = Λ⁻¹ Aᵀ N0 A Λ⁻¹, since A⁺ = Λ⁻¹Aᵀ; with Λ = nD.
        Matrix an = new Matrix(r, dim);
        blas.gemm(true, false, 1.0, a, n0, 0.0, an);
        Matrix m = new Matrix(r, r);
        blas.gemm(false, false, 1.0, an, a, 0.0, m);
        double n = samples;
        for (int k = 0; k < r; k++) {
            for (int l = 0; l < r; l++) {
                m.data[k * r + l] /= (n * d[k]) * (n * d[l]);
            }
        }
        double[] cur = m.data;
        double[] next = new double[r * r];
        Workspace ws = new Workspace();
        double[] loss = new double[steps + 1];
        loss[0] = reducedLoss(cur);
        for (int t = 1; t <= steps; t++) {
            applyReduced(eta, cur, next, ws);
            double[] swap = cur;
            cur = next;
            next = swap;
            loss[t] = reducedLoss(cur);
        }
        return loss;
    }

    /** Tr(A M Aᵀ)/(2n) = Tr(D M)/2. */
    private double reducedLoss(double[] m) {
        double s = 0;
        for (int k = 0; k < rank; k++) {
            s += d[k] * m[k * rank + k];
        }
        return 0.5 * s;
    }

    static void requireEta(double eta) {
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new IllegalArgumentException("learning rate eta must be finite and > 0, got " + eta);
        }
    }

    private static void requireSteps(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
    }
}
