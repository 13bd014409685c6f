package org.sgdstab.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;

/**
 * Runs the benchmark: per workload, the Java side (in a child JVM unless {@code fork} is off),
 * then every peer variant in its own Python process, then the cross-checks and ratios. After each
 * workload the report so far is written to {@code out/bench.json} and {@code out/bench.txt}, so an
 * interrupted run keeps what it measured.
 */
public final class Benchmark {
    private Benchmark() {
    }

    /**
     * Runs {@code config}, printing one progress line per step to {@code progress}.
     *
     * @throws IllegalStateException if the Java side of a workload fails
     */
    public static BenchReport run(BenchConfig config, PrintWriter progress) throws IOException {
        Files.createDirectories(config.out());
        Provenance provenance = Provenance.now("bench", config.seed(), config);
        BenchReport.Machine machine = BenchReport.Machine.current(config);
        List<WorkloadResult> results = new ArrayList<>();
        List<Workloads.Unavailable> skipped = new ArrayList<>();
        String torch = null;
        for (String id : config.ordered()) {
            Workload w = Workloads.create(id, config.scale(), config.seed());
            Path dir = config.out().resolve(id);
            progress.printf(Locale.ROOT, "%s: %s%n", id, w.description());
            String why = w.unavailable().orElse(null);
            if (why != null) {
                progress.printf(Locale.ROOT, "%s: %s%n", id, why);
                skipped.add(new Workloads.Unavailable(id, w.description(), why));
                write(new BenchReport(config, machine, torch, results, skipped), provenance);
                continue;
            }
            progress.printf(Locale.ROOT, "%s: java (%s)%n", id, config.fork() ? "fresh JVM" : "in process");
            progress.flush();
            List<Timing> java = config.fork() ? forked(w, dir, config) : JavaSide.measure(w, dir, config.warmup(), config.repeats());
            List<Timing> peers = new ArrayList<>();
            Map<String, String> failures = new LinkedHashMap<>();
            if (config.peer()) {
                for (String variant : w.peerVariants()) {
                    progress.printf(Locale.ROOT, "%s: torch %s%n", id, variant);
                    progress.flush();
                    try {
                        PeerLauncher.Result r = PeerLauncher.run(config.python(), config.peerScript(), id, variant, dir,
                                peerDir(dir, variant), config.warmup(), config.repeats(), config.threads());
                        peers.add(r.timing());
                        torch = r.torchVersion();
                    } catch (IllegalStateException e) {
                        failures.put(variant, e.getMessage());
                        progress.println(id + ": " + e.getMessage());
                    }
                }
            }
            List<ComparisonResult> comparisons = new ArrayList<>();
            for (Comparison c : w.comparisons()) {
                comparisons.add(compare(c, dir, java, peers, failures, config.peer()));
            }
            Map<String, Double> flops = new LinkedHashMap<>();
            for (String v : w.variants()) {
                flops.put(v, w.gemmFlops(v));
            }
            results.add(new WorkloadResult(id, w.description(), java, peers, failures, comparisons, flops));
            write(new BenchReport(config, machine, torch, results, skipped), provenance);
        }
        // Every workload above already wrote the report as it stood, the last one the final one.
        return new BenchReport(config, machine, torch, results, skipped);
    }

    static Path peerDir(Path dir, String variant) {
        return dir.resolve("torch").resolve(variant);
    }

    private static void write(BenchReport report, Provenance provenance) throws IOException {
        AtomicFiles.writeString(report.config().out().resolve("bench.json"), Json.write(report.toJson(provenance)));
        AtomicFiles.writeString(report.config().out().resolve("bench.txt"), report.toText());
    }

    /** Checks the numbers of ours against each reference, and sets the fastest reference's time against ours. */
    static ComparisonResult compare(Comparison c, Path dir, List<Timing> java, List<Timing> peers,
                                    Map<String, String> failures, boolean peerRan) {
        Timing ours = find(java, c.ours());
        List<Timing> pool = c.side() == Comparison.Side.JAVA ? java : peers;
        Timing best = null;
        double worst = 0;
        String worstName = null;
        boolean match = true;
        List<String> problems = new ArrayList<>();
        for (String ref : c.references()) {
            Timing t = find(pool, ref);
            if (t == null) {
                String why = c.side() == Comparison.Side.PEER && !peerRan ? "peer not run"
                        : ref + " not measured" + (failures.containsKey(ref) ? " (failed)" : "");
                if (!problems.contains(why)) {
                    problems.add(why);
                }
                continue;
            }
            if (best == null || t.median() < best.median()) {
                best = t;
            }
            Path refDir = c.side() == Comparison.Side.JAVA ? JavaSide.outputDir(dir, ref) : peerDir(dir, ref);
            for (CrossCheck.Entry e : CrossCheck.compare(JavaSide.outputDir(dir, c.ours()), refDir, c.referenceCalls())) {
                match &= e.ok();
                if (!(e.relativeError() <= worst)) {
                    worst = e.relativeError();
                    worstName = ref + ":" + e.name() + (e.problem() != null ? " (" + e.problem() + ")" : "");
                }
            }
        }
        boolean checked = best != null;
        double ratio = checked ? best.median() * c.referenceCalls() / ours.median() : Double.NaN;
        return new ComparisonResult(c, checked ? best.variant() : null, ours.median(), ratio,
                checked ? worst : Double.NaN, worstName, checked && match, String.join("; ", problems));
    }

    private static Timing find(List<Timing> timings, String variant) {
        for (Timing t : timings) {
            if (t.variant().equals(variant)) {
                return t;
            }
        }
        return null;
    }

    /** Times w's Java side in a child JVM with the same class path and pinned BLAS threads. */
    private static List<Timing> forked(Workload w, Path dir, BenchConfig config) throws IOException {
        Files.createDirectories(dir);
        List<String> cmd = PeerLauncher.javaCommand();
        cmd.add("-Dsgdstab.commit=" + Provenance.currentCommit());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ForkedWorkload.class.getName());
        cmd.addAll(List.of(w.id(), config.scale().cliName(), Long.toString(config.seed()), Integer.toString(config.warmup()),
                Integer.toString(config.repeats()), dir.toAbsolutePath().toString()));
        Path log = dir.resolve("java.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        PeerLauncher.threadEnvironment(pb, config.threads());
        Process p = PeerLauncher.start(pb);
        PeerLauncher.await(p, log, "interrupted while timing " + w.id(), "the Java side of " + w.id());
        try {
            return JavaSide.read(dir);
        } catch (UncheckedIOException e) {
            throw new IllegalStateException(e.getMessage() + ": " + PeerLauncher.tail(log), e);
        }
    }
}
