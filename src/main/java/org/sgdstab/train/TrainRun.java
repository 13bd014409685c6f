package org.sgdstab.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.sgdstab.data.Dataset;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.CsvWriter;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelWeights;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;

/**
 * A training run with its outputs in a directory:
 * {@code metrics.csv} (step, the full training loss and the diagnostics on the probe set, whose own
 * loss is the column {@code probe_loss}; one flushed row per logged step),
 * {@code checkpoints/step-N.safetensors}, {@code final.safetensors} and {@code run.json}
 * (config, provenance, status). run.json says "running" until the run ends, so a killed run is
 * recognisable, and every file is written atomically.
 */
public final class TrainRun {
    private TrainRun() {
    }

    /** Receives progress, for a progress bar. */
    public interface Progress {
        void step(long step, double loss);
    }

    /** Prefix of a diagnostic column whose key is also a trainer column: {@code probe_loss}. */
    public static final String PROBE_PREFIX = "probe_";

    /**
     * Trains and writes all outputs into {@code dir} (created if needed).
     *
     * @param diagnostics diagnostics for diagnostic steps, or null
     * @param stop        polled every step; true ends the run as interrupted with its state saved
     */
    public static Trainer.Result execute(Model start, Dataset data, TrainConfig cfg, Diagnostics diagnostics, Path dir,
                                         BooleanSupplier stop, Progress progress) {
        Provenance provenance = Provenance.now("train", cfg.seed(), cfg);
        Path checkpoints = dir.resolve("checkpoints");
        try {
            Files.createDirectories(checkpoints);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + checkpoints, e);
        }
        writeRunJson(dir, provenance, start, data, "running", null);
        List<String> header = new ArrayList<>(List.of("step", "loss"));
        // Diagnostic keys by column; one that repeats a trainer column (the probe set's "loss" against the
        // full training loss) is written as probe_<key>, so that every column name is unique.
        List<String> diagKeys = new ArrayList<>(List.of("", ""));
        if (diagnostics != null) {
            for (String key : diagnostics.keys()) {
                header.add(header.contains(key) ? PROBE_PREFIX + key : key);
                diagKeys.add(key);
            }
        }
        Trainer.Result result;
        try (CsvWriter csv = new CsvWriter(dir.resolve("metrics.csv"), header)) {
            Map<String, String> meta = Map.of("format", "pt", "producer", "sgd-stability " + Provenance.currentVersion());
            result = Trainer.run(start, data, cfg, diagnostics, stop, new Trainer.Observer() {
                double lastLoss = Double.NaN;

                @Override
                public void onLog(long step, double loss, Map<String, Double> diag) {
                    lastLoss = loss;
                    double[] row = new double[header.size()];
                    row[0] = step;
                    row[1] = loss;
                    for (int c = 2; c < row.length; c++) {
                        Double v = diag == null ? null : diag.get(diagKeys.get(c));
                        row[c] = v == null ? Double.NaN : v;
                    }
                    csv.row(row);
                }

                @Override
                public void onCheckpoint(long step, double[] theta) {
                    ModelWeights.write(checkpoints.resolve("step-" + step + ".safetensors"), start.withTheta(theta.clone()), meta);
                }

                @Override
                public void onStep(long step) {
                    if (progress != null) {
                        progress.step(step, lastLoss);
                    }
                }
            });
            ModelWeights.write(dir.resolve("final.safetensors"), start.withTheta(result.theta()), meta);
        }
        writeRunJson(dir, provenance, start, data, result.status().label(), result);
        return result;
    }

    private static void writeRunJson(Path dir, Provenance provenance, Model start, Dataset data, String status, Trainer.Result result) {
        ObjectNode run = Json.object();
        run.put("status", status);
        run.put("n", data.size());
        run.put("d", data.inputSize());
        run.put("K", data.outputs());
        run.put("p", start.parameterCount());
        if (result != null) {
            run.put("steps", result.steps());
            Json.put(run, "final_loss", result.finalLoss());
        }
        run.set("provenance", Json.tree(provenance));
        try {
            AtomicFiles.writeString(dir.resolve("run.json"), Json.write(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write run.json in " + dir, e);
        }
    }
}
