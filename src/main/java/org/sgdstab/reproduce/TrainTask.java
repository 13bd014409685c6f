package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.sgdstab.analysis.Analysis;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.analysis.Analyzer;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.CsvWriter;
import org.sgdstab.nn.Model;
import org.sgdstab.report.Json;
import org.sgdstab.train.AnalysisDiagnostics;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.TrainConfig;
import org.sgdstab.train.Trainer;

/**
 * SGD (with replacement) from a fresh model until the loss reaches {@link Setup#TOLERANCE} or the step
 * budget ends, with the noise geometry (and optionally the Hessian) at {@code points} evenly spaced steps,
 * then a full analysis (Hessian, bounds, and optionally η*(B)) at the end point.
 * Writes {@code trajectory.csv}; done.json holds the end point's values under "final".
 *
 * @param family       model family
 * @param size         the family's size parameter
 * @param rootSeed     the reproduction's seed (fixes the data)
 * @param runSeed      this run's seed (initialisation and batches)
 * @param lr           η
 * @param batch        B
 * @param steps        maximum steps
 * @param points       diagnostics points along training; 0 records only the start and the end
 * @param hessianAlong also ‖H‖_F and Tr H along training
 * @param hessianEnd   ‖H‖_F, Tr H and λ_max(H) at the end point (else only the Fisher's)
 * @param criticalLr   compute the exact η*(B) at the end point
 */
public record TrainTask(Family family, int size, long rootSeed, long runSeed, double lr, int batch, int steps, int points,
                        boolean hessianAlong, boolean hessianEnd, boolean criticalLr) implements RunTask {
    /** Hutchinson probes where the Hessian is not formed. */
    static final int PROBES = 32;
    /** Largest p whose Hessian is formed exactly (p HVPs and a dense eigensolve); Hutchinson above. */
    static final int EXACT_MAX_P = 1024;
    /** The columns of trajectory.csv after step and loss. */
    static final List<String> COLUMNS = List.of("alpha", "beta", "mu", "mu1", "mu2", "gamma", "tau", "fisher_frobenius",
            "hessian_frobenius", "hessian_trace", "bound_thm33");

    @Override
    public String kind() {
        return "train-" + family.key();
    }

    @Override
    public ObjectNode key() {
        ObjectNode k = Json.object();
        k.put("family", family.key());
        k.put("size", size);
        k.put("root_seed", rootSeed);
        k.put("run_seed", runSeed);
        k.put("lr", lr);
        k.put("batch_size", batch);
        k.put("steps", steps);
        k.put("points", points);
        k.put("hessian_along", hessianAlong);
        k.put("hessian_end", hessianEnd);
        k.put("critical_lr", criticalLr);
        k.put("tolerance", Setup.TOLERANCE);
        return k;
    }

    @Override
    public String label() {
        return family.key() + " " + size + " B=" + batch + " seed " + runSeed;
    }

    @Override
    public ObjectNode execute(Problems problems, Path dir, BooleanSupplier stop) {
        Dataset data = problems.data(family);
        Model start = problems.model(family, size, runSeed ^ MODEL_SEED_MASK);
        int every = points > 0 ? Math.max(1, steps / points) : steps;
        TrainConfig cfg = new TrainConfig(TrainConfig.Optimizer.SGD, Sampling.WITH_REPLACEMENT, lr, batch, steps, runSeed,
                points > 0 ? every : Math.min(10, Math.max(1, steps)), every, data.size(), Setup.TOLERANCE, 1e6, 0);
        CurvatureSummary.Method method = start.parameterCount() <= EXACT_MAX_P ? CurvatureSummary.Method.EXACT
                : CurvatureSummary.Method.STOCHASTIC;
        AnalysisOptions along = new AnalysisOptions(lr, batch, Sampling.WITH_REPLACEMENT, hessianAlong ? method : null, PROBES, 1, false,
                runSeed);
        AnalysisDiagnostics diagnostics = new AnalysisDiagnostics(start, data, along);
        List<double[]> rows = new ArrayList<>();
        Trainer.Result r = Trainer.run(start, data, cfg, diagnostics, stop, (step, loss, diag) -> {
            if (diag != null) {
                double[] row = new double[2 + COLUMNS.size()];
                row[0] = step;
                row[1] = loss;
                for (int c = 0; c < COLUMNS.size(); c++) {
                    Double v = diag.get(COLUMNS.get(c));
                    row[2 + c] = v == null ? Double.NaN : v;
                }
                rows.add(row);
            }
        });
        if (r.status() == Trainer.Status.INTERRUPTED) {
            return null;
        }
        AnalysisOptions end = new AnalysisOptions(lr, batch, Sampling.WITH_REPLACEMENT, hessianEnd ? method : null, PROBES, 1,
                criticalLr, runSeed);
        Analysis a = Analyzer.analyze(start.withTheta(r.theta()), data, end);
        StringBuilder csv = new StringBuilder("step,loss");
        for (String c : COLUMNS) {
            csv.append(',').append(c);
        }
        csv.append('\n');
        for (double[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                csv.append(c == 0 ? "" : ",").append(CsvWriter.format(row[c]));
            }
            csv.append('\n');
        }
        try {
            Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve("trajectory.csv"), csv.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("trajectory.csv"), e);
        }
        ObjectNode done = Json.object();
        done.put("status", r.status().label());
        done.put("steps", r.steps());
        done.put("p", start.parameterCount());
        done.put("n", data.size());
        ObjectNode fin = done.putObject("final");
        for (Map.Entry<String, Double> e : a.values().entrySet()) {
            Json.put(fin, e.getKey(), e.getValue());
        }
        return done;
    }
}
