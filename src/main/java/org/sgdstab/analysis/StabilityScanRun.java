package org.sgdstab.analysis;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.sgdstab.data.Dataset;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.CsvWriter;
import org.sgdstab.nn.Model;
import org.sgdstab.report.Json;
import org.sgdstab.report.Plots;
import org.sgdstab.report.Provenance;

/**
 * A {@link StabilityScan} with its outputs in a directory:
 * <ul>
 *   <li>{@value #STABILITY_CSV}: one row per B (η*, certified, the bounds, the GD threshold, ...; see
 *       {@link ScanResult#values}), flushed as each B finishes;</li>
 *   <li>{@value #RHO_CSV}: the ρ(η) grid around each η* (batch_size, eta, rho, rho_residual);</li>
 *   <li>{@value #CRITICAL_LR_PLOT}.png/.svg: η* against B on log–log axes with the bounds and the GD
 *       threshold; {@value #RHO_PLOT}.png/.svg: ρ against η/η* for each B;</li>
 *   <li>{@value #SUMMARY_JSON}: provenance, µ, µ1, ‖H‖_F and its method, and the rows. It says
 *       "running" from the moment the directory exists until the scan ends, so a killed scan is
 *       recognisable; on Ctrl-C it says "interrupted" and keeps the finished rows.</li>
 * </ul>
 * The directory is created only after the inputs have been validated; JSON and plots are written atomically.
 */
public final class StabilityScanRun {
    public static final String STABILITY_CSV = "stability.csv";
    public static final String RHO_CSV = "rho.csv";
    public static final String SUMMARY_JSON = "summary.json";
    public static final String CRITICAL_LR_PLOT = "critical_lr";
    public static final String RHO_PLOT = "rho";

    private StabilityScanRun() {
    }

    /**
     * Runs the scan and writes all outputs into {@code dir} (created if needed).
     *
     * @param provenance recorded in {@value #SUMMARY_JSON}
     * @param stop       polled between steps; true ends the scan early, keeping what is done
     * @param progress   told of each finished row, or null
     */
    public static ScanResult execute(Model model, Dataset data, ScanConfig config, Path dir, Provenance provenance,
                                     BooleanSupplier stop, Consumer<ScanResult.Row> progress) {
        ScanResult result;
        try (Writer writer = new Writer(dir, provenance, progress)) {
            result = StabilityScan.run(model, data, config, writer, stop);
        }
        writeSummary(dir, result, provenance);
        plotCriticalLr(result, dir.resolve(CRITICAL_LR_PLOT));
        if (result.rows().stream().anyMatch(r -> !r.rho().isEmpty())) {
            plotRho(result, dir.resolve(RHO_PLOT));
        }
        return result;
    }

    /** Creates the directory and the CSVs once the global quantities exist, then appends rows. */
    private static final class Writer implements StabilityScan.Observer, AutoCloseable {
        private final Path dir;
        private final Provenance provenance;
        private final Consumer<ScanResult.Row> progress;
        private ScanResult header;
        private CsvWriter stability;
        private CsvWriter rho;

        Writer(Path dir, Provenance provenance, Consumer<ScanResult.Row> progress) {
            this.dir = dir;
            this.provenance = provenance;
            this.progress = progress;
        }

        @Override
        public void onStart(ScanResult h) {
            header = h;
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
            writeSummary(dir, h, provenance);
            stability = new CsvWriter(dir.resolve(STABILITY_CSV), h.header());
            rho = new CsvWriter(dir.resolve(RHO_CSV), ScanResult.rhoHeader());
        }

        @Override
        public void onRow(ScanResult.Row row) {
            stability.rowCells(header.cells(row));
            for (ScanResult.RhoPoint p : row.rho()) {
                rho.row(row.batchSize(), p.eta(), p.rho(), p.residual());
            }
            if (progress != null) {
                progress.accept(row);
            }
        }

        @Override
        public void close() {
            if (stability != null) {
                stability.close();
            }
            if (rho != null) {
                rho.close();
            }
        }
    }

    private static void writeSummary(Path dir, ScanResult result, Provenance provenance) {
        try {
            AtomicFiles.writeString(dir.resolve(SUMMARY_JSON), Json.write(result.toJson(provenance)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + SUMMARY_JSON + " in " + dir, e);
        }
    }

    /** η*(B) with the Theorem 3.3 and Proposition 3.4 bounds and the GD threshold, log–log. */
    private static void plotCriticalLr(ScanResult result, Path base) {
        List<ScanResult.Row> rows = result.rows();
        int m = rows.size();
        double[] b = new double[m];
        double[] star = new double[m];
        double[] thm33 = new double[m];
        double[] prop34 = new double[m];
        for (int i = 0; i < m; i++) {
            ScanResult.Row r = rows.get(i);
            b[i] = r.batchSize();
            star[i] = r.criticalLr();
            thm33[i] = r.boundThm33();
            prop34[i] = r.boundProp34();
        }
        double[] ends = m == 0 ? new double[0] : new double[] {b[0], b[m - 1]};
        List<Plots.Series> series = new ArrayList<>();
        series.add(new Plots.Series("η*(B), exact", b, star, null, Plots.Style.LINE_MARKERS, new Color(31, 119, 180)));
        series.add(new Plots.Series("sqrt(B/µ)/‖H‖_F (Thm 3.3)", b, thm33, null, Plots.Style.DASHED, new Color(214, 39, 40)));
        series.add(new Plots.Series("Prop 3.4 (µ1)", b, prop34, null, Plots.Style.DASHED, new Color(255, 127, 14)));
        series.add(new Plots.Series("GD: 2/λ_max(Θ/n)", ends, constant(ends.length, result.gdThreshold()), null, Plots.Style.LINE,
                Color.GRAY));
        if (result.config().lr() != null) {
            series.add(new Plots.Series("η = " + result.config().lr(), ends, constant(ends.length, result.config().lr()), null,
                    Plots.Style.DASHED, Color.BLACK));
        }
        String title = "Critical learning rate, " + result.config().sampling().cliName() + " (n = " + result.n() + ")";
        Plots.save(new Plots.Chart(title, "batch size B", "learning rate η", true, true, series), base);
    }

    /** ρ(η) against η/η*(B), one line per B, with the stability threshold ρ = 1. */
    private static void plotRho(ScanResult result, Path base) {
        List<Plots.Series> series = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (ScanResult.Row r : result.rows()) {
            int m = r.rho().size();
            double[] x = new double[m];
            double[] y = new double[m];
            for (int i = 0; i < m; i++) {
                x[i] = r.rho().get(i).eta() / r.criticalLr();
                y[i] = r.rho().get(i).rho();
                lo = Math.min(lo, x[i]);
                hi = Math.max(hi, x[i]);
            }
            series.add(Plots.Series.of("B = " + r.batchSize(), x, y, Plots.Style.LINE));
        }
        series.add(new Plots.Series("ρ = 1", new double[] {lo, hi}, new double[] {1, 1}, null, Plots.Style.DASHED, Color.BLACK));
        Plots.save(new Plots.Chart("Spectral radius of the second-moment map", "η / η*(B)", "ρ(η)", false, false, series), base);
    }

    private static double[] constant(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
