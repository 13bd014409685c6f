package org.sgdstab.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.BlasAccounting;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;

/**
 * The results of one benchmark run, as text tables and JSON.
 *
 * @param config   the run's configuration
 * @param machine  where it ran
 * @param torch    the peer's torch version, or null if no peer ran
 * @param results  per workload, in run order
 * @param skipped  selected workloads that could not run on this machine ({@link Workload#unavailable})
 */
public record BenchReport(BenchConfig config, Machine machine, String torch, List<WorkloadResult> results,
                          List<Workloads.Unavailable> skipped) {
    public BenchReport {
        results = List.copyOf(results);
        skipped = List.copyOf(skipped);
    }

    /**
     * The machine.
     *
     * @param cpu             CPU model name from /proc/cpuinfo
     * @param cores           processors available to the JVM
     * @param blas            the BLAS backend
     * @param javaThreadsNote how the Java side's BLAS threads were set
     */
    public record Machine(String cpu, int cores, String blas, String javaThreadsNote) {
        static Machine current(BenchConfig config) {
            String note = config.fork()
                    ? "OPENBLAS_NUM_THREADS=" + config.threads() + " in each child JVM"
                    : "in process: OPENBLAS_NUM_THREADS=" + System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset (all cores)");
            return new Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), Blas.get().backendName(), note);
        }

        private static String cpuModel() {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.ISO_8859_1)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux: fall back to the architecture.
            }
            return System.getProperty("os.arch");
        }
    }

    /** The fp64 GEMM peak in GFLOP/s from the PEAK workload, or NaN if it did not run. */
    public double peakGflops() {
        for (WorkloadResult r : results) {
            if (r.id().equals("PEAK")) {
                return r.bestGflops();
            }
        }
        return Double.NaN;
    }

    // ------------------------------------------------------------------ text

    /** The tables, as printed on stdout and written to bench.txt. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        double peak = peakGflops();
        sb.append(String.format(Locale.ROOT, "sgd-stability bench: scale %s, %d threads, ≥ %d warm-up (Java: until the JIT is quiet) + %d timed runs per variant, seed %d%n",
                config.scale().cliName(), config.threads(), config.warmup(), config.repeats(), config.seed()));
        sb.append(String.format(Locale.ROOT, "machine: %s, %d cores, BLAS %s (%s)%s%n", machine.cpu(), machine.cores(), machine.blas(),
                machine.javaThreadsNote(), torch != null ? ", torch " + torch : ""));
        sb.append("fp64 GEMM peak: ").append(Double.isNaN(peak) ? "not measured (add --workload PEAK)" : number(peak) + " GFLOP/s")
                .append(String.format(Locale.ROOT, "%n"));
        for (WorkloadResult r : results) {
            sb.append(String.format(Locale.ROOT, "%n%s  %s%n", r.id(), r.description()));
            sb.append(String.format(Locale.ROOT, "  %-5s %-24s %10s %10s %10s %10s %9s %8s %8s %9s %8s%n",
                    "side", "variant", "median", "min", "max", "peak RSS", "GFLOP/s", "of peak", "in BLAS", "BLAS GF/s", "of peak"));
            for (Timing t : r.java()) {
                double g = r.gflops(t);
                sb.append(row(t, g, peak));
            }
            for (Timing t : r.peers()) {
                sb.append(row(t, Double.NaN, peak));
            }
            for (Map.Entry<String, String> f : r.peerFailures().entrySet()) {
                sb.append(String.format(Locale.ROOT, "  %-5s %-24s FAILED: %s%n", "torch", f.getKey(), f.getValue()));
            }
            for (ComparisonResult c : r.comparisons()) {
                sb.append(String.format(Locale.ROOT, "  %s: %s vs %s  ratio %s  target %s%s  numbers %s%n",
                        c.comparison().label(), c.comparison().ours(),
                        c.reference() == null ? "—" : (c.comparison().referenceCalls() > 1 ? c.comparison().referenceCalls() + " × " : "") + c.reference(),
                        Double.isNaN(c.ratio()) ? "—" : number(c.ratio()) + "×", c.targetText(), verdict(c.targetMet()),
                        checkText(c)));
            }
            for (Timing t : r.java()) {
                blasShapes(sb, t, peak);
            }
        }
        sb.append(String.format(Locale.ROOT, "%nsummary%n"));
        sb.append(String.format(Locale.ROOT, "  %-5s %-52s %10s %10s %12s %s%n", "id", "comparison", "ours", "ratio", "target", "numbers"));
        for (WorkloadResult r : results) {
            for (ComparisonResult c : r.comparisons()) {
                sb.append(String.format(Locale.ROOT, "  %-5s %-52s %10s %10s %12s %s%n", r.id(), c.comparison().label(),
                        seconds(c.oursSeconds()), Double.isNaN(c.ratio()) ? "—" : number(c.ratio()) + "×",
                        c.targetText() + verdict(c.targetMet()), checkText(c)));
            }
        }
        if (!skipped.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "%nnot available on this machine%n"));
            for (Workloads.Unavailable u : skipped) {
                sb.append(String.format(Locale.ROOT, "  %-5s %s: %s%n", u.id(), u.description(), u.reason()));
            }
        }
        sb.append(String.format(Locale.ROOT, "%nnot yet available%n"));
        for (Workloads.Unavailable u : Workloads.NOT_YET_AVAILABLE) {
            sb.append(String.format(Locale.ROOT, "  %-5s %s (%s)%n", u.id(), u.description(), u.reason()));
        }
        return sb.toString();
    }

    private static String row(Timing t, double gflops, double peak) {
        double blasGflops = t.blas() == null ? Double.NaN : t.blas().gflops();
        return String.format(Locale.ROOT, "  %-5s %-24s %10s %10s %10s %10s %9s %8s %8s %9s %8s%n", t.side(), t.variant(),
                seconds(t.median()), seconds(t.min()), seconds(t.max()), bytes(t.peakRssBytes()),
                Double.isNaN(gflops) ? "—" : number(gflops), percentOf(gflops, peak),
                Double.isNaN(t.blasShare()) ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * t.blasShare()),
                Double.isNaN(blasGflops) ? "—" : number(blasGflops), percentOf(blasGflops, peak));
    }

    /** Shapes shown per variant: the most time first, until this share of its BLAS time. */
    private static final double SHOWN_SHARE = 0.95;
    private static final int MAX_SHOWN = 8;

    /**
     * A variant's BLAS calls by shape, per timed run, with each shape's hot-loop rate, and the in-BLAS
     * GFLOP/s the variant would reach were every call as fast as in a hot loop.
     */
    private static void blasShapes(StringBuilder sb, Timing t, double peak) {
        if (t.blas() == null || t.blas().shapes().isEmpty()) {
            return;
        }
        int runs = t.seconds().length;
        sb.append(String.format(Locale.ROOT, "  BLAS calls of %s by shape, per run (hot loop: the same call repeated on operands in cache)%n", t.variant()));
        sb.append(String.format(Locale.ROOT, "    %-28s %6s %9s %9s %9s%n", "call", "calls", "ms", "GF/s", "hot GF/s"));
        double shown = 0;
        int rows = 0;
        for (BlasAccounting.ShapeTotals s : t.blas().shapes()) {
            if (rows == MAX_SHOWN || shown >= SHOWN_SHARE * t.blas().seconds()) {
                break;
            }
            Double hot = t.hotGflops().get(s.call());
            sb.append(String.format(Locale.ROOT, "    %-28s %6s %9.2f %9s %9s%n", s.call().label(), s.calls() % runs == 0 ? String.valueOf(s.calls() / runs) : number((double) s.calls() / runs),
                    1e3 * s.seconds() / runs, number(s.gflops()), hot == null ? "—" : number(hot)));
            shown += s.seconds();
            rows++;
        }
        int rest = t.blas().shapes().size() - rows;
        if (rest > 0) {
            sb.append(String.format(Locale.ROOT, "    (%d more shapes: %.0f%% of the BLAS time)%n", rest,
                    100 * (t.blas().seconds() - shown) / t.blas().seconds()));
        }
        double ceiling = t.hotCeilingGflops();
        if (!Double.isNaN(ceiling)) {
            sb.append(String.format(Locale.ROOT, "    every call at its hot-loop rate: %s GF/s (%s of peak); in this run %s GF/s (%s)%n",
                    number(ceiling), percentOf(ceiling, peak), number(t.blas().gflops()), percentOf(t.blas().gflops(), peak)));
        }
    }

    private static String percentOf(double gflops, double peak) {
        return Double.isNaN(gflops) || Double.isNaN(peak) ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / peak);
    }

    private static String verdict(Boolean met) {
        return met == null ? "" : met ? " (met)" : " (MISSED)";
    }

    private static String checkText(ComparisonResult c) {
        if (Double.isNaN(c.maxRelativeError())) {
            return c.problem().isEmpty() ? "not checked" : "not checked: " + c.problem();
        }
        String s = (c.numbersMatch() ? "match" : "DIFFER") + String.format(Locale.ROOT, " (max rel. err %.1e", c.maxRelativeError())
                + (c.numbersMatch() ? ")" : " at " + c.worst() + ")");
        return c.problem().isEmpty() ? s : s + "; " + c.problem();
    }

    static String seconds(double s) {
        if (s >= 1) {
            return String.format(Locale.ROOT, "%.2f s", s);
        }
        if (s >= 1e-3) {
            return String.format(Locale.ROOT, "%.1f ms", s * 1e3);
        }
        return String.format(Locale.ROOT, "%.1f µs", s * 1e6);
    }

    static String bytes(long b) {
        if (b < 0) {
            return "n/a";
        }
        return b >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GB", b / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MB", b / (double) (1L << 20));
    }

    /** Three significant digits, no exponent for ordinary sizes. */
    static String number(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    // ------------------------------------------------------------------ JSON

    /** The report as JSON with provenance; NaN values are written as null. */
    public ObjectNode toJson(Provenance provenance) {
        ObjectNode root = Json.object();
        root.set("provenance", Json.tree(provenance));
        root.set("machine", Json.tree(machine));
        root.put("torch", torch);
        Json.put(root, "gemm_peak_gflops", peakGflops());
        ArrayNode ws = root.putArray("workloads");
        double peak = peakGflops();
        for (WorkloadResult r : results) {
            ObjectNode w = ws.addObject();
            w.put("id", r.id());
            w.put("description", r.description());
            ArrayNode ts = w.putArray("timings");
            for (Timing t : r.java()) {
                timing(ts.addObject(), t, r.gflops(t), peak);
            }
            for (Timing t : r.peers()) {
                timing(ts.addObject(), t, Double.NaN, peak);
            }
            w.set("peer_failures", Json.tree(r.peerFailures()));
            ArrayNode cs = w.putArray("comparisons");
            for (ComparisonResult c : r.comparisons()) {
                ObjectNode o = cs.addObject();
                o.put("label", c.comparison().label());
                o.put("ours", c.comparison().ours());
                o.put("side", c.comparison().side().name().toLowerCase(Locale.ROOT));
                o.put("reference", c.reference());
                Json.put(o, "ours_median_s", c.oursSeconds());
                Json.put(o, "ratio", c.ratio());
                o.put("reference_calls", c.comparison().referenceCalls());
                Json.put(o, "target_min_ratio", c.comparison().minRatio());
                Json.put(o, "target_max_seconds", c.comparison().maxSeconds());
                Boolean met = c.targetMet();
                if (met == null) {
                    o.putNull("target_met");
                } else {
                    o.put("target_met", met);
                }
                Json.put(o, "max_relative_error", c.maxRelativeError());
                o.put("worst", c.worst());
                o.put("numbers_match", c.numbersMatch());
                o.put("problem", c.problem());
            }
        }
        ArrayNode sk = root.putArray("not_available_here");
        for (Workloads.Unavailable u : skipped) {
            sk.add(Json.tree(u));
        }
        ArrayNode na = root.putArray("not_yet_available");
        for (Workloads.Unavailable u : Workloads.NOT_YET_AVAILABLE) {
            na.add(Json.tree(u));
        }
        return root;
    }

    private static void timing(ObjectNode o, Timing t, double gflops, double peak) {
        o.put("side", t.side());
        o.put("variant", t.variant());
        Json.put(o, "median_s", t.median());
        Json.put(o, "min_s", t.min());
        Json.put(o, "max_s", t.max());
        ArrayNode s = o.putArray("seconds");
        for (double v : t.seconds()) {
            s.add(v);
        }
        o.put("peak_rss_bytes", t.peakRssBytes());
        Json.put(o, "gflops", gflops);
        Json.put(o, "fraction_of_peak", gflops / peak);
        if (t.blas() != null) {
            ObjectNode b = o.putObject("blas");
            b.put("calls", t.blas().calls());
            Json.put(b, "seconds", t.blas().seconds());
            Json.put(b, "flops", t.blas().flops());
            Json.put(b, "share_of_time", t.blasShare());
            Json.put(b, "gflops", t.blas().gflops());
            Json.put(b, "fraction_of_peak", t.blas().gflops() / peak);
            Json.put(b, "hot_loop_ceiling_gflops", t.hotCeilingGflops());
            Json.put(b, "hot_loop_ceiling_fraction_of_peak", t.hotCeilingGflops() / peak);
            ArrayNode shapes = b.putArray("shapes");
            for (BlasAccounting.ShapeTotals st : t.blas().shapes()) {
                ObjectNode so = shapes.addObject();
                so.put("call", st.call().label());
                so.put("calls", st.calls());
                Json.put(so, "seconds", st.seconds());
                Json.put(so, "gflops", st.gflops());
                Double hot = t.hotGflops().get(st.call());
                Json.put(so, "hot_loop_gflops", hot == null ? Double.NaN : hot);
            }
        }
    }
}
