package org.sgdstab.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@code sgdstab bench} run.
 *
 * @param workloads  ids to run (run in {@link Workloads#IDS} order)
 * @param scale      problem sizes
 * @param seed       root seed of every input
 * @param warmup     untimed runs before the timed ones, per variant
 * @param repeats    timed runs per variant
 * @param threads    BLAS / OpenMP threads on both sides (pinned in child processes)
 * @param peer       whether to run the PyTorch peers
 * @param python     the interpreter for the peers
 * @param peerScript bench/peers/torch_peers.py
 * @param fork       time each workload's Java side in a fresh JVM (clean peak RSS, pinned BLAS threads)
 * @param out        output directory
 */
public record BenchConfig(List<String> workloads, Scale scale, long seed, int warmup, int repeats, int threads,
                          boolean peer, Path python, Path peerScript, boolean fork, Path out) {
    public BenchConfig {
        workloads = List.copyOf(workloads);
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("no workload selected");
        }
        for (String id : workloads) {
            if (!Workloads.isAvailable(id)) {
                throw new IllegalArgumentException("unknown or unavailable workload " + id);
            }
        }
        if (warmup < 0 || repeats < 1 || threads < 1) {
            throw new IllegalArgumentException("need warmup ≥ 0, repeats ≥ 1 and threads ≥ 1");
        }
        if (peer && (python == null || peerScript == null)) {
            throw new IllegalArgumentException("the peer needs an interpreter and the peer script");
        }
    }

    /** The selected ids in run order. */
    public List<String> ordered() {
        return Workloads.IDS.stream().filter(workloads::contains).toList();
    }
}
