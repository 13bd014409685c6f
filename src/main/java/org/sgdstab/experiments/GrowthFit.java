package org.sgdstab.experiments;

/**
 * A least-squares line through {@code (t, log L_t)} over a window of steps: the exponential growth
 * of a loss curve, {@code L_t ≈ exp(intercept) · factor^t}.
 *
 * @param from      first step of the window
 * @param to        last step of the window (inclusive)
 * @param slope     fitted d(log L)/dt
 * @param intercept fitted log L at t = 0
 * @param slopeStdErr standard error of the slope from the fit residuals (NaN with two points)
 * @param factor    {@code exp(slope)}, the per-step growth factor
 */
public record GrowthFit(int from, int to, double slope, double intercept, double slopeStdErr, double factor) {

    /**
     * Fits {@code logValues[t]} for t in [from, to]; non-finite entries are skipped.
     *
     * @param logValues log-losses indexed by step. Not modified.
     * @throws IllegalArgumentException if the window is outside the array or holds fewer than two finite points
     */
    public static GrowthFit fit(double[] logValues, int from, int to) {
        if (from < 0 || to >= logValues.length || to <= from) {
            throw new IllegalArgumentException("fit window [" + from + ", " + to + "] must hold two steps of 0.." + (logValues.length - 1));
        }
        int count = 0;
        double mt = 0;
        double my = 0;
        for (int t = from; t <= to; t++) {
            if (Double.isFinite(logValues[t])) {
                count++;
                mt += t;
                my += logValues[t];
            }
        }
        if (count < 2) {
            throw new IllegalArgumentException("fit window [" + from + ", " + to + "] has fewer than two finite values");
        }
        mt /= count;
        my /= count;
        double stt = 0;
        double sty = 0;
        for (int t = from; t <= to; t++) {
            if (Double.isFinite(logValues[t])) {
                stt += (t - mt) * (t - mt);
                sty += (t - mt) * (logValues[t] - my);
            }
        }
        double slope = sty / stt;
        double intercept = my - slope * mt;
        double sse = 0;
        for (int t = from; t <= to; t++) {
            if (Double.isFinite(logValues[t])) {
                double r = logValues[t] - intercept - slope * t;
                sse += r * r;
            }
        }
        double stderr = count > 2 ? Math.sqrt(sse / (count - 2) / stt) : Double.NaN;
        return new GrowthFit(from, to, slope, intercept, stderr, Math.exp(slope));
    }

    /**
     * {@link #fit}, or null when the window holds fewer than two finite values: a loss that is exactly 0
     * throughout (SGD started at an exact interpolating fit never moves) has no log to fit.
     *
     * @throws IllegalArgumentException if the window is outside the array
     */
    public static GrowthFit fitOrNull(double[] logValues, int from, int to) {
        if (from >= 0 && to < logValues.length && to > from) {
            int count = 0;
            for (int t = from; t <= to; t++) {
                if (Double.isFinite(logValues[t])) {
                    count++;
                }
            }
            if (count < 2) {
                return null;
            }
        }
        return fit(logValues, from, to);
    }

    /** The element-wise natural logarithm, newly allocated; non-positive values give −∞ (skipped by the fit). */
    public static double[] log(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] > 0 ? Math.log(values[i]) : Double.NEGATIVE_INFINITY;
        }
        return out;
    }
}
