package org.sgdstab.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything measured for one workload.
 *
 * @param id           its id
 * @param description  what it computes
 * @param java         the Java variants' timings
 * @param peers        the peer variants' timings (those that ran)
 * @param peerFailures peer variant → error, for peers that failed
 * @param comparisons  ratio rows and cross-checks
 * @param gemmFlops    Java variant → GEMM flops of one run (NaN: not GEMM-bound)
 */
public record WorkloadResult(String id, String description, List<Timing> java, List<Timing> peers,
                             Map<String, String> peerFailures, List<ComparisonResult> comparisons,
                             Map<String, Double> gemmFlops) {
    public WorkloadResult {
        java = List.copyOf(java);
        peers = List.copyOf(peers);
        peerFailures = Collections.unmodifiableMap(new LinkedHashMap<>(peerFailures));
        comparisons = List.copyOf(comparisons);
        gemmFlops = Collections.unmodifiableMap(new LinkedHashMap<>(gemmFlops));
    }

    /** Achieved GFLOP/s of a Java variant at its median time (NaN if not GEMM-bound). */
    public double gflops(Timing t) {
        Double f = gemmFlops.get(t.variant());
        return f == null ? Double.NaN : f / t.median() * 1e-9;
    }

    /** The best GFLOP/s (flops over the fastest run) of any Java variant: the peak, for the PEAK workload. */
    public double bestGflops() {
        double best = Double.NaN;
        for (Timing t : java) {
            Double f = gemmFlops.get(t.variant());
            if (f != null && !f.isNaN()) {
                double g = f / t.min() * 1e-9;
                best = Double.isNaN(best) ? g : Math.max(best, g);
            }
        }
        return best;
    }
}
