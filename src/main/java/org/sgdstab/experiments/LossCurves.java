package org.sgdstab.experiments;

import java.util.Arrays;

/**
 * Per-step statistics over many loss trajectories. Trajectories that escaped (their loss exceeded the
 * divergence cap, or stopped being finite) count at the cap from that step on, so no aggregate is
 * ever NaN: the mean is then a lower bound of the uncensored mean, and the median and lower
 * quantiles are exact while fewer trajectories than the quantile's level have escaped. Steps a
 * trajectory never reached without escaping (an interrupted run) are left out of that step's statistics.
 *
 * @param count        trajectories contributing at each step
 * @param mean         mean loss
 * @param stdErr       standard error of the mean (sample standard deviation / √count)
 * @param median       median loss
 * @param q10          10% quantile
 * @param q90          90% quantile
 * @param meanLog      mean of log-loss
 * @param escapedFraction fraction of the contributing trajectories that have escaped by that step
 * @param cap          the divergence cap
 */
public record LossCurves(int[] count, double[] mean, double[] stdErr, double[] median, double[] q10, double[] q90,
                         double[] meanLog, double[] escapedFraction, double cap) {

    /** Floor for log-loss so that an exact zero loss does not give −∞. */
    static final double LOG_FLOOR = Double.MIN_NORMAL;

    /**
     * Builds the statistics.
     *
     * @param losses losses[r][t]; NaN where trajectory r recorded nothing at step t. Not modified.
     * @param cap    the divergence cap (> 0)
     */
    public static LossCurves of(double[][] losses, double cap) {
        if (!(cap > 0)) {
            throw new IllegalArgumentException("cap must be > 0, got " + cap);
        }
        int r = losses.length;
        int steps = r == 0 ? 0 : losses[0].length;
        int[] escapeStep = new int[r];
        for (int i = 0; i < r; i++) {
            if (losses[i].length != steps) {
                throw new IllegalArgumentException("trajectory " + i + " has " + losses[i].length + " steps, expected " + steps);
            }
            escapeStep[i] = escapeStep(losses[i], cap);
        }
        int[] count = new int[steps];
        double[] mean = new double[steps];
        double[] se = new double[steps];
        double[] median = new double[steps];
        double[] q10 = new double[steps];
        double[] q90 = new double[steps];
        double[] meanLog = new double[steps];
        double[] escaped = new double[steps];
        double[] v = new double[r];
        for (int t = 0; t < steps; t++) {
            int m = 0;
            int e = 0;
            for (int i = 0; i < r; i++) {
                if (escapeStep[i] >= 0 && escapeStep[i] <= t) {
                    v[m++] = cap;
                    e++;
                } else if (!Double.isNaN(losses[i][t])) {
                    v[m++] = losses[i][t];
                }
            }
            count[t] = m;
            if (m == 0) {
                mean[t] = se[t] = median[t] = q10[t] = q90[t] = meanLog[t] = escaped[t] = Double.NaN;
                continue;
            }
            double s = 0;
            double sl = 0;
            for (int i = 0; i < m; i++) {
                s += v[i];
                sl += Math.log(Math.max(v[i], LOG_FLOOR));
            }
            double mu = s / m;
            double ss = 0;
            for (int i = 0; i < m; i++) {
                ss += (v[i] - mu) * (v[i] - mu);
            }
            mean[t] = mu;
            se[t] = m > 1 ? Math.sqrt(ss / (m - 1) / m) : Double.NaN;
            meanLog[t] = sl / m;
            escaped[t] = (double) e / m;
            double[] sorted = Arrays.copyOf(v, m);
            Arrays.sort(sorted);
            median[t] = quantile(sorted, 0.5);
            q10[t] = quantile(sorted, 0.1);
            q90[t] = quantile(sorted, 0.9);
        }
        return new LossCurves(count, mean, se, median, q10, q90, meanLog, escaped, cap);
    }

    /** The first step whose loss exceeds the cap or is infinite, or −1. */
    static int escapeStep(double[] losses, double cap) {
        for (int t = 0; t < losses.length; t++) {
            double l = losses[t];
            if (!Double.isNaN(l) && !(l <= cap)) {
                return t;
            }
        }
        return -1;
    }

    /** Linear interpolation between order statistics (NumPy's default), on sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    /** Number of steps (T + 1). */
    public int steps() {
        return mean.length;
    }

    /** The first step at which the mean loss reaches {@code level}, or −1. */
    public int firstStepMeanReaches(double level) {
        for (int t = 0; t < mean.length; t++) {
            if (mean[t] >= level) {
                return t;
            }
        }
        return -1;
    }
}
