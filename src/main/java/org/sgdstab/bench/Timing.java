package org.sgdstab.bench;

import java.util.Arrays;
import java.util.Map;
import org.sgdstab.linalg.BlasAccounting;

/**
 * The measured runs of one variant.
 *
 * @param side          "java" or "torch"
 * @param variant       the variant
 * @param seconds       wall time of each timed run (after warm-up)
 * @param peakRssBytes  peak resident set size while it ran, −1 if unknown
 * @param blas          time and flops inside BLAS over all timed runs (Java side only), or null
 * @param hotGflops     GFLOP/s of the main call shapes of {@code blas} in a hot loop ({@link HotLoopRates}); may be empty
 */
public record Timing(String side, String variant, double[] seconds, long peakRssBytes, BlasAccounting.Totals blas,
                     Map<BlasAccounting.Call, Double> hotGflops) {

    /** A timing without BLAS accounting (the PyTorch side, or where it was not taken). */
    public Timing(String side, String variant, double[] seconds, long peakRssBytes) {
        this(side, variant, seconds, peakRssBytes, null, Map.of());
    }

    public Timing {
        if (seconds.length == 0) {
            throw new IllegalArgumentException("a timing needs at least one run");
        }
        seconds = seconds.clone();
        hotGflops = Map.copyOf(hotGflops);
    }

    /**
     * GFLOP/s of this variant's BLAS calls had each shape run at its hot-loop rate (shapes without one
     * keep their measured time): the ceiling of the in-BLAS figure at these call shapes. NaN without
     * accounting or hot-loop rates.
     */
    public double hotCeilingGflops() {
        if (blas == null || hotGflops.isEmpty()) {
            return Double.NaN;
        }
        double seconds = 0;
        for (BlasAccounting.ShapeTotals s : blas.shapes()) {
            Double hot = hotGflops.get(s.call());
            seconds += hot != null && hot > 0 ? s.flops() / (hot * 1e9) : s.seconds();
        }
        return seconds > 0 ? blas.flops() / seconds * 1e-9 : Double.NaN;
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

    /** The share of the timed runs' wall time spent inside BLAS, or NaN without accounting. */
    public double blasShare() {
        return blas == null ? Double.NaN : blas.seconds() / Arrays.stream(seconds).sum();
    }

    public double max() {
        return Arrays.stream(seconds).max().orElseThrow();
    }
}
