package org.sgdstab.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.BlasAccounting;

/**
 * The GFLOP/s that BLAS reaches on one call shape when the call is repeated back to back on the same
 * operands: what the same calls could reach inside a workload, where operands come cold from memory,
 * the BLAS threads have to wake up, and the Java passes in between evict the caches. Comparing a
 * workload's BLAS calls with these rates tells the share of the gap to peak that the shapes themselves
 * cause from the share the surroundings cause. Measured with {@link BlasAccounting}, so it times
 * exactly what a workload's accounting times.
 */
final class HotLoopRates {
    /** Time per measured batch: long enough for the clock, short enough for a dozen shapes per variant. */
    private static final double BATCH_SECONDS = 0.02;
    /** Batches per shape; the best counts, as for the GEMM peak. */
    private static final int BATCHES = 3;
    /** Shapes are replayed, most time first, until they cover this share of the variant's BLAS time. */
    static final double COVERED_SHARE = 0.99;
    /** At most this many shapes per variant. */
    static final int MAX_SHAPES = 16;

    private HotLoopRates() {
    }

    /** Hot-loop GFLOP/s of the shapes that cover {@link #COVERED_SHARE} of {@code totals}' BLAS time (at most {@link #MAX_SHAPES}). */
    static Map<BlasAccounting.Call, Double> of(BlasAccounting.Totals totals) {
        Map<BlasAccounting.Call, Double> rates = new LinkedHashMap<>();
        double covered = 0;
        List<BlasAccounting.ShapeTotals> shapes = totals.shapes();
        for (int i = 0; i < shapes.size() && i < MAX_SHAPES && covered < COVERED_SHARE * totals.seconds(); i++) {
            BlasAccounting.Call call = shapes.get(i).call();
            rates.put(call, gflops(call));
            covered += shapes.get(i).seconds();
        }
        return rates;
    }

    /** Best GFLOP/s over {@link #BATCHES} batches of back-to-back calls of this shape, on seeded random operands. */
    static double gflops(BlasAccounting.Call call) {
        Operands ops = new Operands(call);
        ops.run(1);
        BlasAccounting.start();
        ops.run(1);
        double once = BlasAccounting.stop().seconds();
        int reps = (int) Math.max(1, Math.min(1_000_000, Math.ceil(BATCH_SECONDS / Math.max(once, 1e-7))));
        double best = Double.NaN;
        for (int b = 0; b < BATCHES; b++) {
            BlasAccounting.start();
            ops.run(reps);
            double g = BlasAccounting.stop().gflops();
            best = Double.isNaN(best) ? g : Math.max(best, g);
        }
        return best;
    }

    /** Row-major operands laid out as {@link Blas} reads them for the call. */
    private static final class Operands {
        private final BlasAccounting.Call call;
        private final double[] a;
        private final double[] b;
        private final double[] c;

        Operands(BlasAccounting.Call call) {
            this.call = call;
            SplittableRandom rng = new SplittableRandom(0x5eed);
            switch (call.op()) {
                case GEMM:
                    a = random(rng, (long) call.m() * call.k());
                    b = random(rng, (long) call.k() * call.n());
                    c = new double[Math.multiplyExact(call.m(), call.n())];
                    break;
                case SYRK:
                    a = random(rng, (long) call.n() * call.k());
                    b = null;
                    c = new double[Math.multiplyExact(call.n(), call.n())];
                    break;
                default:
                    a = random(rng, (long) call.m() * call.n());
                    b = random(rng, call.transA() ? call.m() : call.n());
                    c = new double[call.transA() ? call.n() : call.m()];
                    break;
            }
        }

        void run(int reps) {
            Blas blas = Blas.get();
            int m = call.m();
            int n = call.n();
            int k = call.k();
            for (int r = 0; r < reps; r++) {
                switch (call.op()) {
                    case GEMM:
                        blas.gemm(call.transA(), call.transB(), m, n, k, 1.0, a, 0, call.transA() ? m : k,
                                b, 0, call.transB() ? k : n, 0.0, c, 0, n);
                        break;
                    case SYRK:
                        blas.syrk(call.transA(), n, k, 1.0, a, 0, call.transA() ? n : k, 0.0, c, 0, n);
                        break;
                    default:
                        blas.gemv(call.transA(), m, n, 1.0, a, 0, n, b, 0, 0.0, c, 0);
                        break;
                }
            }
        }

        private static double[] random(SplittableRandom rng, long size) {
            double[] v = new double[Math.toIntExact(size)];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextDouble(-1, 1);
            }
            return v;
        }
    }
}
