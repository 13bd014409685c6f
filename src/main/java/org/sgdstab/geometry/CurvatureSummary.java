package org.sgdstab.geometry;

import java.util.SplittableRandom;
import org.sgdstab.io.InputException;
import org.sgdstab.linalg.LinearOperator;

/**
 * The curvature numbers of theory.md §4 for one operator, from either the exact (dense) or the
 * stochastic (Hutchinson + Lanczos) path. The array is freshly allocated and belongs to the caller.
 *
 * @param frobenius         ‖A‖_F
 * @param frobeniusStdErr   its standard error; 0 for the exact path
 * @param trace             Tr A
 * @param traceStdErr       its standard error; 0 for the exact path
 * @param lambdaMax         the largest eigenvalue
 * @param lambdaMaxResidual ‖A x − λ x‖ of the returned Lanczos vector; 0 for the exact path, whose
 *                          dense eigensolver is backward stable to round-off
 * @param topEigenvalues    the min(topK, dim) largest eigenvalues, descending
 * @param method            the path taken: EXACT or STOCHASTIC, never AUTO
 * @param probes            Hutchinson probes used; 0 for the exact path
 */
public record CurvatureSummary(double frobenius, double frobeniusStdErr, double trace, double traceStdErr,
                               double lambdaMax, double lambdaMaxResidual, double[] topEigenvalues,
                               Method method, int probes) {

    /** AUTO takes the exact path up to this dimension: dim operator applications and an O(dim³) eigensolve. */
    public static final int AUTO_EXACT_MAX_DIM = 4096;
    /** Lanczos step budget of the stochastic path. */
    public static final int LANCZOS_MAX_ITERATIONS = 300;
    /**
     * Lanczos relative residual tolerance of the stochastic path: the eigenvalue error is at most
     * the residual, and about residual²/gap once isolated.
     */
    public static final double LANCZOS_TOLERANCE = 1e-8;

    /** How {@link #compute} obtains the numbers. */
    public enum Method {
        /** Form the matrix with dim operator applications and use the dense eigensolver. */
        EXACT("exact"),
        /** Hutchinson for trace and Frobenius norm, Lanczos for the top eigenvalues. */
        STOCHASTIC("stochastic"),
        /** EXACT when dim ≤ {@link #AUTO_EXACT_MAX_DIM}, otherwise STOCHASTIC. */
        AUTO("auto");

        private final String cliName;

        Method(String cliName) {
            this.cliName = cliName;
        }

        /** The name used on the command line and in outputs. */
        public String cliName() {
            return cliName;
        }

        /** Parses "exact", "stochastic" or "auto". */
        public static Method parse(String name) {
            for (Method m : values()) {
                if (m.cliName.equals(name)) {
                    return m;
                }
            }
            throw new InputException("unknown curvature method '" + name + "' (expected exact, stochastic or auto)");
        }

        /** The concrete path for an operator of dimension {@code dim}: AUTO resolved, others unchanged. */
        public Method resolve(int dim) {
            if (this != AUTO) {
                return this;
            }
            return dim <= AUTO_EXACT_MAX_DIM ? EXACT : STOCHASTIC;
        }
    }

    /**
     * Computes the summary. Arguments are validated whichever path is taken, so a bad value fails
     * the same way on small and large problems.
     *
     * @param op     symmetric operator, dim ≥ 1. Not modified.
     * @param method EXACT, STOCHASTIC or AUTO
     * @param probes Hutchinson probes, ≥ 2 (unused by the exact path)
     * @param topK   number of top eigenvalues, ≥ 1
     * @param block  vectors per operator application, ≥ 1
     * @param rng    randomness for the stochastic path. Modified (split twice, stochastic path only).
     */
    public static CurvatureSummary compute(LinearOperator op, Method method, int probes, int topK, int block,
                                           SplittableRandom rng) {
        if (op == null || method == null || rng == null) {
            throw new IllegalArgumentException("operator, method and rng are required");
        }
        if (probes < 2) {
            throw new IllegalArgumentException("probes must be ≥ 2, got " + probes);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be ≥ 1, got " + topK);
        }
        if (block < 1) {
            throw new IllegalArgumentException("block size must be ≥ 1, got " + block);
        }
        int dim = op.dim();
        if (dim < 1) {
            throw new IllegalArgumentException("operator dimension must be ≥ 1, got " + dim);
        }
        switch (method.resolve(dim)) {
            case EXACT -> {
                DenseSpectrum s = DenseSpectrum.of(op, block);
                return new CurvatureSummary(s.frobenius(), 0.0, s.trace(), 0.0, s.lambdaMax(), 0.0, s.top(topK),
                        Method.EXACT, 0);
            }
            case STOCHASTIC -> {
                SplittableRandom hutchRng = rng.split();
                SplittableRandom lanczosRng = rng.split();
                HutchinsonEstimate h = Hutchinson.estimate(op, probes, block, hutchRng);
                LanczosResult l = Lanczos.topEigenvalues(op, topK, LANCZOS_MAX_ITERATIONS, LANCZOS_TOLERANCE,
                        lanczosRng);
                return new CurvatureSummary(h.frobenius(), h.frobeniusStdErr(), h.trace(), h.traceStdErr(),
                        l.values()[0], l.residuals()[0], l.values(), Method.STOCHASTIC, probes);
            }
            default -> throw new IllegalStateException("resolve() never returns " + method);
        }
    }
}
