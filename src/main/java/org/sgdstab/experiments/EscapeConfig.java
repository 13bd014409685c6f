package org.sgdstab.experiments;

import java.util.Arrays;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.InputException;
import org.sgdstab.train.Sampling;

/**
 * Everything that defines an escape experiment (theory.md §5, Theorem 3.5; the paper's Figures 4
 * and 5b), so it can be replayed from its record.
 *
 * @param lr            η, shared by the GD phase and the SGD trajectories
 * @param batchSize     B of the SGD trajectories
 * @param sampling      how SGD draws batches
 * @param trajectories  R, independent SGD trajectories
 * @param steps         T, SGD steps per trajectory (losses are recorded at t = 0..T)
 * @param seed          root seed (initialisation when no weights are given, probe set, trajectory streams)
 * @param gdTolerance   GD stops when the training loss reaches this
 * @param gdMaxSteps    GD gives up after this many steps (the experiment then starts where GD stopped)
 * @param skipGd        start the trajectories directly from the given weights
 * @param divergenceCap a trajectory whose loss exceeds this (or is not finite) stops and counts as escaped
 * @param jobs          threads for the trajectories
 * @param fitWindow     last step of the growth-rate fit window; 0 chooses it from the data (see
 *                      {@link EscapeExperiment#autoFitWindow})
 * @param levels        loss levels for "first step at which the mean reaches L", ascending
 * @param hessian       how ‖H‖_F is obtained at the minimum: null uses ‖G‖_F (equal to ‖H‖_F at a global minimum)
 * @param probe         largest probe set for the analysis at the minimum
 */
public record EscapeConfig(double lr, int batchSize, Sampling sampling, int trajectories, int steps, long seed,
                           double gdTolerance, long gdMaxSteps, boolean skipGd, double divergenceCap, int jobs,
                           int fitWindow, double[] levels, CurvatureSummary.Method hessian, int probe) {

    public EscapeConfig {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new InputException("--lr must be a positive number, got " + lr);
        }
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (sampling == null) {
            throw new InputException("--sampling must be given");
        }
        if (trajectories < 1) {
            throw new InputException("--trajectories must be at least 1, got " + trajectories);
        }
        if (steps < 1) {
            throw new InputException("--steps must be at least 1, got " + steps);
        }
        if (!(gdTolerance > 0) || !Double.isFinite(gdTolerance)) {
            throw new InputException("--gd-tol must be a positive number, got " + gdTolerance);
        }
        if (gdMaxSteps < 0) {
            throw new InputException("--gd-max-steps must be ≥ 0, got " + gdMaxSteps);
        }
        if (!(divergenceCap > 0) || !Double.isFinite(divergenceCap)) {
            throw new InputException("--divergence-cap must be a positive number, got " + divergenceCap);
        }
        if (jobs < 1) {
            throw new InputException("--jobs must be at least 1, got " + jobs);
        }
        if (fitWindow < 0 || fitWindow > steps) {
            throw new InputException("--fit-window must lie in 0.." + steps + " (0: automatic), got " + fitWindow);
        }
        if (fitWindow == 1) {
            throw new InputException("--fit-window must cover at least two steps (≥ 2, or 0 for automatic), got 1");
        }
        levels = levels.clone();
        for (int i = 0; i < levels.length; i++) {
            if (!(levels[i] > 0) || !Double.isFinite(levels[i]) || (i > 0 && levels[i] <= levels[i - 1])) {
                throw new InputException("--levels must be positive and increasing, got " + Arrays.toString(levels));
            }
        }
        if (probe < 1) {
            throw new InputException("--probe must be at least 1, got " + probe);
        }
    }

    /** The loss levels (a copy). */
    @Override
    public double[] levels() {
        return levels.clone();
    }

    /** Checks the parts that depend on n. */
    public void requireFits(int n) {
        sampling.requireBatchFits(batchSize, n);
    }
}
