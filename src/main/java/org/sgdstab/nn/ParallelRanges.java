package org.sgdstab.nn;

import java.util.stream.IntStream;

/**
 * Splits a memory-bound elementwise pass into one contiguous range per core. Every element is
 * computed by the same operations whichever thread handles it and no value is combined across
 * ranges, so results are bit-identical for any thread count. Small passes run on the caller.
 */
final class ParallelRanges {
    /** Elements a pass touches below which forking costs more than the second core saves. */
    static final long MIN_PARALLEL_WORK = 1 << 20;

    /** A pass over [from, to) of the split index. */
    interface Body {
        void run(int from, int to);
    }

    private ParallelRanges() {
    }

    /**
     * Runs body over [0, length) in ranges whose bounds are multiples of {@code align} (the last
     * one ends at length), in parallel when {@code work} (elements touched) is large enough.
     */
    static void run(int length, int align, long work, Body body) {
        int cores = Runtime.getRuntime().availableProcessors();
        int parts = (int) Math.min(cores, (length + (long) align - 1) / align);
        if (parts < 2 || work < MIN_PARALLEL_WORK) {
            body.run(0, length);
            return;
        }
        IntStream.range(0, parts).parallel().forEach(k -> {
            int from = bound(k, parts, length, align);
            int to = bound(k + 1, parts, length, align);
            if (from < to) {
                body.run(from, to);
            }
        });
    }

    private static int bound(int k, int parts, int length, int align) {
        if (k == parts) {
            return length;
        }
        long units = (length + (long) align - 1) / align;
        return (int) Math.min(length, units * k / parts * align);
    }
}
