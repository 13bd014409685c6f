package org.sgdstab.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdstab.data.ImageImport;
import org.sgdstab.report.Json;

/**
 * End to end at the TINY scale (all six figures): every figure folder holds its data, plots and claims; report.html embeds
 * every plot; the same seed gives the same CSV bytes whatever the number of threads; an interrupted
 * reproduction resumes without redoing finished runs.
 */
class ReproduceTest {
    /** Every file each figure must write. */
    private static final Map<String, List<String>> FILES = Map.of(
            "fig1", List.of("fig1a.csv", "fig1b.csv", "fig1a_rf.png", "fig1a_rf.svg", "fig1a_linear.png", "fig1a_linear.svg",
                    "fig1a_fcn.png", "fig1a_fcn.svg", "fig1a_cnn.png", "fig1a_cnn.svg", "fig1b.png", "fig1b.svg", "claims.json"),
            "fig2", List.of("fig2.csv", "fig2.png", "fig2.svg", "claims.json"),
            "fig3", List.of("fig3a.csv", "fig3b.csv", "fig3a_linear.png", "fig3a_linear.svg", "fig3a_fcn.png", "fig3a_fcn.svg",
                    "fig3b.png", "fig3b.svg", "claims.json"),
            "fig4", List.of("fig4_trajectories.csv", "fig4_mean.csv", "fig4_summary.csv", "fig4_rf.png", "fig4_rf.svg",
                    "fig4_linear.png", "fig4_linear.svg", "fig4_fcn.png", "fig4_fcn.svg", "claims.json"),
            "fig5", List.of("fig5a.csv", "fig5b_trajectories.csv", "fig5b_mean.csv", "fig5b_summary.csv", "fig5a_vgg.png", "fig5a_vgg.svg",
                    "fig5a_resnet.png", "fig5a_resnet.svg", "fig5b_vgg.png", "fig5b_vgg.svg", "fig5b_resnet.png", "fig5b_resnet.svg",
                    "claims.json"),
            "fig6", List.of("fig6a.csv", "fig6b.csv", "fig6a_vgg.png", "fig6a_vgg.svg", "fig6a_resnet.png", "fig6a_resnet.svg", "fig6b.png",
                    "fig6b.svg", "fig6b_lr.png", "fig6b_lr.svg", "claims.json"));
    /** The claims each figure must check. */
    private static final Map<String, List<String>> CLAIMS = Map.of(
            "fig1", List.of("fig1.alpha_mu_positive", "fig1.mu_linear_rf", "fig1.mu_size_independent"),
            "fig2", List.of("fig2.gamma_bounded"),
            "fig3", List.of("fig3.frobenius_flat", "fig3.trace_grows", "fig3.bound_holds", "fig3.tighter_small_batch"),
            "fig4", List.of("fig4.escape_exponential", "fig4.rate_matches_rho"),
            "fig5", List.of("fig5.alpha_mu_positive", "fig5.escape_exponential"),
            "fig6", List.of("fig6.bound_holds", "fig6.tighter_small_batch", "fig6.critical_below_bound"));
    private static final Reproduce.Listener SILENT = new Reproduce.Listener() {
        @Override
        public void planned(int total, int finished) {
        }

        @Override
        public void finished(String label) {
        }
    };

    @TempDir
    static Path tmp;

    /** The full tiny reproduction runs once, in a fresh process through the CLI (see {@link #cli}). */
    @BeforeAll
    static void fashionMnist() throws IOException, InterruptedException {
        assumeTrue(Files.isDirectory(ImageImport.FASHION_MNIST_DIR), "Fashion-MNIST not installed (" + ImageImport.FASHION_MNIST_INSTALL + ")");
        cli(tmp.resolve("a"), "2");
    }

    @Test
    void everyFileAndClaimIsWritten() throws IOException {
        Path out = tmp.resolve("a");
        for (String fig : FILES.keySet()) {
            for (String f : FILES.get(fig)) {
                Path p = out.resolve(fig).resolve(f);
                assertTrue(Files.size(p) > 0, "missing or empty: " + p);
            }
            JsonNode claims = Json.MAPPER.readTree(Files.readString(out.resolve(fig).resolve("claims.json")));
            List<String> ids = new ArrayList<>();
            for (JsonNode c : claims.get("claims")) {
                ids.add(c.get("id").asText());
                assertTrue(c.get("statement").asText().length() > 10, "statement of " + c);
                assertTrue(c.get("measured").size() > 0, "measured numbers of " + c);
                assertTrue(c.get("threshold").isTextual(), "threshold of " + c);
                assertTrue(c.get("passed").isBoolean(), "verdict of " + c);
            }
            assertEquals(CLAIMS.get(fig), ids, fig);
            assertTrue(claims.get("provenance").has("time"), "provenance in " + fig);
        }
        String html = Files.readString(out.resolve("report.html"));
        int images = html.split("src=\"data:image/png;base64,", -1).length - 1;
        assertEquals(20, images, "embedded plots in report.html");
        for (List<String> ids : CLAIMS.values()) {
            for (String id : ids) {
                assertTrue(html.contains(id), "report lists " + id);
            }
        }
        assertTrue(html.contains(ReportHtml.MARKER_ATTRIBUTE), "image check script");
    }

    /**
     * Two fresh processes (two threads, one thread) give byte-identical CSVs. They run as {@code ./sgdstab} does,
     * with the incubator Vector API: the vectorised tanh (VectorMath) gives the same bits interpreted and compiled.
     */
    @Test
    void sameSeedGivesIdenticalCsvsWhateverTheThreads() throws IOException, InterruptedException {
        Path b = tmp.resolve("b");
        cli(b, "1");
        Map<String, byte[]> x = csvs(tmp.resolve("a"));
        Map<String, byte[]> y = csvs(b);
        assertEquals(x.keySet(), y.keySet());
        assertEquals(14, x.size(), "CSV files compared: " + x.keySet());
        for (String k : x.keySet()) {
            assertArrayEquals(x.get(k), y.get(k), k);
        }
    }

    private static void cli(Path out, String jobs) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                "org.sgdstab.cli.Main", "reproduce", "all", "--tiny", "--quiet", "--seed", "7", "--jobs", jobs, "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, p.waitFor(), "reproduce in a fresh process");
    }

    private static Map<String, byte[]> csvs(Path out) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        for (String fig : FILES.keySet()) {
            try (Stream<Path> s = Files.list(out.resolve(fig))) {
                for (Path p : s.filter(q -> q.toString().endsWith(".csv")).toList()) {
                    m.put(fig + "/" + p.getFileName(), Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    @Test
    void interruptedRunResumesWithoutRedoingFinishedRuns() throws IOException {
        Path out = tmp.resolve("resume");
        AtomicInteger finished = new AtomicInteger();
        Reproduce.Listener counting = new Reproduce.Listener() {
            @Override
            public void planned(int total, int done) {
            }

            @Override
            public void finished(String label) {
                finished.incrementAndGet();
            }
        };
        List<Figure> fig2 = List.of(new Fig2());
        // Stop as soon as the first run has finished: the other three never start.
        assertThrows(Reproduce.Stopped.class, () -> Reproduce.run(new ReproduceConfig(Scale.TINY, 3, out, false, true, 1), fig2,
                () -> finished.get() >= 1, counting));
        List<Path> markers = markers(out);
        assertEquals(1, markers.size(), "finished runs after the interruption");
        FileTime before = Files.getLastModifiedTime(markers.get(0));
        assertFalse(Files.exists(out.resolve("fig2").resolve("fig2.csv")), "no figure from an interrupted reproduction");

        // Without --resume the directory is refused, and nothing changes.
        assertThrows(org.sgdstab.io.InputException.class, () -> Reproduce.run(new ReproduceConfig(Scale.TINY, 3, out, false, true, 1),
                fig2, () -> false, SILENT));

        Reproduce.Result r = Reproduce.run(new ReproduceConfig(Scale.TINY, 3, out, true, true, 1), fig2, () -> false, SILENT);
        assertEquals(3, r.executed(), "runs executed on resume");
        assertEquals(1, r.reused(), "runs reused on resume");
        assertEquals(before, Files.getLastModifiedTime(markers.get(0)), "the finished run was not redone");
        assertEquals(4, markers(out).size());
        assertTrue(Files.exists(out.resolve("fig2").resolve("fig2.csv")));
    }

    private static List<Path> markers(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.map(d -> d.resolve(RunCache.DONE)).filter(Files::exists).sorted().toList();
        }
    }
}
