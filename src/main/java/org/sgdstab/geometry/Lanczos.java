package org.sgdstab.geometry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.Vectors;

/**
 * Extreme eigenvalues of a symmetric {@link LinearOperator} by Lanczos with full
 * reorthogonalisation (theory.md §4): the top k with explicit locking ({@link #topEigenvalues}), and
 * the largest eigenpair from a warm start with explicit restarts ({@link #largest}). Both run the one
 * recurrence in {@link LanczosProcess}.
 *
 * <p><b>Algorithm.</b> A phase runs Lanczos from a Gaussian start vector, deflated against the
 * locked vectors, solving the tridiagonal eigenproblem with LAPACK {@code dstev} after every step.
 * On an invariant subspace (β ≈ 0) it continues from a fresh random vector orthogonal to
 * everything so far. A phase ends when its Ritz values that belong to the current top-k, and its
 * own best Ritz value, have residual estimates |β_m s_{m,i}| ≤ tolerance · ρ, where ρ is the
 * largest |Ritz value| seen (an estimate of ‖A‖₂; for the leading eigenvalue this is tolerance·|θ|).
 * The top-k of the locked and phase Ritz pairs are then locked and a new phase starts, orthogonal to
 * them. The iteration stops when a phase finds nothing that beats the k-th locked value by more than
 * tolerance · ρ, when the whole space has been spanned, or after maxIterations steps.
 *
 * <p>Why phases: single-vector Lanczos sees only one copy of a repeated eigenvalue in exact
 * arithmetic, so a converged top-k can silently miss multiplicities. The verification phase
 * (usually cheaper than the first, since it only needs its best value to converge) recovers them;
 * a multiplicity r costs r extra phases.
 *
 * <p>Tolerance: |θ − λ| ≤ residual always holds for symmetric A, and ≤ residual²/gap once the
 * eigenvalue is isolated, so tolerance 1e-6 typically gives eigenvalues to ~1e-12 relative.
 */
public final class Lanczos {
    private Lanczos() {
    }

    /** Which end of the spectrum to find. */
    private enum Order {
        ALGEBRAIC, MAGNITUDE;

        double key(double theta) {
            return this == ALGEBRAIC ? theta : Math.abs(theta);
        }
    }

    /**
     * The k algebraically largest eigenvalues, descending, with Ritz vectors and true residuals.
     * Returns min(k, dim) pairs.
     *
     * @param op            symmetric operator, dim ≥ 1. Not modified.
     * @param k             number of eigenvalues, ≥ 1
     * @param maxIterations most Lanczos steps (operator applications), ≥ 1
     * @param tolerance     relative residual tolerance, ≥ 0 (0: run to maxIterations or dim)
     * @param rng           source of start vectors. Modified (advanced).
     */
    public static LanczosResult topEigenvalues(LinearOperator op, int k, int maxIterations, double tolerance,
                                               SplittableRandom rng) {
        return run(op, k, maxIterations, tolerance, rng, Order.ALGEBRAIC);
    }

    /**
     * The k eigenvalues of largest magnitude, ordered by decreasing |λ| (values keep their sign).
     * Arguments as in {@link #topEigenvalues}.
     */
    public static LanczosResult topByMagnitude(LinearOperator op, int k, int maxIterations, double tolerance,
                                               SplittableRandom rng) {
        return run(op, k, maxIterations, tolerance, rng, Order.MAGNITUDE);
    }

    /** λ_max: the algebraically largest eigenvalue. Arguments as in {@link #topEigenvalues}. */
    public static double largestEigenvalue(LinearOperator op, int maxIterations, double tolerance,
                                           SplittableRandom rng) {
        return topEigenvalues(op, 1, maxIterations, tolerance, rng).values()[0];
    }

    /** The spectral norm ‖A‖₂ = max |λ|. Arguments as in {@link #topEigenvalues}. */
    public static double largestAbs(LinearOperator op, int maxIterations, double tolerance, SplittableRandom rng) {
        return Math.abs(topByMagnitude(op, 1, maxIterations, tolerance, rng).values()[0]);
    }

    /**
     * The largest algebraic eigenpair by Lanczos from a given start vector, with explicit restarts
     * from the current best Ritz vector every {@code maxBasis} steps. No verification phase and no
     * extra application for the residual: this is the fast path for a sequence of nearby operators,
     * each warm-started from the previous Ritz vector (e.g. the second-moment map at nearby η).
     *
     * <p>It stops when {@code residual ≤ relTol · |θ|}, when the Krylov space of the start becomes
     * invariant (then θ is an eigenvalue to round-off, residual 0), or after {@code maxApplications}
     * applications (then not converged, but θ is still a lower bound on λ_max and lies within the
     * residual of an eigenvalue). What it finds is the largest eigenvalue whose eigenvector the
     * start overlaps: the caller chooses a start that overlaps the wanted one (for an operator that
     * preserves a cone, any interior point of the cone).
     *
     * @param op              symmetric operator, dim ≥ 1. Not modified.
     * @param start           finite nonzero start vector, length dim. Not modified.
     * @param relTol          relative residual tolerance, finite and ≥ 0
     * @param maxBasis        Krylov basis size before a restart, ≥ 2 (capped at dim); the memory is
     *                        about maxBasis + 1 vectors of length dim
     * @param maxApplications cap on operator applications, ≥ 1
     */
    public static RitzPair largest(LinearOperator op, double[] start, double relTol, int maxBasis, int maxApplications) {
        if (op == null || start == null) {
            throw new IllegalArgumentException("operator and start vector are required");
        }
        int dim = op.dim();
        if (dim < 1) {
            throw new IllegalArgumentException("operator dimension must be ≥ 1, got " + dim);
        }
        if (start.length != dim) {
            throw new IllegalArgumentException("start vector has length " + start.length + ", operator dimension is " + dim);
        }
        if (!(relTol >= 0) || Double.isInfinite(relTol)) {
            throw new IllegalArgumentException("relTol must be finite and ≥ 0, got " + relTol);
        }
        if (maxBasis < 2) {
            throw new IllegalArgumentException("maxBasis must be ≥ 2, got " + maxBasis);
        }
        if (maxApplications < 1) {
            throw new IllegalArgumentException("maxApplications must be ≥ 1, got " + maxApplications);
        }
        double startNorm = Vectors.norm2(start);
        if (!(startNorm > 0) || !Double.isFinite(startNorm)) {
            throw new IllegalArgumentException("Lanczos start vector must be finite and nonzero");
        }
        int basisCap = Math.min(maxBasis, dim);
        // One spare slot: each step appends the next Lanczos vector before the restart decision.
        LanczosProcess proc = new LanczosProcess(op, new Matrix(0, dim), basisCap + 1);
        double[] current = start;
        int applications = 0;
        while (true) {
            proc.clear();
            if (!proc.addStart(current)) {
                throw new IllegalStateException("a nonzero start vector cannot vanish when nothing is locked");
            }
            TridiagonalEigen t;
            double theta;
            double residual;
            boolean invariant;
            do {
                invariant = !proc.step();
                applications++;
                t = proc.ritz();
                int m = t.order();
                theta = t.values()[m - 1]; // dstev sorts ascending
                residual = invariant ? 0.0 : Math.abs(proc.lastBeta() * t.component(m - 1, m - 1));
            } while (!invariant && !(residual <= relTol * Math.abs(theta)) && proc.steps() < basisCap
                    && applications < maxApplications);
            double[] ritz = proc.ritzVectors(t, new int[] {t.order() - 1}).data;
            // Unit up to round-off already; renormalise so restarts do not accumulate drift.
            Vectors.scale(1.0 / Vectors.norm2(ritz), ritz);
            boolean converged = invariant || residual <= relTol * Math.abs(theta);
            if (converged || applications >= maxApplications) {
                return new RitzPair(theta, ritz, residual, applications, converged);
            }
            current = ritz;
        }
    }

    /** One candidate eigenpair: its value, residual estimate, and where its vector comes from. */
    private record Candidate(double value, double residual, boolean locked, int index) {
    }

    private static LanczosResult run(LinearOperator op, int k, int maxIterations, double tolerance,
                                     SplittableRandom rng, Order order) {
        if (op == null || rng == null) {
            throw new IllegalArgumentException("operator and rng are required");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be ≥ 1, got " + k);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be ≥ 1, got " + maxIterations);
        }
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and ≥ 0, got " + tolerance);
        }
        int dim = op.dim();
        if (dim < 1) {
            throw new IllegalArgumentException("operator dimension must be ≥ 1, got " + dim);
        }
        int kEff = Math.min(k, dim);

        double[] lockedValues = new double[0];
        double[] lockedResiduals = new double[0];
        Matrix lockedVectors = new Matrix(0, dim);
        double scale = 0.0;
        int iterations = 0;

        while (true) {
            LanczosProcess proc = new LanczosProcess(op, lockedVectors);
            if (!proc.addStart(gaussian(rng, dim))) {
                break; // the locked vectors span the whole space
            }
            TridiagonalEigen t = null;
            List<Candidate> merged = List.of();
            boolean complete = false;
            boolean phaseConverged = false;
            while (iterations < maxIterations) {
                boolean continued = proc.step();
                iterations++;
                if (!continued && !proc.addStart(gaussian(rng, dim))) {
                    complete = true; // the phase's Krylov spaces fill the complement of the locked vectors
                }
                t = proc.ritz();
                scale = Math.max(scale, Math.max(Math.abs(t.values()[0]), Math.abs(t.values()[t.order() - 1])));
                double[] estimates = residualEstimates(t, proc.lastBeta());
                merged = merge(lockedValues, lockedResiduals, t, estimates, kEff, order);
                if (complete) {
                    break;
                }
                phaseConverged = phaseConverged(merged, t, estimates, kEff, tolerance * scale, order);
                if (phaseConverged) {
                    break;
                }
            }
            if (t == null) {
                break; // no step was possible: maxIterations already spent
            }
            boolean improved = lockedValues.length < kEff
                    || improves(t, order, order.key(lockedValues[lockedValues.length - 1]) + tolerance * scale);
            Matrix phaseVectors = proc.ritzVectors(t, phaseIndices(merged));
            lockedValues = new double[merged.size()];
            lockedResiduals = new double[merged.size()];
            Matrix next = new Matrix(merged.size(), dim);
            int fromPhase = 0;
            for (int i = 0; i < merged.size(); i++) {
                Candidate c = merged.get(i);
                lockedValues[i] = c.value();
                lockedResiduals[i] = c.residual();
                Matrix src = c.locked() ? lockedVectors : phaseVectors;
                int row = c.locked() ? c.index() : fromPhase++;
                System.arraycopy(src.data, row * dim, next.data, i * dim, dim);
            }
            lockedVectors = next;
            if (complete || !phaseConverged || !improved || lockedValues.length == dim) {
                break;
            }
        }
        return finish(op, lockedValues, lockedVectors, iterations);
    }

    /** |β_m · s_{m,i}|: the residual norm of each Ritz pair of T_m. */
    private static double[] residualEstimates(TridiagonalEigen t, double lastBeta) {
        int m = t.order();
        double[] r = new double[m];
        for (int i = 0; i < m; i++) {
            r[i] = Math.abs(lastBeta * t.component(m - 1, i));
        }
        return r;
    }

    /** Phase Ritz indices in order of decreasing key. */
    private static int[] ranked(TridiagonalEigen t, Order order) {
        int m = t.order();
        Integer[] idx = new Integer[m];
        for (int i = 0; i < m; i++) {
            idx[i] = i;
        }
        double[] v = t.values();
        Arrays.sort(idx, (a, b) -> Double.compare(order.key(v[b]), order.key(v[a])));
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** Top-k of locked ∪ phase candidates by key; ties keep the locked one (stable sort, locked first). */
    private static List<Candidate> merge(double[] lockedValues, double[] lockedResiduals, TridiagonalEigen t,
                                         double[] estimates, int k, Order order) {
        List<Candidate> all = new ArrayList<>(lockedValues.length + t.order());
        for (int i = 0; i < lockedValues.length; i++) {
            all.add(new Candidate(lockedValues[i], lockedResiduals[i], true, i));
        }
        for (int i : ranked(t, order)) {
            all.add(new Candidate(t.values()[i], estimates[i], false, i));
        }
        all.sort((a, b) -> Double.compare(order.key(b.value()), order.key(a.value())));
        return all.subList(0, Math.min(k, all.size()));
    }

    /** Converged when every phase pair in the merged top-k, and the phase's best pair, are below the threshold. */
    private static boolean phaseConverged(List<Candidate> merged, TridiagonalEigen t, double[] estimates, int k,
                                          double threshold, Order order) {
        if (merged.size() < k) {
            return false;
        }
        for (Candidate c : merged) {
            if (!c.locked() && !(c.residual() <= threshold)) {
                return false;
            }
        }
        int best = ranked(t, order)[0];
        return estimates[best] <= threshold;
    }

    /** True when some phase Ritz value has a key above {@code bar}. */
    private static boolean improves(TridiagonalEigen t, Order order, double bar) {
        for (double v : t.values()) {
            if (order.key(v) > bar) {
                return true;
            }
        }
        return false;
    }

    private static int[] phaseIndices(List<Candidate> merged) {
        return merged.stream().filter(c -> !c.locked()).mapToInt(Candidate::index).toArray();
    }

    /** Computes the true residuals ‖A x − θ x‖ with one block application. */
    private static LanczosResult finish(LinearOperator op, double[] values, Matrix vectors, int iterations) {
        int k = values.length;
        int dim = op.dim();
        double[] residuals = new double[k];
        if (k > 0) {
            Matrix ax = new Matrix(k, dim);
            op.apply(vectors, ax);
            for (int i = 0; i < k; i++) {
                double[] r = Arrays.copyOfRange(ax.data, i * dim, (i + 1) * dim);
                Vectors.axpy(-values[i], vectors.row(i), r);
                residuals[i] = Vectors.norm2(r);
            }
        }
        return new LanczosResult(values, residuals, iterations, vectors);
    }

    private static double[] gaussian(SplittableRandom rng, int dim) {
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }
}
