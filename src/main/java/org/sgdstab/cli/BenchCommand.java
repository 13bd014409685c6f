package org.sgdstab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sgdstab.bench.BenchConfig;
import org.sgdstab.bench.BenchReport;
import org.sgdstab.bench.Benchmark;
import org.sgdstab.bench.PeerLauncher;
import org.sgdstab.bench.Scale;
import org.sgdstab.bench.ScalingConfig;
import org.sgdstab.bench.ScalingStudy;
import org.sgdstab.bench.Workloads;
import org.sgdstab.io.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sgdstab bench}: end-to-end workloads in Java and, in the same run, their PyTorch peers. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time the end-to-end workloads (PEAK, W1, W2, W3, W5, W6, W7) and, with --peer torch, the same computations in PyTorch;"
                + " cross-check both sides' numbers to a relative 1e-8 and print the ratios. See docs/benchmarks.md."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--workload", split = ",", paramLabel = "ID",
            description = "Workloads to run, comma-separated or repeated: PEAK, W1, W2, W3, W5, W6, W7 (default: all).")
    List<String> workloads;
    @Option(names = "--peer", defaultValue = "none", description = "torch: also run the PyTorch peers; none: Java only (default: ${DEFAULT-VALUE}).")
    String peer;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for inputs, outputs, logs, bench.json and bench.txt.")
    Path out;
    @Option(names = "--scale", defaultValue = "full", description = "full (the published sizes) or smoke (tiny, checks the harness) (default: ${DEFAULT-VALUE}).")
    String scale;
    @Option(names = "--warmup", defaultValue = "2", description = "Untimed runs per variant, at least (default: ${DEFAULT-VALUE}); for workloads the Java side then warms up until the JIT is quiet (0: no warm-up).")
    int warmup;
    @Option(names = "--repeats", defaultValue = "5", description = "Timed runs per variant; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeats;
    @Option(names = "--threads", defaultValue = "2", description = "BLAS / OpenMP threads on both sides (default: ${DEFAULT-VALUE}).")
    int threads;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of every input (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Interpreter with torch for the peers (default: ${DEFAULT-VALUE}).")
    Path python;
    @Option(names = "--peer-script", paramLabel = "FILE", description = "The peer script (default: bench/peers/torch_peers.py of this checkout).")
    Path peerScript;
    @Option(names = "--in-process", description = "Time the Java side in this JVM instead of a fresh JVM per workload (peak RSS then includes earlier workloads).")
    boolean inProcess;
    @Option(names = "--scaling", description = "Instead of the workloads: measure how analyze without Hessian and critical LR (Θ + noise"
            + " diagnostics) grows with n and with the width, one fresh JVM per point; writes scaling.csv, scaling.json, scaling.txt and"
            + " log-log plots with fitted exponents.")
    boolean scaling;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (scaling) {
            return scalingStudy();
        }
        List<String> ids = new ArrayList<>();
        for (String id : workloads == null ? Workloads.IDS : workloads) {
            String w = id.trim().toUpperCase(java.util.Locale.ROOT);
            if (!Workloads.isAvailable(w)) {
                String why = Workloads.NOT_YET_AVAILABLE.stream().filter(u -> u.id().equals(w)).findFirst()
                        .map(u -> w + " is not yet available (" + u.reason() + ")")
                        .orElse("unknown workload '" + id.trim() + "'");
                throw new InputException("--workload: " + why + "; available: " + String.join(", ", Workloads.IDS));
            }
            if (!ids.contains(w)) {
                ids.add(w);
            }
        }
        boolean torch = switch (peer) {
            case "torch" -> true;
            case "none" -> false;
            default -> throw new InputException("--peer: unknown value '" + peer + "' (expected torch or none)");
        };
        Options.requireAtLeast(warmup, 0, "--warmup");
        Options.requireAtLeast(repeats, 1, "--repeats");
        Options.requireAtLeast(threads, 1, "--threads");
        Path script = null;
        if (torch) {
            script = peerScript != null ? peerScript : PeerLauncher.defaultScript().orElseThrow(() -> new InputException(
                    "--peer torch: cannot find " + PeerLauncher.SCRIPT + " (run from the project root or pass --peer-script)"));
            if (!script.toFile().isFile()) {
                throw new InputException("--peer-script: " + script + " is not a file");
            }
            String why = PeerLauncher.unavailable(python).orElse(null);
            if (why != null) {
                throw new InputException("--peer torch: " + why);
            }
        }
        BenchConfig config = new BenchConfig(ids, Scale.parse(scale), seed, warmup, repeats, threads, torch, python, script,
                !inProcess, out);
        PrintWriter err = spec.commandLine().getErr();
        BenchReport report;
        try {
            report = Benchmark.run(config, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write under " + out, e);
        }
        spec.commandLine().getOut().print(report.toText());
        spec.commandLine().getOut().flush();
        return 0;
    }

    private int scalingStudy() {
        if (workloads != null || !"none".equals(peer)) {
            throw new InputException("--scaling: measures analyze alone; drop --workload and --peer");
        }
        Options.requireAtLeast(warmup, 0, "--warmup");
        Options.requireAtLeast(repeats, 1, "--repeats");
        Options.requireAtLeast(threads, 1, "--threads");
        ScalingConfig config = new ScalingConfig(Scale.parse(scale), seed, warmup, repeats, threads, !inProcess, out);
        ScalingStudy.Result result;
        try {
            result = ScalingStudy.run(config, spec.commandLine().getErr());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write under " + out, e);
        }
        spec.commandLine().getOut().print(result.toText());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
