package org.sgdstab.bench;

import java.util.List;

/** The registry of workloads: the ones implemented, in run order, and the ones still missing. */
public final class Workloads {
    private Workloads() {
    }

    /** Ids of the implemented workloads in run order; PEAK first so later workloads can be set against it. */
    public static final List<String> IDS = List.of("PEAK", "W1", "W2", "W3", "W5", "W6", "W7");

    /**
     * A workload of the suite that cannot run yet.
     *
     * @param id          its id
     * @param description what it will measure
     * @param reason      what it waits for
     */
    public record Unavailable(String id, String description, String reason) {
    }

    /** Workloads of the table that this harness does not run itself (they have their own scripts). */
    public static final List<Unavailable> NOT_YET_AVAILABLE = List.of(
            new Unavailable("W4", "escape: 200 trajectories × 50 SGD steps, 50→200→1 tanh, n = 100, B = 5; target ≥ 10× a PyTorch loop",
                    "measured by bench/escape_bench.sh, see docs/benchmarks.md"));

    /** Whether {@code id} names an implemented workload. */
    public static boolean isAvailable(String id) {
        return IDS.contains(id);
    }

    /**
     * The workload {@code id} at the given scale and seed.
     *
     * @throws IllegalArgumentException for an unknown or unavailable id
     */
    public static Workload create(String id, Scale scale, long seed) {
        return switch (id) {
            case "PEAK" -> new GemmPeak(scale, seed);
            case "W1" -> new NtkDiagnostics(scale, seed);
            case "W2" -> new HessianVectorProducts(scale, seed);
            case "W3" -> new ForwardBackward(scale, seed);
            case "W5" -> new SgdEpoch(scale, seed);
            case "W6" -> new CnnNtk(scale, seed);
            case "W7" -> new CriticalLearningRateWorkload(scale, seed);
            default -> throw new IllegalArgumentException("unknown or unavailable workload " + id);
        };
    }
}
