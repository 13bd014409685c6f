package org.sgdstab.bench;

import java.util.Arrays;

/**
 * The measured runs of one variant.
 *
 * @param side          "java" or "torch"
 * @param variant       the variant
 * @param seconds       wall time of each timed run (after warm-up)
 * @param peakRssBytes  peak resident set size while it ran, −1 if unknown
 */
public record Timing(String side, String variant, double[] seconds, long peakRssBytes) {

    public Timing {
        if (seconds.length == 0) {
            throw new IllegalArgumentException("a timing needs at least one run");
        }
        seconds = seconds.clone();
    }

    @Override
    public double[] seconds() {
        return seconds.clone();
    }

    /** The median run time (mean of the middle two for an even count). */
    public double median() {
        double[] s = seconds.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }

    public double min() {
        return Arrays.stream(seconds).min().orElseThrow();
    }

    public double max() {
        return Arrays.stream(seconds).max().orElseThrow();
    }
}
