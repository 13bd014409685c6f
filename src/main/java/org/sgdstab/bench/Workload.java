package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sgdstab.io.NdArray;

/**
 * One end-to-end benchmark workload. Instances are immutable descriptions (shapes from a
 * {@link Scale}, a seed); {@link #prepare} builds the inputs.
 */
public sealed interface Workload permits GemmPeak, NtkDiagnostics, HessianVectorProducts, ForwardBackward, SgdEpoch, CnnNtk,
        CriticalLearningRateWorkload {

    /** Short id used on the command line ("W1", "PEAK", ...). */
    String id();

    /** One line: what is computed, on which shapes. */
    String description();

    /** The Java variants, in the order they are timed. */
    List<String> variants();

    /**
     * Floating-point operations of one run of {@code variant} spent in GEMM-shaped kernels (GEMM,
     * SYRK counted at its n²k), or NaN when the variant is not GEMM-bound.
     */
    double gemmFlops(String variant);

    /**
     * Whether {@code variant} is a slow reference that is run once, without warm-up, whatever the
     * configured repeats: its numbers are needed for the cross-check, its time only roughly.
     */
    default boolean runOnce(String variant) {
        return false;
    }

    /**
     * Why this workload cannot run on this machine (e.g. its data set is not installed), or empty.
     * The harness then lists it as not available instead of running it.
     */
    default Optional<String> unavailable() {
        return Optional.empty();
    }

    /** The ratio rows and cross-checks of this workload. */
    List<Comparison> comparisons();

    /**
     * Builds the inputs from the seed and writes what the peer needs into {@code dir}
     * ({@code inputs.json} and {@code .npy} files).
     *
     * @param dir an existing directory. Modified (files written).
     * @return the prepared workload, ready to run
     */
    Prepared prepare(Path dir) throws IOException;

    /** A workload with its inputs built. */
    @FunctionalInterface
    interface Prepared {
        /**
         * Runs {@code variant} once. The returned arrays are the numbers to cross-check; they may
         * share buffers that the next run overwrites.
         */
        Map<String, NdArray> run(String variant);
    }

    /** All peer variants named by the comparisons, in first-mention order. */
    default List<String> peerVariants() {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (Comparison c : comparisons()) {
            if (c.side() == Comparison.Side.PEER) {
                out.addAll(c.references());
            }
        }
        return List.copyOf(out);
    }
}
