package org.sgdstab.analysis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.InputException;
import org.sgdstab.report.Provenance;
import org.sgdstab.stability.CriticalLearningRate;
import org.sgdstab.stability.SecondMomentMap;
import org.sgdstab.train.Sampling;

/**
 * The batch-size scan against the independent NumPy reference (golden cases: explicit J, H and the
 * second-moment map as an explicit matrix), plus its invariants and its files.
 */
class StabilityScanTest {
    /** The reference is accurate to ~1e-12 and η* to 1e-10 relative; ‖H‖_F and µ agree to ~1e-12. */
    private static final double REL_TOL = 1e-8;
    /** A Lanczos run that exhausts the r(r+1)/2-dimensional space is exact up to round-off. */
    private static final double RHO_TOL = 1e-9;

    @TempDir
    Path dir;

    static Stream<String> cases() throws IOException {
        return GoldenTest.cases();
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, REL_TOL * Math.abs(expected), what);
    }

    private static ScanConfig config(Sampling sampling, int... batchSizes) {
        return ScanConfig.of(batchSizes).withSampling(sampling).withRhoPoints(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void criticalRatesAndBoundsMatchTheReference(String name) throws IOException {
        GoldenTest.Fixture f = GoldenTest.load(name);
        JsonNode e = f.expected();
        int n = e.get("n").asInt();
        int b = e.get("batch_size").asInt();
        int[] sizes = b == n ? new int[] {n} : new int[] {b, n};
        ScanResult without = StabilityScan.run(f.model(), f.data(), config(Sampling.WITHOUT_REPLACEMENT, sizes));
        ScanResult with = StabilityScan.run(f.model(), f.data(), config(Sampling.WITH_REPLACEMENT, b));
        close(e.get("critical_lr_with_replacement").asDouble(), with.rows().get(0).criticalLr(), name + " eta* with");
        close(e.get("critical_lr_without_replacement").asDouble(), without.rows().get(0).criticalLr(), name + " eta* without");
        double gd = e.get("gd_critical_lr").asDouble();
        close(gd, without.gdThreshold(), name + " GD threshold");
        close(gd, without.rows().get(sizes.length - 1).criticalLr(), name + " eta*(n) without replacement is GD");
        double mu = e.get("mu").asDouble();
        double mu1 = e.get("mu1").asDouble();
        double h = e.get("hessian_frobenius").asDouble();
        close(h, with.hessianFrobenius(), name + " ||H||_F");
        close(Math.sqrt(b / mu) / h, with.rows().get(0).boundThm33(), name + " Theorem 3.3 bound");
        double prop = b == 1 ? 2.0 * b / mu1 : Math.min(b / Math.sqrt((b - 1) * mu1), 2.0 * b / mu1);
        close(prop / h, with.rows().get(0).boundProp34(), name + " Proposition 3.4 bound");
        assertEquals(CurvatureSummary.Method.EXACT, with.hessian().method(), name + ": AUTO is exact for small p");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void criticalRateRisesWithBatchSize(String name) throws IOException {
        GoldenTest.Fixture f = GoldenTest.load(name);
        int n = f.data().size();
        for (Sampling sampling : new Sampling[] {Sampling.WITH_REPLACEMENT, Sampling.WITHOUT_REPLACEMENT}) {
            int maxB = sampling == Sampling.WITH_REPLACEMENT ? 2 * n : n;
            int[] sizes = IntStream.rangeClosed(1, maxB).toArray();
            ScanResult r = StabilityScan.run(f.model(), f.data(), config(sampling, sizes));
            assertEquals(ScanResult.Status.COMPLETE, r.status());
            double previous = 0;
            for (ScanResult.Row row : r.rows()) {
                String where = name + " " + sampling.cliName() + " B=" + row.batchSize();
                assertTrue(row.criticalLr() > previous, where + ": eta* must rise with B");
                assertTrue(row.criticalLr() <= r.gdThreshold() * (1 + REL_TOL), where + ": eta* cannot exceed the GD threshold");
                previous = row.criticalLr();
            }
        }
    }

    @Test
    void rhoGridCrossesOneAtEtaStarAndRhoAtLrIsTheMapsRadius() throws IOException {
        GoldenTest.Fixture f = GoldenTest.load("mlp_tanh_k1");
        double lr = 0.3;
        ScanConfig cfg = ScanConfig.of(1, 2, 4).withRhoPoints(5).withLr(lr);
        ScanResult r = StabilityScan.run(f.model(), f.data(), cfg);
        SecondMomentMap base = new SecondMomentMap(f.model().network().ntkGram(f.model().theta(), f.data().x()), f.data().size(), 1,
                Sampling.WITH_REPLACEMENT, 1);
        for (ScanResult.Row row : r.rows()) {
            String where = "B=" + row.batchSize();
            List<ScanResult.RhoPoint> grid = row.rho();
            assertEquals(5, grid.size(), where);
            double[] ratios = grid.stream().mapToDouble(p -> p.eta() / row.criticalLr()).toArray();
            assertArrayEquals(new double[] {0.5, 0.75, 1, 1.25, 1.5}, ratios, 1e-15, where);
            assertEquals(1.0, grid.get(2).rho(), RHO_TOL, where + ": rho(eta*) = 1");
            assertTrue(grid.get(0).rho() < 1 && grid.get(1).rho() < 1, where + ": stable below eta*");
            assertTrue(1 < grid.get(3).rho() && grid.get(3).rho() < grid.get(4).rho(), where + ": unstable above eta*");
            for (int j = 1; j + 1 < grid.size(); j++) {
                double second = grid.get(j - 1).rho() - 2 * grid.get(j).rho() + grid.get(j + 1).rho();
                assertTrue(second >= -RHO_TOL, where + ": rho is convex in eta, second difference " + second);
            }
            SecondMomentMap map = base.withBatchSize(row.batchSize());
            assertEquals(map.spectralRadius(lr), row.rhoAtLr(), RHO_TOL, where + ": rho at --lr");
            assertEquals(CriticalLearningRate.find(map).certified(), row.certified(), where + ": certified flag of find()");
        }
    }

    @Test
    void executeWritesCsvsPlotsAndSummary() throws IOException {
        GoldenTest.Fixture f = GoldenTest.load("mlp_tanh_k1");
        ScanConfig cfg = ScanConfig.of(1, 2, 8).withRhoPoints(3).withLr(0.3);
        Path out = dir.resolve("scan");
        ScanResult r = StabilityScanRun.execute(f.model(), f.data(), cfg, out, Provenance.now("stability", 7, cfg), () -> false, null);
        List<String> rows = Files.readAllLines(out.resolve(StabilityScanRun.STABILITY_CSV));
        assertEquals("batch_size,eta_star,certified,eta_bound_thm33,eta_bound_prop34,eta_gd,tightness_thm33,eta_star_lower,"
                + "eta_star_upper,rho_lower,rho_upper,applications,rho_at_lr,rho_at_lr_residual", rows.get(0));
        assertEquals(4, rows.size());
        for (int i = 0; i < 3; i++) {
            String[] cells = rows.get(i + 1).split(",", -1);
            assertEquals(Integer.toString(cfg.batchSizes()[i]), cells[0]);
            assertEquals(r.rows().get(i).criticalLr(), Double.parseDouble(cells[1]), 0.0, "round-trip of eta*");
            assertTrue(cells[2].equals("true") || cells[2].equals("false"), cells[2]);
        }
        List<String> rho = Files.readAllLines(out.resolve(StabilityScanRun.RHO_CSV));
        assertEquals("batch_size,eta,rho,rho_residual", rho.get(0));
        assertEquals(1 + 3 * 3, rho.size());
        for (String base : new String[] {StabilityScanRun.CRITICAL_LR_PLOT, StabilityScanRun.RHO_PLOT}) {
            assertTrue(Files.size(out.resolve(base + ".png")) > 1000, base + ".png");
            assertTrue(Files.readString(out.resolve(base + ".svg")).contains("<svg"), base + ".svg");
        }
        JsonNode s = new ObjectMapper().readTree(out.resolve(StabilityScanRun.SUMMARY_JSON).toFile());
        assertEquals("complete", s.get("status").asText());
        assertEquals(r.noise().mu(), s.get("mu").asDouble(), 0.0);
        assertEquals(r.noise().mu1(), s.get("mu1").asDouble(), 0.0);
        assertEquals(r.hessianFrobenius(), s.get("hessian_frobenius").asDouble(), 0.0);
        assertEquals("exact", s.get("hessian_method").asText());
        assertEquals(3, s.get("rows").size());
        assertEquals(8, s.get("rows").get(2).get("batch_size").asInt());
        JsonNode prov = s.get("provenance");
        assertEquals(7, prov.get("seed").asLong());
        assertEquals("stability", prov.get("command").asText());
        assertFalse(prov.get("version").asText().isEmpty());
        assertFalse(prov.get("time").asText().isEmpty());
        assertEquals(3, prov.get("config").get("rhoPoints").asInt());
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }

    @Test
    void stopKeepsTheFinishedRowsAndSaysInterrupted() throws IOException {
        GoldenTest.Fixture f = GoldenTest.load("mlp_tanh_k1");
        ScanConfig cfg = ScanConfig.of(1, 2, 4, 8).withRhoPoints(3);
        Path out = dir.resolve("scan");
        boolean[] stop = {false};
        ScanResult r = StabilityScanRun.execute(f.model(), f.data(), cfg, out, Provenance.now("stability", 0, cfg), () -> stop[0],
                row -> stop[0] = true);
        assertEquals(ScanResult.Status.INTERRUPTED, r.status());
        assertEquals(1, r.rows().size());
        assertEquals(2, Files.readAllLines(out.resolve(StabilityScanRun.STABILITY_CSV)).size());
        assertEquals(1 + 3, Files.readAllLines(out.resolve(StabilityScanRun.RHO_CSV)).size());
        JsonNode s = new ObjectMapper().readTree(out.resolve(StabilityScanRun.SUMMARY_JSON).toFile());
        assertEquals("interrupted", s.get("status").asText());
        assertEquals(1, s.get("rows").size());
    }

    @Test
    void batchSizesAreSortedAndCheckedAgainstN() throws IOException {
        assertArrayEquals(new int[] {1, 4, 16}, ScanConfig.of(16, 1, 4).batchSizes());
        GoldenTest.Fixture f = GoldenTest.load("mlp_tanh_k1");
        int n = f.data().size();
        ScanConfig tooBig = config(Sampling.WITHOUT_REPLACEMENT, 1, n + 1);
        InputException e = assertThrows(InputException.class, () -> StabilityScan.run(f.model(), f.data(), tooBig));
        assertTrue(e.getMessage().contains("exceeds n = " + n), e.getMessage());
        // With replacement any B is possible.
        assertEquals(2, StabilityScan.run(f.model(), f.data(), config(Sampling.WITH_REPLACEMENT, 1, n + 1)).rows().size());
    }
}
