package org.sgdstab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness on tiny shapes: never a timing test (smoke timings are meaningless), only a check
 * that every workload runs, writes its report, and that both sides compute the same numbers.
 */
class BenchSmokeTest {

    private static BenchReport run(List<String> ids, boolean peer, Path script, Path out) throws Exception {
        BenchConfig config = new BenchConfig(ids, Scale.SMOKE, 3, 0, 1, 1, peer, PeerLauncher.DEFAULT_PYTHON, script, false, out);
        return Benchmark.run(config, new PrintWriter(new StringWriter()));
    }

    @Test
    void javaSideRunsEveryWorkloadAndWritesTheReport(@TempDir Path out) throws Exception {
        BenchReport report = run(Workloads.IDS, false, null, out);
        List<String> ran = report.results().stream().map(WorkloadResult::id).toList();
        List<String> skipped = report.skipped().stream().map(Workloads.Unavailable::id).toList();
        assertEquals(Workloads.IDS, Workloads.IDS.stream().filter(id -> ran.contains(id) || skipped.contains(id)).toList());
        assertEquals(Workloads.IDS.size(), ran.size() + skipped.size());
        for (Workloads.Unavailable u : report.skipped()) {
            assertTrue(u.reason().startsWith(CnnProblem.NOT_AVAILABLE), u.id() + ": " + u.reason());
        }
        for (WorkloadResult r : report.results()) {
            Workload w = Workloads.create(r.id(), Scale.SMOKE, 3);
            assertEquals(w.variants(), r.java().stream().map(Timing::variant).toList(), r.id());
            for (Timing t : r.java()) {
                assertTrue(t.median() > 0, r.id() + " " + t.variant());
            }
            for (ComparisonResult c : r.comparisons()) {
                if (c.comparison().side() == Comparison.Side.JAVA) {
                    assertTrue(c.numbersMatch(), r.id() + ": " + c.worst() + " " + c.maxRelativeError());
                } else {
                    assertNull(c.reference(), "no peer ran");
                    assertEquals("peer not run", c.problem());
                }
            }
        }
        assertTrue(report.peakGflops() > 0);
        assertTrue(Files.isRegularFile(out.resolve("bench.json")));
        String text = Files.readString(out.resolve("bench.txt"));
        for (Workloads.Unavailable u : Workloads.NOT_YET_AVAILABLE) {
            assertTrue(text.contains(u.id() + " "), "lists " + u.id() + " as not yet available");
        }
    }

    @Test
    void peerComputesTheSameNumbers(@TempDir Path out) throws Exception {
        Optional<Path> script = PeerLauncher.defaultScript();
        assumeTrue(script.isPresent(), "peer script not found");
        assumeTrue(PeerLauncher.unavailable(PeerLauncher.DEFAULT_PYTHON).isEmpty(), "python3 cannot import torch");
        List<String> ids = new ArrayList<>(List.of("W1", "W2", "W3"));
        if (new SgdEpoch(Scale.SMOKE, 3).unavailable().isEmpty()) {
            ids.addAll(List.of("W5", "W6"));
        }
        BenchReport report = run(ids, true, script.get(), out);
        assertEquals(ids, report.results().stream().map(WorkloadResult::id).toList());
        for (WorkloadResult r : report.results()) {
            assertTrue(r.peerFailures().isEmpty(), r.id() + ": " + r.peerFailures());
            for (ComparisonResult c : r.comparisons()) {
                assertFalse(Double.isNaN(c.ratio()), r.id() + " " + c.comparison().label());
                assertTrue(c.numbersMatch(), r.id() + " " + c.comparison().label() + ": " + c.worst() + " " + c.maxRelativeError());
            }
        }
    }

    @Test
    void missingFashionMnistIsReportedNotThrown(@TempDir Path dir) {
        Path missing = dir.resolve("no-fashion-mnist");
        for (Workload w : List.<Workload>of(new SgdEpoch(Scale.SMOKE, 3, missing), new CnnNtk(Scale.SMOKE, 3, missing))) {
            Optional<String> why = w.unavailable();
            assertTrue(why.isPresent(), w.id());
            assertTrue(why.get().startsWith("not available: install dataset-fashion-mnist"), why.get());
        }
        BenchConfig config = new BenchConfig(List.of("W5"), Scale.SMOKE, 3, 0, 1, 1, false, null, null, false, dir);
        BenchReport report = new BenchReport(config, new BenchReport.Machine("cpu", 1, "blas", "note"), null, List.of(),
                List.of(new Workloads.Unavailable("W5", "epoch", CnnProblem.NOT_AVAILABLE)));
        assertTrue(report.toText().contains("W5    epoch: " + CnnProblem.NOT_AVAILABLE), report.toText());
    }
}
