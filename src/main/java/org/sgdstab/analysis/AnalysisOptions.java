package org.sgdstab.analysis;

import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.InputException;
import org.sgdstab.train.Sampling;

/**
 * What {@link Analyzer} computes beyond the noise geometry, and at which η and B the bounds are taken.
 *
 * @param lr           η for the bounds and the second-moment map
 * @param batchSize    B
 * @param sampling     the SGD scheme for the exact critical learning rate
 * @param hessian      exact, stochastic or auto Hessian quantities; null skips the Hessian
 * @param probes       Hutchinson probes for stochastic estimates (≥ 2)
 * @param topK         number of top Hessian eigenvalues to report
 * @param criticalLr   whether to compute η*(B) and ρ(η) from the second-moment map
 * @param seed         seed for stochastic estimators
 */
public record AnalysisOptions(double lr, int batchSize, Sampling sampling, CurvatureSummary.Method hessian, int probes,
                              int topK, boolean criticalLr, long seed) {
    /** Hutchinson's default probe count. */
    public static final int DEFAULT_PROBES = 64;

    public AnalysisOptions {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new InputException("--lr must be a positive number, got " + lr);
        }
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (probes < 2) {
            throw new InputException("--probes must be at least 2 (a standard error needs two probes), got " + probes);
        }
        if (topK < 1) {
            throw new InputException("--top-k must be at least 1, got " + topK);
        }
    }

    /** Only the noise geometry and the paper's bounds (fast: for per-step diagnostics). */
    public static AnalysisOptions noiseOnly(double lr, int batchSize) {
        return new AnalysisOptions(lr, batchSize, Sampling.WITH_REPLACEMENT, null, DEFAULT_PROBES, 1, false, 0L);
    }
}
