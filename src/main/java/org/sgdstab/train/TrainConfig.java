package org.sgdstab.train;

import org.sgdstab.io.InputException;

/**
 * Everything that defines a training run, so it can be replayed from its record.
 *
 * @param optimizer         SGD on mini-batches, or full-batch GD
 * @param sampling          how SGD draws batches (ignored by GD)
 * @param lr                learning rate η
 * @param batchSize         B (ignored by GD, which uses all n)
 * @param steps             maximum number of updates
 * @param seed              root seed of the run
 * @param logEvery          full training loss every this many steps (and at the first and last)
 * @param diagnosticsEvery  noise/curvature diagnostics every this many steps; 0 disables them
 * @param probe             largest probe set for diagnostics (the whole set when n ≤ 2048 by default)
 * @param tolerance         stop as converged when the training loss falls to this value (0: never)
 * @param divergenceCap     stop as diverged when the training loss exceeds this or is not finite
 * @param checkpointEvery   write a checkpoint every this many steps; 0 disables intermediate checkpoints
 */
public record TrainConfig(Optimizer optimizer, Sampling sampling, double lr, int batchSize, long steps, long seed,
                          int logEvery, int diagnosticsEvery, int probe, double tolerance, double divergenceCap,
                          int checkpointEvery) {

    /** The two optimisers of the paper. */
    public enum Optimizer {
        /** θ ← θ − (η/B) Σ_{i∈batch} ∇L_i. */
        SGD,
        /** θ ← θ − η ∇L. */
        GD;

        /** "sgd" or "gd". */
        public static Optimizer parse(String s) {
            return switch (s) {
                case "sgd" -> SGD;
                case "gd" -> GD;
                default -> throw new InputException("--optimizer: unknown value '" + s + "' (expected sgd or gd)");
            };
        }
    }

    public TrainConfig {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new InputException("--lr must be a positive number, got " + lr);
        }
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (steps < 0) {
            throw new InputException("--steps must be ≥ 0, got " + steps);
        }
        if (logEvery < 1) {
            throw new InputException("--log-every must be at least 1, got " + logEvery);
        }
        if (diagnosticsEvery < 0) {
            throw new InputException("--diagnostics-every must be ≥ 0, got " + diagnosticsEvery);
        }
        if (probe < 1) {
            throw new InputException("--probe must be at least 1, got " + probe);
        }
        if (!(tolerance >= 0)) {
            throw new InputException("--tol must be ≥ 0, got " + tolerance);
        }
        if (!(divergenceCap > 0)) {
            throw new InputException("--divergence-cap must be positive, got " + divergenceCap);
        }
        if (checkpointEvery < 0) {
            throw new InputException("--checkpoint-every must be ≥ 0, got " + checkpointEvery);
        }
    }

    /** Checks the parts of the config that depend on the data set size n. */
    public void requireFits(int n) {
        if (optimizer == Optimizer.SGD) {
            sampling.requireBatchFits(batchSize, n);
        }
    }
}
