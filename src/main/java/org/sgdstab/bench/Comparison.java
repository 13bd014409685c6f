package org.sgdstab.bench;

import java.util.List;

/**
 * One row of a workload's ratio table: a Java variant against the fastest of some reference
 * variants, and the target it should meet. Every comparison is also a cross-check: the Java
 * variant's numbers must match each reference's to {@link CrossCheck#RELATIVE_TOLERANCE}.
 *
 * @param label      what is compared, for the table
 * @param ours       the Java variant
 * @param side       where the references run
 * @param references the reference variants; the ratio uses the fastest of them (empty: no ratio)
 * @param minRatio   target: reference median · referenceCalls / our median at least this, or NaN for none
 * @param maxSeconds target: our median at most this many seconds, or NaN for none
 * @param referenceCalls how many reference calls one call of ours stands for: 1, or m when our block
 *                   of m is set against a reference doing one at a time (its time counts m times, and
 *                   our outputs' first 1/m of rows are checked against its numbers)
 */
public record Comparison(String label, String ours, Side side, List<String> references, double minRatio, double maxSeconds,
                         int referenceCalls) {

    /** Where a reference variant runs. */
    public enum Side {
        /** Another variant of the same Java workload (an independent algorithm). */
        JAVA,
        /** A PyTorch peer variant. */
        PEER
    }

    public Comparison {
        references = List.copyOf(references);
        if (ours.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs a Java variant");
        }
        if (referenceCalls < 1) {
            throw new IllegalArgumentException("referenceCalls must be ≥ 1, got " + referenceCalls);
        }
    }

    /** One call against one call. */
    public Comparison(String label, String ours, Side side, List<String> references, double minRatio, double maxSeconds) {
        this(label, ours, side, references, minRatio, maxSeconds, 1);
    }

    /** Ours against PyTorch, with a speed-up target (NaN: none). */
    public static Comparison peer(String label, String ours, List<String> peers, double minRatio) {
        return new Comparison(label, ours, Side.PEER, peers, minRatio, Double.NaN);
    }

    /**
     * Our block of m against m calls of a one-at-a-time PyTorch reference: its per-vector
     * throughput. The ratio is m · reference median / our median.
     */
    public static Comparison peerPerVector(String label, String ours, List<String> peers, double minRatio, int m) {
        return new Comparison(label, ours, Side.PEER, peers, minRatio, Double.NaN, m);
    }
}
