package org.sgdstab.geometry;

import java.util.SplittableRandom;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;

/**
 * Spectral density of a symmetric operator by stochastic Lanczos quadrature (Lin, Saad and Yang
 * 2016; Ghorbani, Krishnan and Xiao 2019).
 *
 * <p>For a unit probe v = r/√dim (r Rademacher), m Lanczos steps from v give T_m = S Θ Sᵀ, and the
 * Gauss quadrature with nodes θ_i and weights s_{0,i}² integrates the spectral measure
 * Σ_j (vᵀu_j)² δ(λ − λ_j), whose expectation is (1/dim) Σ_j δ(λ − λ_j). Per probe the weights sum
 * to one; averaging over probes estimates the normalised density. If the Krylov space of a probe
 * becomes invariant early the quadrature is exact for it and has fewer nodes.
 *
 * @param nodes   per probe, the quadrature nodes (Ritz values, ascending); rows may differ in length
 * @param weights per probe, the weights matching {@code nodes}; each row sums to 1
 * @param steps   the requested number of Lanczos steps (capped at dim)
 */
public record SpectralDensity(double[][] nodes, double[][] weights, int steps) {
    public SpectralDensity {
        if (nodes.length != weights.length) {
            throw new IllegalArgumentException(nodes.length + " node rows but " + weights.length + " weight rows");
        }
        for (int p = 0; p < nodes.length; p++) {
            if (nodes[p].length != weights[p].length) {
                throw new IllegalArgumentException("probe " + p + " has " + nodes[p].length + " nodes but "
                        + weights[p].length + " weights");
            }
        }
    }

    /**
     * Runs SLQ with {@code probes} Rademacher probes and up to {@code steps} Lanczos steps each.
     *
     * @param op     symmetric operator, dim ≥ 1. Not modified.
     * @param probes number of probes, ≥ 1
     * @param steps  Lanczos steps per probe, ≥ 1 (capped at dim)
     * @param rng    source of the probe signs. Modified (advanced).
     */
    public static SpectralDensity estimate(LinearOperator op, int probes, int steps, SplittableRandom rng) {
        if (op == null || rng == null) {
            throw new IllegalArgumentException("operator and rng are required");
        }
        if (probes < 1) {
            throw new IllegalArgumentException("probes must be ≥ 1, got " + probes);
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be ≥ 1, got " + steps);
        }
        int dim = op.dim();
        if (dim < 1) {
            throw new IllegalArgumentException("operator dimension must be ≥ 1, got " + dim);
        }
        double[][] nodes = new double[probes][];
        double[][] weights = new double[probes][];
        Matrix noLocked = new Matrix(0, dim);
        for (int p = 0; p < probes; p++) {
            double[] v = new double[dim];
            for (int i = 0; i < dim; i++) {
                v[i] = rng.nextBoolean() ? 1.0 : -1.0;
            }
            LanczosProcess proc = new LanczosProcess(op, noLocked);
            if (!proc.addStart(v)) {
                throw new IllegalStateException("a Rademacher probe cannot be zero");
            }
            // Stop on breakdown rather than restart: the quadrature concerns v's Krylov space only.
            boolean more = true;
            while (more && proc.steps() < steps) {
                more = proc.step();
            }
            TridiagonalEigen t = proc.ritz();
            int m = t.order();
            nodes[p] = t.values().clone();
            weights[p] = new double[m];
            for (int i = 0; i < m; i++) {
                double s = t.component(0, i);
                weights[p][i] = s * s;
            }
        }
        return new SpectralDensity(nodes, weights, steps);
    }

    /** Number of probes. */
    public int probes() {
        return nodes.length;
    }

    /**
     * The probe-averaged k-th moment Σ w θ^k / probes, an estimate of Tr(A^k) / dim.
     *
     * @param power k ≥ 0
     */
    public double moment(int power) {
        if (power < 0) {
            throw new IllegalArgumentException("moment power must be ≥ 0, got " + power);
        }
        double total = 0;
        for (int p = 0; p < nodes.length; p++) {
            for (int i = 0; i < nodes[p].length; i++) {
                total += weights[p][i] * Math.pow(nodes[p][i], power);
            }
        }
        return total / nodes.length;
    }

    /**
     * The density smoothed with a Gaussian kernel, (1/probes) Σ_p Σ_i w_{p,i} φ_σ(x − θ_{p,i}), on
     * {@code grid}; it integrates to 1 (multiply by dim for an eigenvalue count density).
     *
     * @param grid  evaluation points. Not modified.
     * @param sigma kernel width, > 0
     * @return a new array of grid.length values
     */
    public double[] density(double[] grid, double sigma) {
        if (!(sigma > 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be finite and > 0, got " + sigma);
        }
        double norm = 1.0 / (sigma * Math.sqrt(2 * Math.PI) * nodes.length);
        double[] out = new double[grid.length];
        for (int g = 0; g < grid.length; g++) {
            double s = 0;
            for (int p = 0; p < nodes.length; p++) {
                for (int i = 0; i < nodes[p].length; i++) {
                    double z = (grid[g] - nodes[p][i]) / sigma;
                    s += weights[p][i] * Math.exp(-0.5 * z * z);
                }
            }
            out[g] = s * norm;
        }
        return out;
    }
}
