package org.sgdstab.linalg;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wall time and flops spent inside {@link Blas} calls, for the benchmark's kernel efficiency: the
 * GEMM-bound part of a workload is what runs in BLAS, and its GFLOP/s against the machine's peak
 * says how well those kernels run, apart from the memory-bound passes between them. Totals are also
 * kept per call shape, since the same GEMM runs at very different rates at different shapes. Off
 * unless a benchmark turns it on; then each call costs two clock reads and one map look-up.
 */
public final class BlasAccounting {
    private static volatile boolean enabled;
    private static final Map<Call, Accumulator> BY_CALL = new ConcurrentHashMap<>();

    private BlasAccounting() {
    }

    /** The three routines of {@link Blas}. */
    public enum Op {
        GEMM, SYRK, GEMV
    }

    /**
     * One BLAS call's routine and shape, with the arguments' meaning of {@link Blas}: C (m × n) =
     * op(A) (m × k) · op(B) (k × n) for GEMM; C (n × n) = A·Aᵀ or Aᵀ·A with inner size k for SYRK
     * (m = n, {@code transB} false); y = op(A)·x with A m × n for GEMV (k = 1, {@code transB} false).
     */
    public record Call(Op op, boolean transA, boolean transB, int m, int n, int k) {
        public Call {
            if (m < 0 || n < 0 || k < 0) {
                throw new IllegalArgumentException("negative BLAS dimension: " + m + "×" + n + "×" + k);
            }
        }

        static Call gemm(boolean transA, boolean transB, int m, int n, int k) {
            return new Call(Op.GEMM, transA, transB, m, n, k);
        }

        static Call syrk(boolean trans, int n, int k) {
            return new Call(Op.SYRK, trans, false, n, n, k);
        }

        static Call gemv(boolean transA, int m, int n) {
            return new Call(Op.GEMV, transA, false, m, n, 1);
        }

        /** Useful flops: 2mnk per GEMM, n²k per SYRK (one triangle's multiply-adds, counted twice), 2mn per GEMV. */
        public double flops() {
            switch (op) {
                case GEMM:
                    return 2.0 * m * n * k;
                case SYRK:
                    return (double) n * n * k;
                default:
                    return 2.0 * m * n;
            }
        }

        /** For example {@code gemm NT 512×512×784}, {@code syrk N 512×784} (n × k), {@code gemv T 512×512}. */
        public String label() {
            switch (op) {
                case GEMM:
                    return String.format(Locale.ROOT, "gemm %s%s %d×%d×%d", t(transA), t(transB), m, n, k);
                case SYRK:
                    return String.format(Locale.ROOT, "syrk %s %d×%d", t(transA), n, k);
                default:
                    return String.format(Locale.ROOT, "gemv %s %d×%d", t(transA), m, n);
            }
        }

        private static String t(boolean trans) {
            return trans ? "T" : "N";
        }
    }

    /** What the calls of one shape did between {@link #start} and {@link #stop}. */
    public record ShapeTotals(Call call, long calls, double seconds) {
        public double flops() {
            return calls * call.flops();
        }

        /** GFLOP/s of these calls, NaN when no time was spent in them. */
        public double gflops() {
            return seconds > 0 ? flops() / seconds * 1e-9 : Double.NaN;
        }
    }

    /**
     * What the BLAS calls between {@link #start} and {@link #stop} did.
     *
     * @param calls   number of calls
     * @param seconds wall time inside them
     * @param flops   useful flops ({@link Call#flops()} summed)
     * @param shapes  the same per call shape, most time first
     */
    public record Totals(long calls, double seconds, double flops, List<ShapeTotals> shapes) {
        public Totals {
            shapes = List.copyOf(shapes);
        }

        /** GFLOP/s inside BLAS, NaN when no time was spent there. */
        public double gflops() {
            return seconds > 0 ? flops / seconds * 1e-9 : Double.NaN;
        }
    }

    /** Clears the totals and starts counting. */
    public static void start() {
        BY_CALL.clear();
        enabled = true;
    }

    /** Stops counting and returns the totals since {@link #start}. */
    public static Totals stop() {
        enabled = false;
        List<ShapeTotals> shapes = new ArrayList<>();
        long calls = 0;
        long nanos = 0;
        double flops = 0;
        for (Map.Entry<Call, Accumulator> e : BY_CALL.entrySet()) {
            long c = e.getValue().calls.sum();
            long t = e.getValue().nanos.sum();
            shapes.add(new ShapeTotals(e.getKey(), c, t * 1e-9));
            calls += c;
            nanos += t;
            flops += c * e.getKey().flops();
        }
        shapes.sort(Comparator.comparingDouble(ShapeTotals::seconds).reversed()
                .thenComparing(s -> s.call().label()));
        return new Totals(calls, nanos * 1e-9, flops, shapes);
    }

    static boolean enabled() {
        return enabled;
    }

    static void record(Call call, long nanos) {
        Accumulator a = BY_CALL.computeIfAbsent(call, c -> new Accumulator());
        a.calls.increment();
        a.nanos.add(nanos);
    }

    private static final class Accumulator {
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }
}
