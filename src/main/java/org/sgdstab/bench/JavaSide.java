package org.sgdstab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.linalg.BlasAccounting;
import org.sgdstab.report.Json;

/**
 * Times the Java variants of one workload in this JVM: prepare, then per variant warm-up runs (at
 * least the number asked for, then until the JIT is quiet: {@link JitQuiet}) and timed runs (one run for {@link Workload#runOnce} references), the peak RSS reset before each variant, and the last run's numbers written to
 * {@code dir/java/<variant>/<name>.npy}. The timings go to {@code dir/java/result.json}.
 */
final class JavaSide {
    static final String RESULT = "result.json";

    private JavaSide() {
    }

    /** Prepares and times every variant of {@code w}; writes inputs and outputs under dir. Modifies dir. */
    static List<Timing> measure(Workload w, Path dir, int warmup, int repeats) throws IOException {
        Files.createDirectories(dir);
        Workload.Prepared prepared = w.prepare(dir);
        List<Timing> timings = new ArrayList<>();
        for (String variant : w.variants()) {
            System.gc();
            Rss.resetPeak();
            Map<String, NdArray> out = null;
            boolean once = w.runOnce(variant);
            // At least `warmup` runs; with any warm-up asked for, then on until the JIT is quiet.
            JitQuiet jit = new JitQuiet();
            boolean adaptive = !once && warmup > 0 && jit.supported();
            boolean quiet = !adaptive || jit.quietAfterRun();
            long warmStart = System.nanoTime();
            int warmRuns = 0;
            while (!once && (warmRuns < warmup || !quiet && warmRuns < JitQuiet.MAX_RUNS
                    && (System.nanoTime() - warmStart) * 1e-9 < JitQuiet.MAX_SECONDS)) {
                out = prepared.run(variant);
                warmRuns++;
                quiet = !adaptive || jit.quietAfterRun();
            }
            System.err.printf(Locale.ROOT, "%s %s: %d warm-up runs in %.1f s%n", w.id(), variant, warmRuns,
                    (System.nanoTime() - warmStart) * 1e-9);
            double[] seconds = new double[once ? 1 : repeats];
            BlasAccounting.start();
            for (int i = 0; i < seconds.length; i++) {
                long t0 = System.nanoTime();
                out = prepared.run(variant);
                seconds[i] = (System.nanoTime() - t0) * 1e-9;
            }
            BlasAccounting.Totals blas = BlasAccounting.stop();
            long rss = Rss.peakBytes();
            // After the peak RSS is read: the replays allocate their own operands.
            Map<BlasAccounting.Call, Double> hot = HotLoopRates.of(blas);
            Path outDir = outputDir(dir, variant);
            Files.createDirectories(outDir);
            for (Map.Entry<String, NdArray> e : out.entrySet()) {
                Npy.write(outDir.resolve(e.getKey() + ".npy"), e.getValue());
            }
            timings.add(new Timing("java", variant, seconds, rss, blas, hot));
        }
        write(dir.resolve("java").resolve(RESULT), timings);
        return timings;
    }

    static Path outputDir(Path dir, String variant) {
        return dir.resolve("java").resolve(variant);
    }

    private static void write(Path file, List<Timing> timings) throws IOException {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (Timing t : timings) {
            ObjectNode o = arr.addObject();
            o.put("variant", t.variant());
            ArrayNode s = o.putArray("seconds");
            for (double v : t.seconds()) {
                s.add(v);
            }
            o.put("peak_rss_bytes", t.peakRssBytes());
            if (t.blas() != null) {
                ObjectNode b = o.putObject("blas");
                b.put("calls", t.blas().calls());
                b.put("seconds", t.blas().seconds());
                b.put("flops", t.blas().flops());
                ArrayNode shapes = b.putArray("shapes");
                for (BlasAccounting.ShapeTotals st : t.blas().shapes()) {
                    BlasAccounting.Call call = st.call();
                    ObjectNode so = shapes.addObject();
                    so.put("op", call.op().name());
                    so.put("trans_a", call.transA());
                    so.put("trans_b", call.transB());
                    so.put("m", call.m());
                    so.put("n", call.n());
                    so.put("k", call.k());
                    so.put("calls", st.calls());
                    so.put("seconds", st.seconds());
                    Double hot = t.hotGflops().get(call);
                    if (hot != null) {
                        so.put("hot_gflops", hot);
                    }
                }
            }
        }
        ObjectNode root = Json.object();
        root.set("variants", arr);
        AtomicFiles.writeString(file, Json.write(root));
    }

    /** Reads what {@link #measure} wrote (by a child JVM). */
    static List<Timing> read(Path dir) {
        Path file = dir.resolve("java").resolve(RESULT);
        try {
            JsonNode root = Json.MAPPER.readTree(file.toFile());
            List<Timing> out = new ArrayList<>();
            for (JsonNode v : root.get("variants")) {
                double[] seconds = PeerLauncher.doubles(v.get("seconds"));
                JsonNode b = v.get("blas");
                BlasAccounting.Totals blas = null;
                Map<BlasAccounting.Call, Double> hot = new HashMap<>();
                if (b != null) {
                    List<BlasAccounting.ShapeTotals> shapes = new ArrayList<>();
                    for (JsonNode so : b.get("shapes")) {
                        BlasAccounting.Call call = new BlasAccounting.Call(BlasAccounting.Op.valueOf(so.get("op").asText()),
                                so.get("trans_a").asBoolean(), so.get("trans_b").asBoolean(),
                                so.get("m").asInt(), so.get("n").asInt(), so.get("k").asInt());
                        shapes.add(new BlasAccounting.ShapeTotals(call, so.get("calls").asLong(), so.get("seconds").asDouble()));
                        if (so.has("hot_gflops")) {
                            hot.put(call, so.get("hot_gflops").asDouble());
                        }
                    }
                    blas = new BlasAccounting.Totals(b.get("calls").asLong(), b.get("seconds").asDouble(), b.get("flops").asDouble(), shapes);
                }
                out.add(new Timing("java", v.get("variant").asText(), seconds, v.get("peak_rss_bytes").asLong(), blas, hot));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Java timings " + file, e);
        }
    }
}
