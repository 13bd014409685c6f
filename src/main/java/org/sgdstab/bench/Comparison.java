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
 * @param minRatio   target: reference median / our median at least this, or NaN for none
 * @param maxSeconds target: our median at most this many seconds, or NaN for none
 */
public record Comparison(String label, String ours, Side side, List<String> references, double minRatio, double maxSeconds) {

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
    }

    /** Ours against PyTorch, with a speed-up target (NaN: none). */
    public static Comparison peer(String label, String ours, List<String> peers, double minRatio) {
        return new Comparison(label, ours, Side.PEER, peers, minRatio, Double.NaN);
    }
}
