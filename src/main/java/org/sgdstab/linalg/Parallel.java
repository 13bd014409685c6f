package org.sgdstab.linalg;

import java.util.stream.IntStream;

/**
 * Data parallelism for the memory-bound loops between GEMMs (pooling routes, elementwise passes
 * over stacked sensitivities): OpenBLAS's threads are idle there, so the Java side may use the
 * cores. Each index is handled by exactly one task and tasks write disjoint outputs, so results
 * are bit-identical for any thread count.
 */
public final class Parallel {
    /** Tasks per available core: a little over-decomposition evens out uneven chunks. */
    private static final int TASKS_PER_CORE = 2;

    private Parallel() {
    }

    /** A loop body over the half-open index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) in contiguous chunks of at least {@code minChunk} indices,
     * in parallel when there is more than one chunk. The body must only write state owned by its range.
     */
    public static void forRange(int n, int minChunk, RangeBody body) {
        if (n < 0 || minChunk < 1) {
            throw new IllegalArgumentException("need n ≥ 0 and minChunk ≥ 1, got " + n + ", " + minChunk);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int tasks = (int) Math.min((long) cores * TASKS_PER_CORE, Math.max(1, n / minChunk));
        if (tasks <= 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, tasks).parallel().forEach(t -> body.run((int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks)));
    }
}
