package org.sgdstab.linalg;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time and flops spent inside {@link Blas} calls, for the benchmark's kernel efficiency: the
 * GEMM-bound part of a workload is what runs in BLAS, and its GFLOP/s against the machine's peak
 * says how well those kernels run, apart from the memory-bound passes between them. Off unless a
 * benchmark turns it on; then each call costs two clock reads.
 */
public final class BlasAccounting {
    private static volatile boolean enabled;
    private static final LongAdder CALLS = new LongAdder();
    private static final LongAdder NANOS = new LongAdder();
    private static final DoubleAdder FLOPS = new DoubleAdder();

    private BlasAccounting() {
    }

    /**
     * What the BLAS calls between {@link #start} and {@link #stop} did.
     *
     * @param calls   number of calls
     * @param seconds wall time inside them
     * @param flops   useful flops: 2mnk per GEMM, n²k per SYRK (one triangle's multiply-adds, counted twice), 2mn per GEMV
     */
    public record Totals(long calls, double seconds, double flops) {
        /** GFLOP/s inside BLAS, NaN when no time was spent there. */
        public double gflops() {
            return seconds > 0 ? flops / seconds * 1e-9 : Double.NaN;
        }
    }

    /** Clears the totals and starts counting. */
    public static void start() {
        CALLS.reset();
        NANOS.reset();
        FLOPS.reset();
        enabled = true;
    }

    /** Stops counting and returns the totals since {@link #start}. */
    public static Totals stop() {
        enabled = false;
        return new Totals(CALLS.sum(), NANOS.sum() * 1e-9, FLOPS.sum());
    }

    static boolean enabled() {
        return enabled;
    }

    static void record(long nanos, double flops) {
        CALLS.increment();
        NANOS.add(nanos);
        FLOPS.add(flops);
    }
}
