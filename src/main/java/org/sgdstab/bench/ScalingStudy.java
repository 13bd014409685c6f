package org.sgdstab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.analysis.Analyzer;
import org.sgdstab.data.Dataset;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.CsvWriter;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelPresets;
import org.sgdstab.nn.Network;
import org.sgdstab.report.Json;
import org.sgdstab.report.Plots;
import org.sgdstab.report.Provenance;

/**
 * How the cost of {@code analyze} without Hessian and without critical learning rate, that is
 * Θ ({@link Network#ntkGram}) plus the noise diagnostics ({@link Analyzer#analyze} with
 * {@link AnalysisOptions#noiseOnly}), grows with n at a fixed width and with the width at a fixed
 * n. Model: the two-layer tanh network d → width → 1 (K = 1) on x ~ N(0, 1), y ~ N(0, 1), so the
 * predicted costs are time O(n²·(d + width) + n·d·width) and memory O(n² + n·width); the
 * per-sample gradients (n × p) are never formed. λ_max(Θ) is a dense eigen-solve (O(n³)) up to
 * nK = 2048 and Lanczos beyond ({@code NoiseAlignment}), which the analyze times show.
 *
 * <p>Each point runs in a fresh JVM (unless {@code fork} is off) whose heap is capped by the point's
 * needs ({@link #heapBytes}) and kept close to the live set (serial collector, 10–30 % free), so
 * its peak RSS (VmHWM) is its own and is not the collector's slack. Memory is reported as the working set: peak RSS during analyze minus the RSS after the
 * inputs were built (JVM, inputs, model). Exponents are least-squares slopes in log–log
 * coordinates, over all points and over the three largest.
 */
public final class ScalingStudy {
    /** One output, so the noise-diagnostic cost is that of Θ's size alone. */
    static final int OUTPUTS = 1;
    /** Any η and B: the bounds analyze also reports are O(1) given the diagnostics. */
    private static final double LR = 0.1;
    private static final int BATCH = 32;
    /** Heap floor of a child JVM: the JVM's own needs and the inputs of small points. */
    private static final long HEAP_FLOOR_BYTES = 256L << 20;

    private ScalingStudy() {
    }

    /** Which size varies. */
    public enum Sweep {
        /** n varies at the fixed width. */
        N,
        /** The width varies at the fixed n. */
        WIDTH;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The sizes of a study.
     *
     * @param inputDim   d
     * @param fixedWidth the width of the n sweep
     * @param ns         the n of the n sweep
     * @param fixedN     the n of the width sweep
     * @param widths     the widths of the width sweep
     */
    public record Sizes(int inputDim, int fixedWidth, int[] ns, int fixedN, int[] widths) {
        public Sizes {
            ns = ns.clone();
            widths = widths.clone();
        }

        /** The published sizes (FULL) or tiny ones that check the machinery (SMOKE). */
        public static Sizes of(Scale scale) {
            return scale == Scale.FULL
                    ? new Sizes(64, 512, doubling(256, 8192), 1024, doubling(64, 4096))
                    : new Sizes(8, 16, doubling(16, 64), 32, doubling(8, 32));
        }

        private static int[] doubling(int from, int to) {
            List<Integer> out = new ArrayList<>();
            for (int v = from; v <= to; v *= 2) {
                out.add(v);
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * One measured point.
     *
     * @param sweep            the sweep it belongs to
     * @param n                samples
     * @param width            hidden width
     * @param inputDim         d
     * @param parameters       p
     * @param gramSeconds      timed runs of Θ alone
     * @param analyzeSeconds   timed runs of analyze (Θ + noise diagnostics + bounds)
     * @param peakRssBytes     VmHWM over the analyze runs (−1: unknown)
     * @param baselineRssBytes RSS once the inputs were built, before any Θ (−1: unknown)
     * @param heapMaxBytes     the JVM's maximum heap
     */
    public record Point(Sweep sweep, int n, int width, int inputDim, int parameters, double[] gramSeconds,
                        double[] analyzeSeconds, long peakRssBytes, long baselineRssBytes, long heapMaxBytes) {
        public Point {
            gramSeconds = gramSeconds.clone();
            analyzeSeconds = analyzeSeconds.clone();
        }

        double size() {
            return sweep == Sweep.N ? n : width;
        }

        double gramMedian() {
            return new Timing("java", "gram", gramSeconds, -1).median();
        }

        double analyzeMedian() {
            return new Timing("java", "analyze", analyzeSeconds, -1).median();
        }

        /** Peak RSS during analyze above the baseline, or NaN if unknown. */
        double workingBytes() {
            return peakRssBytes < 0 || baselineRssBytes < 0 ? Double.NaN : Math.max(0, peakRssBytes - baselineRssBytes);
        }
    }

    /**
     * A fitted exponent: quantity ∝ size^exponent.
     *
     * @param sweep    the sweep
     * @param quantity "gram_time", "analyze_time" or "working_memory"
     * @param all      least-squares slope over all points
     * @param largest3 slope over the three largest sizes
     * @param expected the exponent the cost model predicts for large sizes
     */
    public record Fit(Sweep sweep, String quantity, double all, double largest3, double expected) {
    }

    /** A study's points and fits. */
    public record Result(ScalingConfig config, Sizes sizes, List<Point> points, List<Fit> fits) {
        public Result {
            points = List.copyOf(points);
            fits = List.copyOf(fits);
        }

        /** The table printed on stdout and written to scaling.txt. */
        public String toText() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(Locale.ROOT, "analyze scaling (Θ + noise diagnostics; no Hessian, no critical LR): MLP d = %d → width → %d"
                    + " tanh, %d warm-up + %d timed runs per point, %d threads%n", sizes.inputDim(), OUTPUTS, config.warmup(),
                    config.repeats(), config.threads()));
            sb.append(String.format(Locale.ROOT, "  %-6s %6s %6s %10s %10s %10s %12s %12s%n", "sweep", "n", "width", "p", "Θ",
                    "analyze", "peak RSS", "working mem"));
            for (Point p : points) {
                sb.append(String.format(Locale.ROOT, "  %-6s %6d %6d %10d %10s %10s %12s %12s%n", p.sweep().label(), p.n(), p.width(),
                        p.parameters(), BenchReport.seconds(p.gramMedian()), BenchReport.seconds(p.analyzeMedian()),
                        BenchReport.bytes(p.peakRssBytes()), Double.isNaN(p.workingBytes()) ? "n/a" : BenchReport.bytes((long) p.workingBytes())));
            }
            sb.append(String.format(Locale.ROOT, "fitted exponents (log–log least squares)%n"));
            sb.append(String.format(Locale.ROOT, "  %-6s %-15s %8s %12s %9s%n", "sweep", "quantity", "all", "largest 3", "model"));
            for (Fit f : fits) {
                sb.append(String.format(Locale.ROOT, "  %-6s %-15s %8.2f %12.2f %9.1f%n", f.sweep().label(), f.quantity(), f.all(),
                        f.largest3(), f.expected()));
            }
            return sb.toString();
        }
    }

    /**
     * Runs the study: every point of both sweeps, then the fits, the tables and the plots under
     * {@code config.out()} ({@code scaling.csv} grows one row per point, so an interrupted study
     * keeps what it measured). Modifies the output directory.
     *
     * @throws IllegalStateException if a point fails
     */
    public static Result run(ScalingConfig config, PrintWriter progress) throws IOException {
        Files.createDirectories(config.out());
        Provenance provenance = Provenance.now("bench --scaling", config.seed(), config);
        Sizes sizes = Sizes.of(config.scale());
        List<Point> points = new ArrayList<>();
        List<String> header = List.of("sweep", "n", "width", "d", "K", "parameters", "gram_median_s", "gram_min_s",
                "analyze_median_s", "analyze_min_s", "analyze_max_s", "peak_rss_bytes", "baseline_rss_bytes", "working_bytes",
                "heap_max_bytes");
        try (CsvWriter csv = new CsvWriter(config.out().resolve("scaling.csv"), header)) {
            for (Sweep sweep : Sweep.values()) {
                int[] sizesOf = sweep == Sweep.N ? sizes.ns() : sizes.widths();
                for (int s : sizesOf) {
                    int n = sweep == Sweep.N ? s : sizes.fixedN();
                    int width = sweep == Sweep.N ? sizes.fixedWidth() : s;
                    progress.printf(Locale.ROOT, "scaling: %s sweep, n = %d, width = %d%n", sweep.label(), n, width);
                    progress.flush();
                    Point p = config.fork() ? forked(sweep, n, width, sizes.inputDim(), config)
                            : measure(sweep, n, width, sizes.inputDim(), config.seed(), config.warmup(), config.repeats());
                    points.add(p);
                    csv.rowCells(List.of(sweep.label(), Integer.toString(n), Integer.toString(width), Integer.toString(p.inputDim()),
                            Integer.toString(OUTPUTS), Integer.toString(p.parameters()), CsvWriter.format(p.gramMedian()),
                            CsvWriter.format(Arrays.stream(p.gramSeconds()).min().orElse(Double.NaN)),
                            CsvWriter.format(p.analyzeMedian()), CsvWriter.format(Arrays.stream(p.analyzeSeconds()).min().orElse(Double.NaN)),
                            CsvWriter.format(Arrays.stream(p.analyzeSeconds()).max().orElse(Double.NaN)),
                            Long.toString(p.peakRssBytes()), Long.toString(p.baselineRssBytes()), CsvWriter.format(p.workingBytes()),
                            Long.toString(p.heapMaxBytes())));
                }
            }
        }
        Result result = new Result(config, sizes, points, fits(points));
        AtomicFiles.writeString(config.out().resolve("scaling.json"), Json.write(toJson(result, provenance)));
        AtomicFiles.writeString(config.out().resolve("scaling.txt"), result.toText());
        plot(result, config.out());
        return result;
    }

    // ------------------------------------------------------------------ one point

    /**
     * Measures one point in this JVM: builds the inputs, then times Θ alone and analyze, resetting
     * the peak RSS before analyze's runs.
     */
    static Point measure(Sweep sweep, int n, int width, int d, long seed, int warmup, int repeats) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom dataRng = root.split();
        SplittableRandom weightRng = root.split();
        Matrix x = MlpProblem.gaussian(n, d, dataRng);
        Matrix y = MlpProblem.gaussian(n, OUTPUTS, dataRng);
        Model model = new Initializer.TorchDefault().initialize(ModelPresets.mlp(d, new int[] {width}, "tanh", OUTPUTS), weightRng);
        Dataset data = new Dataset(x, y);
        AnalysisOptions options = AnalysisOptions.noiseOnly(LR, BATCH);
        Network net = model.network();
        System.gc();
        long baseline = Rss.currentBytes();
        double[] gram = time(warmup, repeats, () -> net.ntkGram(model.theta(), x));
        System.gc();
        Rss.resetPeak();
        double[] analyze = time(warmup, repeats, () -> Analyzer.analyze(model, data, options));
        long peak = Rss.peakBytes();
        return new Point(sweep, n, width, d, model.parameterCount(), gram, analyze, peak, baseline, Runtime.getRuntime().maxMemory());
    }

    private static double[] time(int warmup, int repeats, Runnable r) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] s = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            r.run();
            s[i] = (System.nanoTime() - t0) * 1e-9;
        }
        return s;
    }

    /**
     * The child JVM's heap for a point: room for four nK × nK matrices (Θ, the two n × n Grams a
     * dense layer forms, and one of the previous run's not yet collected), the activations and the
     * model, over {@link #HEAP_FLOOR_BYTES}.
     */
    static long heapBytes(int n, int width, int d) {
        long nk = (long) n * OUTPUTS;
        long doubles = 4 * nk * nk + 8L * n * (d + width) + 4L * ((long) d * width + width);
        return HEAP_FLOOR_BYTES + 8 * doubles;
    }

    private static Point forked(Sweep sweep, int n, int width, int d, ScalingConfig config) throws IOException {
        Path dir = config.out().resolve("points");
        Files.createDirectories(dir);
        String name = sweep.label() + "-n" + n + "-w" + width;
        Path result = dir.resolve(name + ".json");
        Path log = dir.resolve(name + ".log");
        List<String> cmd = PeerLauncher.javaCommand();
        // A heap kept close to the live set (serial collector, small start, 10–30 % free after a
        // collection), so that VmHWM tracks what analyze holds rather than the collector's slack.
        cmd.add("-Xmx" + (heapBytes(n, width, d) >> 20) + "m");
        cmd.add("-Xms16m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:MinHeapFreeRatio=10");
        cmd.add("-XX:MaxHeapFreeRatio=30");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ForkedScalingPoint.class.getName());
        cmd.addAll(List.of(sweep.name(), Integer.toString(n), Integer.toString(width), Integer.toString(d),
                Long.toString(config.seed()), Integer.toString(config.warmup()), Integer.toString(config.repeats()),
                result.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        PeerLauncher.threadEnvironment(pb, config.threads());
        Process p = PeerLauncher.start(pb);
        PeerLauncher.await(p, log, "interrupted while measuring " + name, "scaling point " + name);
        return readPoint(result);
    }

    /** Writes a point as JSON (the child's answer to the parent). Modifies file. */
    static void writePoint(Path file, Point p) throws IOException {
        AtomicFiles.writeString(file, Json.write(Json.tree(p)));
    }

    static Point readPoint(Path file) throws IOException {
        JsonNode o = Json.MAPPER.readTree(file.toFile());
        return new Point(Sweep.valueOf(o.get("sweep").asText()), o.get("n").asInt(), o.get("width").asInt(), o.get("inputDim").asInt(),
                o.get("parameters").asInt(), PeerLauncher.doubles(o.get("gramSeconds")), PeerLauncher.doubles(o.get("analyzeSeconds")),
                o.get("peakRssBytes").asLong(), o.get("baselineRssBytes").asLong(), o.get("heapMaxBytes").asLong());
    }

    // ------------------------------------------------------------------ fits

    /**
     * Least-squares line through (log x, log y).
     *
     * @return {slope, intercept} (natural logarithms), NaN when fewer than two finite positive pairs
     */
    public static double[] logLogFit(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y lengths differ: " + x.length + " vs " + y.length);
        }
        double sx = 0;
        double sy = 0;
        int m = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                sx += Math.log(x[i]);
                sy += Math.log(y[i]);
                m++;
            }
        }
        if (m < 2) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double mx = sx / m;
        double my = sy / m;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                double dx = Math.log(x[i]) - mx;
                sxx += dx * dx;
                sxy += dx * (Math.log(y[i]) - my);
            }
        }
        double slope = sxx > 0 ? sxy / sxx : Double.NaN;
        return new double[] {slope, my - slope * mx};
    }

    static List<Fit> fits(List<Point> points) {
        List<Fit> out = new ArrayList<>();
        for (Sweep sweep : Sweep.values()) {
            List<Point> ps = points.stream().filter(p -> p.sweep() == sweep).toList();
            double[] size = ps.stream().mapToDouble(Point::size).toArray();
            // The model: O(n²(d + w)) time and O(n²) memory in n; O(w) time and memory in w once w ≫ d and n·w ≫ n².
            double timeModel = sweep == Sweep.N ? 2 : 1;
            double memoryModel = sweep == Sweep.N ? 2 : 1;
            out.add(fit(sweep, "gram_time", size, ps.stream().mapToDouble(Point::gramMedian).toArray(), timeModel));
            out.add(fit(sweep, "analyze_time", size, ps.stream().mapToDouble(Point::analyzeMedian).toArray(), timeModel));
            out.add(fit(sweep, "working_memory", size, ps.stream().mapToDouble(Point::workingBytes).toArray(), memoryModel));
        }
        return out;
    }

    private static Fit fit(Sweep sweep, String quantity, double[] x, double[] y, double expected) {
        int from = Math.max(0, x.length - 3);
        return new Fit(sweep, quantity, logLogFit(x, y)[0],
                logLogFit(Arrays.copyOfRange(x, from, x.length), Arrays.copyOfRange(y, from, y.length))[0], expected);
    }

    // ------------------------------------------------------------------ outputs

    private static ObjectNode toJson(Result r, Provenance provenance) {
        ObjectNode root = Json.object();
        root.set("provenance", Json.tree(provenance));
        root.put("measures", "Analyzer.analyze with AnalysisOptions.noiseOnly (Θ + noise diagnostics + bounds; no Hessian, no critical LR),"
                + " and Network.ntkGram alone; MLP d → width → 1 tanh, x, y ~ N(0, 1), PyTorch-default weights");
        root.set("sizes", Json.tree(r.sizes()));
        ArrayNode ps = root.putArray("points");
        for (Point p : r.points()) {
            ObjectNode o = (ObjectNode) Json.tree(p);
            Json.put(o, "gram_median_s", p.gramMedian());
            Json.put(o, "analyze_median_s", p.analyzeMedian());
            Json.put(o, "working_bytes", p.workingBytes());
            ps.add(o);
        }
        ArrayNode fs = root.putArray("fits");
        for (Fit f : r.fits()) {
            ObjectNode o = fs.addObject();
            o.put("sweep", f.sweep().label());
            o.put("quantity", f.quantity());
            Json.put(o, "exponent_all", f.all());
            Json.put(o, "exponent_largest3", f.largest3());
            Json.put(o, "model_exponent", f.expected());
        }
        return root;
    }

    /** scaling.png/.svg (time) and scaling-memory.png/.svg (working memory), log–log, with reference slopes. */
    static void plot(Result r, Path dir) {
        List<Plots.Series> time = new ArrayList<>();
        List<Plots.Series> memory = new ArrayList<>();
        Color[] colors = {new Color(0x1f77b4), new Color(0xd62728)};
        for (Sweep sweep : Sweep.values()) {
            List<Point> ps = r.points().stream().filter(p -> p.sweep() == sweep).toList();
            if (ps.isEmpty()) {
                continue;
            }
            double[] x = ps.stream().mapToDouble(Point::size).toArray();
            double[] analyze = ps.stream().mapToDouble(Point::analyzeMedian).toArray();
            double[] gram = ps.stream().mapToDouble(Point::gramMedian).toArray();
            double[] mem = ps.stream().mapToDouble(p -> p.workingBytes() / (1 << 20)).toArray();
            Color c = colors[sweep.ordinal()];
            String what = sweep == Sweep.N ? "n (width " + r.sizes().fixedWidth() + ")" : "width (n " + r.sizes().fixedN() + ")";
            double slope = sweep == Sweep.N ? 2 : 1;
            String ref = sweep == Sweep.N ? "∝ n²" : "∝ width";
            time.add(new Plots.Series("analyze vs " + what, x, analyze, null, Plots.Style.LINE_MARKERS, c));
            time.add(new Plots.Series("Θ alone vs " + what, x, gram, null, Plots.Style.MARKERS, c));
            time.add(new Plots.Series(ref, x, reference(x, analyze, slope), null, Plots.Style.DASHED, c));
            memory.add(new Plots.Series("working memory vs " + what, x, mem, null, Plots.Style.LINE_MARKERS, c));
            memory.add(new Plots.Series(ref, x, reference(x, mem, slope), null, Plots.Style.DASHED, c));
        }
        String model = "MLP " + r.sizes().inputDim() + " → width → 1 tanh";
        Plots.save(new Plots.Chart("analyze without Hessian / critical LR: time, " + model, "n or width", "seconds (median)",
                true, true, time), dir.resolve("scaling"), 1000, 560, true);
        Plots.save(new Plots.Chart("analyze: peak RSS above the inputs, " + model, "n or width", "MiB", true, true, memory),
                dir.resolve("scaling-memory"), 1000, 560, true);
    }

    /** c·x^slope through the last point of (x, y). */
    private static double[] reference(double[] x, double[] y, double slope) {
        int last = x.length - 1;
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = y[last] * Math.pow(x[i] / x[last], slope);
        }
        return out;
    }
}
