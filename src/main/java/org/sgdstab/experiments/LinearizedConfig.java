package org.sgdstab.experiments;

import java.util.List;
import org.sgdstab.io.InputException;
import org.sgdstab.train.Sampling;

/**
 * Everything that defines a linearised-dynamics experiment (theory.md §6), so it can be replayed.
 *
 * @param lr            η
 * @param batchSize     B
 * @param sampling      how mini-batch noise draws batches
 * @param noise         the noise models to simulate (distinct, in the order given)
 * @param trajectories  R per noise model
 * @param steps         T
 * @param initLoss      ε, the loss of the starting perturbation
 * @param seed          root seed
 * @param divergenceCap a trajectory above this loss stops and counts as escaped
 * @param jobs          threads
 * @param modelSizes    hidden widths for the isotropic-vs-geometry comparison over p (empty: none)
 * @param maxApplications cap on second-moment-map applications for ρ(η) of mini-batch noise
 */
public record LinearizedConfig(double lr, int batchSize, Sampling sampling, List<NoiseModel> noise, int trajectories, int steps,
                               double initLoss, long seed, double divergenceCap, int jobs, int[] modelSizes, int maxApplications) {
    /** Default cap on map applications for ρ(η) (below η* Lanczos converges slowly; the residual is reported). */
    public static final int DEFAULT_MAX_APPLICATIONS = 400;

    public LinearizedConfig {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new InputException("--lr must be a positive number, got " + lr);
        }
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        if (sampling == null) {
            throw new InputException("--sampling must be given");
        }
        if (noise == null || noise.isEmpty()) {
            throw new InputException("--noise must name at least one noise model");
        }
        if (noise.stream().distinct().count() != noise.size()) {
            throw new InputException("--noise names a noise model twice: " + noise);
        }
        noise = List.copyOf(noise);
        if (trajectories < 2) {
            throw new InputException("--trajectories must be at least 2 (standard errors need two), got " + trajectories);
        }
        if (steps < 1) {
            throw new InputException("--steps must be at least 1, got " + steps);
        }
        if (!(initLoss > 0) || !Double.isFinite(initLoss)) {
            throw new InputException("--init-loss must be a positive number, got " + initLoss);
        }
        if (!(divergenceCap > initLoss) || !Double.isFinite(divergenceCap)) {
            throw new InputException("--divergence-cap must be a number above --init-loss, got " + divergenceCap);
        }
        if (jobs < 1) {
            throw new InputException("--jobs must be at least 1, got " + jobs);
        }
        modelSizes = modelSizes.clone();
        for (int w : modelSizes) {
            if (w < 1) {
                throw new InputException("--model-sizes: widths must be positive, got " + w);
            }
        }
        if (maxApplications < 1) {
            throw new InputException("maximum map applications must be at least 1, got " + maxApplications);
        }
    }

    @Override
    public int[] modelSizes() {
        return modelSizes.clone();
    }

    /** Checks the parts that depend on n. */
    public void requireFits(int n) {
        sampling.requireBatchFits(batchSize, n);
    }
}
