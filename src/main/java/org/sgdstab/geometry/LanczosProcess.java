package org.sgdstab.geometry;

import java.util.Arrays;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.Vectors;

/**
 * The symmetric Lanczos recurrence with full reorthogonalisation, the one implementation behind
 * {@link Lanczos} (top-k with locking, and the restarted largest eigenpair) and {@link SpectralDensity}.
 *
 * <p>Builds an orthonormal basis q_0, q_1, … and the tridiagonal T = Qᵀ A Q (diagonal α,
 * off-diagonal β). Every new vector is orthogonalised by classical Gram–Schmidt twice against the
 * whole basis and against a fixed set of "locked" orthonormal vectors X ("twice is enough":
 * Kahan/Parlett), so the process runs on the deflated operator (I − XXᵀ) A (I − XXᵀ) and never
 * produces ghost copies of converged eigenvalues.
 *
 * <p>When the Krylov space becomes invariant (β ≈ 0, see {@link #BREAKDOWN_RTOL}) the step records
 * β = 0 and the caller may append a fresh start vector: T then becomes block diagonal, which is exact
 * because an invariant subspace is not coupled to its complement.
 */
final class LanczosProcess {
    /**
     * β_j ≤ BREAKDOWN_RTOL · ‖T‖ (running estimate) is taken as an invariant subspace and set to 0.
     * Setting it to zero perturbs the eigenvalues by at most β_j, i.e. by 1e-12 relative to ‖A‖,
     * while genuine breakdowns after two Gram–Schmidt passes leave β at round-off (~1e-15 ‖A‖).
     */
    static final double BREAKDOWN_RTOL = 1e-12;

    private final LinearOperator op;
    private final int dim;
    /** Locked orthonormal rows (L × dim). Not modified. */
    private final Matrix locked;
    /** Most basis vectors this process can hold: the dimension of the complement of the locked rows. */
    private final int maxSize;

    private double[] basis;
    private int size;
    private double[] alpha;
    private double[] beta;
    private int steps;
    private double normEstimate;

    private final Matrix in;
    private final Matrix out;
    private final double[] coeffLocked;
    private double[] coeffBasis;

    /**
     * @param op     the operator. Not modified.
     * @param locked orthonormal rows to deflate against, L × dim (L may be 0). Not modified.
     */
    LanczosProcess(LinearOperator op, Matrix locked) {
        this(op, locked, 16);
    }

    /**
     * @param op       the operator. Not modified.
     * @param locked   orthonormal rows to deflate against, L × dim (L may be 0). Not modified.
     * @param capacity basis vectors to allocate up front (the basis still grows past it when needed);
     *                 a restarted caller that knows its basis size avoids regrowing large vectors
     */
    LanczosProcess(LinearOperator op, Matrix locked, int capacity) {
        this.op = op;
        this.dim = op.dim();
        Matrix.requireShape(locked, locked.rows, dim, "locked vectors");
        this.locked = locked;
        this.maxSize = dim - locked.rows;
        int cap = Math.max(1, Math.min(maxSize, capacity));
        this.basis = new double[cap * dim];
        this.alpha = new double[cap];
        this.beta = new double[cap];
        this.in = new Matrix(1, dim);
        this.out = new Matrix(1, dim);
        this.coeffLocked = new double[locked.rows];
        this.coeffBasis = new double[cap];
    }

    /** Number of completed steps m: T is m × m. */
    int steps() {
        return steps;
    }

    /** True when a basis vector is waiting for its step, i.e. {@link #step()} may be called. */
    boolean hasPending() {
        return size > steps;
    }

    /** True when the basis spans the whole complement of the locked vectors. */
    boolean exhausted() {
        return size >= maxSize;
    }

    /** β_{m−1}: the coupling of T_m to the next Lanczos vector; 0 after a breakdown. */
    double lastBeta() {
        return steps == 0 ? 0.0 : beta[steps - 1];
    }

    /** Running estimate of ‖T‖ (max over rows of |α_j| + β_{j−1} + β_j), a lower bound on ‖A‖₂ up to round-off. */
    double normEstimate() {
        return normEstimate;
    }

    /**
     * Discards the basis and T (keeping the buffers and the norm estimate, which stays a valid lower
     * bound on ‖A‖₂), so that the next {@link #addStart} begins a fresh recurrence: an explicit restart.
     */
    void clear() {
        size = 0;
        steps = 0;
    }

    /**
     * Appends {@code v}, orthogonalised against the locked vectors and the basis and normalised.
     * Only allowed when no vector is pending (at the start or after a breakdown).
     *
     * @param v candidate start vector, length dim. Not modified.
     * @return false, appending nothing, when the complement is exhausted or v lies in the span
     */
    boolean addStart(double[] v) {
        if (hasPending()) {
            throw new IllegalStateException("a Lanczos vector is already pending");
        }
        if (v.length != dim) {
            throw new IllegalArgumentException("start vector has length " + v.length + ", expected " + dim);
        }
        if (exhausted()) {
            return false;
        }
        double[] w = v.clone();
        orthogonalise(w, -1);
        orthogonalise(w, -1);
        double norm = Vectors.norm2(w);
        if (norm == 0.0 || !Double.isFinite(norm)) {
            return false;
        }
        Vectors.scale(1.0 / norm, w);
        append(w);
        return true;
    }

    /**
     * One Lanczos step on the pending vector q_m: computes α_m and β_m and appends q_{m+1}.
     *
     * @return true if a new vector was appended; false on breakdown (β_m recorded as 0), after
     *         which the caller may {@link #addStart} a fresh vector
     */
    boolean step() {
        if (!hasPending()) {
            throw new IllegalStateException("no pending Lanczos vector; call addStart first");
        }
        int j = steps;
        System.arraycopy(basis, j * dim, in.data, 0, dim);
        op.apply(in, out);
        // Work in place: out is next written by the following step, after w has been copied into the basis.
        double[] w = out.data;
        double a = orthogonalise(w, j) + orthogonalise(w, j);
        double b = Vectors.norm2(w);
        ensureScalars(j + 1);
        alpha[j] = a;
        double prev = j == 0 ? 0.0 : beta[j - 1];
        normEstimate = Math.max(normEstimate, Math.abs(a) + prev + b);
        steps = j + 1;
        if (!Double.isFinite(b)) {
            throw new ArithmeticException("operator produced non-finite values in Lanczos step " + j);
        }
        if (b <= BREAKDOWN_RTOL * normEstimate || exhausted()) {
            beta[j] = 0.0;
            return false;
        }
        beta[j] = b;
        Vectors.scale(1.0 / b, w);
        append(w);
        return true;
    }

    /** Eigen-decomposition of T_m (m = steps() ≥ 1). */
    TridiagonalEigen ritz() {
        if (steps == 0) {
            throw new IllegalStateException("no Lanczos steps taken");
        }
        return TridiagonalEigen.decompose(alpha, beta, steps);
    }

    /**
     * Ritz vectors x_i = Σ_j s_{j,i} q_j for the eigenvector indices {@code which} of {@code t}.
     *
     * @param t     decomposition of T_m from {@link #ritz()}. Not modified.
     * @param which indices into t's eigenvalues. Not modified.
     * @return a new which.length × dim matrix, one unit Ritz vector per row
     */
    Matrix ritzVectors(TridiagonalEigen t, int[] which) {
        int m = t.order();
        Matrix y = new Matrix(which.length, m);
        for (int r = 0; r < which.length; r++) {
            System.arraycopy(t.vectors(), which[r] * m, y.data, r * m, m);
        }
        Matrix x = new Matrix(which.length, dim);
        Blas.get().gemm(false, false, which.length, dim, m, 1.0, y.data, 0, m, basis, 0, dim, 0.0, x.data, 0, dim);
        return x;
    }

    /**
     * Two-sided classical Gram–Schmidt pass: w −= X Xᵀ w and w −= Q Qᵀ w.
     *
     * @param w      vector, length dim. Modified.
     * @param report index of the basis vector whose coefficient to return, or −1
     * @return the coefficient of q_report removed in this pass (0 when report is −1)
     */
    private double orthogonalise(double[] w, int report) {
        Blas blas = Blas.get();
        int nl = locked.rows;
        if (nl > 0) {
            blas.gemv(false, nl, dim, 1.0, locked.data, 0, dim, w, 0, 0.0, coeffLocked, 0);
            blas.gemv(true, nl, dim, -1.0, locked.data, 0, dim, coeffLocked, 0, 1.0, w, 0);
        }
        if (size > 0) {
            if (coeffBasis.length < size) {
                coeffBasis = new double[basis.length / dim];
            }
            blas.gemv(false, size, dim, 1.0, basis, 0, dim, w, 0, 0.0, coeffBasis, 0);
            blas.gemv(true, size, dim, -1.0, basis, 0, dim, coeffBasis, 0, 1.0, w, 0);
        }
        return report >= 0 ? coeffBasis[report] : 0.0;
    }

    private void append(double[] q) {
        if ((size + 1) * dim > basis.length) {
            int cap = Math.min(maxSize, Math.max(size + 1, 2 * (basis.length / dim)));
            basis = Arrays.copyOf(basis, cap * dim);
        }
        System.arraycopy(q, 0, basis, size * dim, dim);
        size++;
    }

    private void ensureScalars(int n) {
        if (alpha.length < n) {
            int cap = Math.max(n, 2 * alpha.length);
            alpha = Arrays.copyOf(alpha, cap);
            beta = Arrays.copyOf(beta, cap);
        }
    }
}
