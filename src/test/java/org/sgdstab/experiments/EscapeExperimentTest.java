package org.sgdstab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdstab.io.InputException;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Tanh;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;

class EscapeExperimentTest {
    @TempDir
    Path dir;

    static Problems.Case problem() {
        return Problems.make("mlp", List.of(new Dense(3, 16, true, true), new Tanh(16), new Dense(16, 1, true, true)), 8, 21);
    }

    static EscapeConfig config(double lr, int jobs, boolean skipGd) {
        return new EscapeConfig(lr, 2, Sampling.WITH_REPLACEMENT, 24, 30, 5, 1e-6, 3000, skipGd, 1e3, jobs, 0,
                new double[] {1e-3, 1}, null, 2048);
    }

    /** trajectories.csv and curves.csv do not depend on the number of threads. */
    @Test
    void sameSeedGivesIdenticalFilesForAnyJobs() throws IOException {
        Problems.Case c = problem();
        for (int jobs : new int[] {1, 2, 3}) {
            EscapeExperiment.execute(c.model(), c.data(), config(0.6, jobs, false), dir.resolve("j" + jobs), Provenance.now("test", 5, "x"),
                    () -> false);
        }
        for (String f : List.of("trajectories.csv", "curves.csv", "gd.csv")) {
            byte[] one = Files.readAllBytes(dir.resolve("j1").resolve(f));
            assertTrue(one.length > 100, f);
            for (int jobs : new int[] {2, 3}) {
                assertEquals(-1, Files.mismatch(dir.resolve("j1").resolve(f), dir.resolve("j" + jobs).resolve(f)), f + " with jobs=" + jobs);
            }
        }
        for (String f : List.of("summary.json", "minimum.safetensors", "escape.png", "escape.svg")) {
            assertTrue(Files.exists(dir.resolve("j1").resolve(f)), f);
        }
    }

    /** Trajectories that pass the cap stop there and count at the cap; no aggregate is NaN. */
    @Test
    void escapesStopAtTheCapAndNeverPoisonAggregates() throws IOException {
        Problems.Case c = problem();
        EscapeConfig cfg = config(0.6, 2, false);
        EscapeExperiment.Result r = EscapeExperiment.run(c.model(), c.data(), cfg, () -> false);
        assertEquals("converged", r.gd().status(), "GD reaches the minimum at this η");
        // A much larger η for SGD from the same minimum: the run below must see escapes.
        EscapeConfig wild = new EscapeConfig(4.0, 1, Sampling.WITH_REPLACEMENT, 24, 30, 5, 1e-6, 0, true, 1e3, 2, 0, new double[] {1}, null, 2048);
        EscapeExperiment.Result w = EscapeExperiment.run(r.minimum(), c.data(), wild, () -> false);
        assertTrue(w.escapedCount() > 0, "some trajectories escape");
        for (double[] row : w.losses()) {
            int e = LossCurves.escapeStep(row, wild.divergenceCap());
            for (int t = 0; t < row.length; t++) {
                assertEquals(e >= 0 && t > e, Double.isNaN(row[t]), "recorded exactly up to the escape, step " + t);
            }
        }
        for (int t = 0; t < w.curves().steps(); t++) {
            assertFalse(Double.isNaN(w.curves().mean()[t]) || Double.isNaN(w.curves().median()[t]) || Double.isNaN(w.curves().meanLog()[t]));
            assertTrue(w.curves().mean()[t] <= wild.divergenceCap());
        }
        EscapeExperiment.write(w, wild, dir.resolve("wild"), Provenance.now("test", 5, wild));
        JsonNode s = Json.MAPPER.readTree(dir.resolve("wild/summary.json").toFile());
        assertEquals(w.escapedCount(), s.get("escaped").asInt());
        assertNotNull(s.get("predicted").get("gamma0"));
        assertTrue(s.get("predicted").get("theorem33").has("violated"));
        assertEquals(wild.steps() + 1, s.get("per_step").get("mean_loss").size());
    }

    @Test
    void gdDivergingIsAnInputError() {
        Problems.Case c = problem();
        InputException e = assertThrows(InputException.class, () -> EscapeExperiment.run(c.model(), c.data(), config(500, 1, false), () -> false));
        assertTrue(e.getMessage().startsWith("--lr"), e.getMessage());
    }

    @Test
    void stopRecordsWhatWasReached() {
        Problems.Case c = problem();
        int[] polls = {0};
        EscapeConfig cfg = config(0.6, 1, true);
        // The k-th poll raises the stop, and it stays raised, like Ctrl-C; GD is skipped, so it lands mid-trajectories.
        EscapeExperiment.Result r = EscapeExperiment.run(c.model(), c.data(), cfg, () -> ++polls[0] > 100);
        assertEquals("interrupted", r.status());
        int recorded = 0;
        for (double[] row : r.losses()) {
            int len = 0;
            while (len < row.length && !Double.isNaN(row[len])) {
                len++;
            }
            for (int t = len; t < row.length; t++) {
                assertTrue(Double.isNaN(row[t]), "what was recorded is a prefix");
            }
            recorded += len;
        }
        // Every poll inside the trajectories records one step; the stop comes within the first 100 polls.
        assertTrue(recorded > 90 && recorded < 100, "steps reached before the stop are kept: " + recorded);
    }
}
