package org.sgdstab.analysis;

import java.util.Arrays;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.InputException;
import org.sgdstab.train.Sampling;

/**
 * What {@link StabilityScan} computes. Invalid values throw {@link InputException} naming the
 * command-line option, so the CLI can build this record straight from its options.
 *
 * @param batchSizes the batch sizes B, distinct and ≥ 1; kept sorted ascending (a copy)
 * @param sampling   the SGD scheme; EPOCH is approximated as without replacement (see
 *                   {@link org.sgdstab.stability.SecondMomentMap})
 * @param hessian    how ‖H‖_F is obtained: EXACT, STOCHASTIC or AUTO (exact when p ≤
 *                   {@link CurvatureSummary#AUTO_EXACT_MAX_DIM})
 * @param probes     Hutchinson probes for the stochastic path, ≥ 2
 * @param rhoPoints  points of the ρ(η) grid per B: 0 (no grid) or ≥ 2
 * @param rhoSpan    the grid spans η*(1 − rhoSpan) .. η*(1 + rhoSpan), 0 < rhoSpan < 1
 * @param lr         a learning rate at which to report ρ for every B, or null for none
 * @param seed       seed of the stochastic Hessian estimators
 */
public record ScanConfig(int[] batchSizes, Sampling sampling, CurvatureSummary.Method hessian, int probes, int rhoPoints,
                         double rhoSpan, Double lr, long seed) {
    /** Grid points per B by default: η* is the middle one. */
    public static final int DEFAULT_RHO_POINTS = 21;
    /** Default half-width of the grid, relative to η*. */
    public static final double DEFAULT_RHO_SPAN = 0.5;

    public ScanConfig {
        if (batchSizes == null || batchSizes.length == 0) {
            throw new InputException("--batch-sizes: at least one batch size is required");
        }
        batchSizes = batchSizes.clone();
        Arrays.sort(batchSizes);
        for (int i = 0; i < batchSizes.length; i++) {
            if (batchSizes[i] < 1) {
                throw new InputException("--batch-sizes: values must be positive, got " + batchSizes[i]);
            }
            if (i > 0 && batchSizes[i] == batchSizes[i - 1]) {
                throw new InputException("--batch-sizes: " + batchSizes[i] + " is listed twice");
            }
        }
        if (sampling == null) {
            throw new InputException("--sampling is required");
        }
        if (hessian == null) {
            throw new InputException("--hessian is required (exact, stochastic or auto)");
        }
        if (probes < 2) {
            throw new InputException("--probes must be at least 2 (a standard error needs two probes), got " + probes);
        }
        if (rhoPoints != 0 && rhoPoints < 2) {
            throw new InputException("--rho-points must be 0 (no grid) or at least 2, got " + rhoPoints);
        }
        if (!(rhoSpan > 0 && rhoSpan < 1)) {
            throw new InputException("--rho-span must lie strictly between 0 and 1, got " + rhoSpan);
        }
        if (lr != null && (!(lr > 0) || lr.isInfinite())) {
            throw new InputException("--lr must be a positive number, got " + lr);
        }
    }

    /** The defaults of the command line for the given batch sizes: with replacement, AUTO Hessian, 64 probes, 21 grid points. */
    public static ScanConfig of(int... batchSizes) {
        return new ScanConfig(batchSizes, Sampling.WITH_REPLACEMENT, CurvatureSummary.Method.AUTO,
                AnalysisOptions.DEFAULT_PROBES, DEFAULT_RHO_POINTS, DEFAULT_RHO_SPAN, null, 0L);
    }

    /** A copy, ascending. */
    @Override
    public int[] batchSizes() {
        return batchSizes.clone();
    }

    /** Checks the batch sizes against the sample count n: without replacement no B may exceed n. */
    public void requireFits(int n) {
        int largest = batchSizes[batchSizes.length - 1];
        if (sampling != Sampling.WITH_REPLACEMENT && largest > n) {
            throw new InputException("--batch-sizes: " + largest + " exceeds n = " + n + ", impossible with "
                    + sampling.cliName() + " sampling");
        }
    }

    /** The same scan with other sampling. */
    public ScanConfig withSampling(Sampling other) {
        return new ScanConfig(batchSizes, other, hessian, probes, rhoPoints, rhoSpan, lr, seed);
    }

    /** The same scan with a ρ grid of {@code points} points (0: none). */
    public ScanConfig withRhoPoints(int points) {
        return new ScanConfig(batchSizes, sampling, hessian, probes, points, rhoSpan, lr, seed);
    }

    /** The same scan that also reports ρ at {@code learningRate} (null: none). */
    public ScanConfig withLr(Double learningRate) {
        return new ScanConfig(batchSizes, sampling, hessian, probes, rhoPoints, rhoSpan, learningRate, seed);
    }
}
