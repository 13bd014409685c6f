package org.sgdstab.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.sgdstab.analysis.Analysis;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.analysis.Analyzer;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.InputException;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.TrainConfig;
import org.sgdstab.train.TrainRun;
import org.sgdstab.train.Trainer;

/**
 * Runs one sweep job as a library call into its own directory and extracts its metrics. Defaults are
 * those of the matching command-line command, except {@code jobs}, which defaults to 1 (a sweep
 * parallelises over runs).
 */
public final class SweepTasks {
    private SweepTasks() {
    }

    /**
     * Runs {@code job}. Input problems (missing files, bad values) become a FAILED outcome with their
     * one-line message; a stop during the run gives INTERRUPTED.
     *
     * @param baseDir directory against which relative paths resolve
     * @param dir     the run's output directory (created)
     */
    public static SweepOutcome run(SweepJob job, Path baseDir, Path dir, BooleanSupplier stop) {
        try {
            Map<String, Double> metrics = switch (job.command()) {
                case ESCAPE -> escape(job, baseDir, dir, stop);
                case LINEARIZED -> linearized(job, baseDir, dir, stop);
                case TRAIN -> train(job, baseDir, dir, stop);
                case ANALYZE -> analyze(job, baseDir, dir);
            };
            if (stop.getAsBoolean()) {
                return new SweepOutcome(job, SweepOutcome.Status.INTERRUPTED, null, Map.of());
            }
            return new SweepOutcome(job, SweepOutcome.Status.OK, null, metrics);
        } catch (InputException | IllegalArgumentException | ArithmeticException e) {
            return new SweepOutcome(job, SweepOutcome.Status.FAILED, e.getMessage(), Map.of());
        }
    }

    /** Typed access to a job's options with defaults. */
    private record Opts(ObjectNode o, Path baseDir) {
        double num(String k, double dflt) {
            return o.has(k) ? o.get(k).asDouble() : dflt;
        }

        int integer(String k, int dflt) {
            if (!o.has(k)) {
                return dflt;
            }
            long v = o.get(k).asLong();
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new InputException("option \"" + k + "\" = " + v + " is out of range");
            }
            return (int) v;
        }

        long lng(String k, long dflt) {
            return o.has(k) ? o.get(k).asLong() : dflt;
        }

        String str(String k, String dflt) {
            return o.has(k) ? o.get(k).asText() : dflt;
        }

        boolean bool(String k, boolean dflt) {
            return o.has(k) ? o.get(k).asBoolean() : dflt;
        }

        Path path(String k) {
            return o.has(k) ? baseDir.resolve(o.get(k).asText()) : null;
        }
    }

    /** The model (spec, architecture edits, weights or seeded initialisation) and data of a job. */
    private static Model model(Opts o, Dataset[] dataOut) {
        List<Layer> layers = ModelSpec.read(o.path("model"));
        if (o.o().has("depth")) {
            layers = ModelResize.withDepth(layers, o.integer("depth", 0));
        }
        if (o.o().has("width")) {
            layers = ModelResize.withHiddenWidth(layers, o.integer("width", 0));
        }
        Model m;
        Path w = o.path("weights");
        if (w != null) {
            m = ModelWeights.read(layers, w);
        } else {
            Initializer init = o.o().has("init-sigma") ? new Initializer.ScaledGaussian(o.num("init-sigma", 1)) : new Initializer.TorchDefault();
            m = init.initialize(layers, new SplittableRandom(o.lng("seed", 0)).split());
        }
        Dataset data = Dataset.load(o.path("x"), o.path("y"));
        data.requireFits(m.network().inputSize(), m.network().outputSize(), o.path("x").toString(), o.path("y").toString());
        dataOut[0] = data;
        return m;
    }

    private static Provenance provenance(SweepJob job) {
        return Provenance.now(job.command().specName() + " (sweep run " + job.id() + ")", job.options().path("seed").asLong(),
                Json.MAPPER.convertValue(job.options(), Map.class));
    }

    private static Map<String, Double> escape(SweepJob job, Path baseDir, Path dir, BooleanSupplier stop) {
        Opts o = new Opts(job.options(), baseDir);
        String[] levels = o.str("levels", "1e-4,1e-3,1e-2,1e-1,1").split(",");
        double[] lv = new double[levels.length];
        for (int i = 0; i < lv.length; i++) {
            try {
                lv[i] = Double.parseDouble(levels[i].trim());
            } catch (NumberFormatException e) {
                throw new InputException("levels: '" + levels[i] + "' is not a number");
            }
        }
        String hessian = o.str("hessian", "none");
        EscapeConfig cfg = new EscapeConfig(o.num("lr", 0), o.integer("batch-size", 1), Sampling.parse(o.str("sampling", "with-replacement")),
                o.integer("trajectories", 200), o.integer("steps", 0), o.lng("seed", 0), o.num("gd-tol", 1e-8), o.lng("gd-max-steps", 100000),
                o.bool("skip-gd", false), o.num("divergence-cap", 1e6), o.integer("jobs", 1), o.integer("fit-window", 0), lv,
                hessian.equals("none") ? null : CurvatureSummary.Method.parse(hessian), o.integer("probe", 2048));
        Dataset[] data = new Dataset[1];
        Model m = model(o, data);
        EscapeExperiment.Result r = EscapeExperiment.execute(m, data[0], cfg, dir, provenance(job), stop);
        Map<String, Double> v = new LinkedHashMap<>();
        Analysis a = r.analysis();
        v.put("start_loss", r.startLoss());
        v.put("escaped_fraction", (double) r.escapedCount() / cfg.trajectories());
        v.put("final_mean_loss", EscapeExperiment.last(r.curves().mean()));
        v.put("final_median_loss", EscapeExperiment.last(r.curves().median()));
        v.put("growth_factor_mean_log", r.fitMeanLog() == null ? Double.NaN : r.fitMeanLog().factor());
        v.put("growth_factor_log_mean", r.fitLogMean() == null ? Double.NaN : r.fitLogMean().factor());
        int reach = r.curves().firstStepMeanReaches(1.0);
        v.put("first_step_mean_reaches_1", reach < 0 ? Double.NaN : reach);
        v.put("gamma0", r.gamma0());
        v.put("rho", a.stability() == null ? Double.NaN : a.stability().rhoAtLr());
        v.put("critical_lr", a.stability() == null ? Double.NaN : a.stability().criticalLr());
        v.put("hessian_frobenius", a.flatness());
        v.put("mu", a.noise().mu());
        v.put("bound_thm33", r.theorem33().bound());
        v.put("bound_violated", !r.theorem33().defined() ? Double.NaN : r.theorem33().violated() ? 1.0 : 0.0);
        v.put("gd_steps", (double) r.gd().steps());
        return v;
    }

    private static Map<String, Double> linearized(SweepJob job, Path baseDir, Path dir, BooleanSupplier stop) {
        Opts o = new Opts(job.options(), baseDir);
        List<NoiseModel> models = new ArrayList<>();
        for (String s : o.str("noise", "minibatch,geometry,isotropic,bounded").split(",")) {
            models.add(NoiseModel.parse(s.trim(), "noise"));
        }
        LinearizedConfig cfg = new LinearizedConfig(o.num("lr", 0), o.integer("batch-size", 1), Sampling.parse(o.str("sampling", "with-replacement")),
                models, o.integer("trajectories", 200), o.integer("steps", 0), o.num("init-loss", 1e-6), o.lng("seed", 0),
                o.num("divergence-cap", 1e6), o.integer("jobs", 1), new int[0], LinearizedConfig.DEFAULT_MAX_APPLICATIONS);
        Dataset[] data = new Dataset[1];
        Model m = model(o, data);
        LinearizedExperiment.Result r = LinearizedExperiment.execute(m, data[0], cfg, new Initializer.TorchDefault(), dir, provenance(job), stop);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("p", (double) r.p());
        v.put("rank", (double) r.rank());
        v.put("trace_h", r.traceH());
        v.put("frobenius_h", r.frobeniusH());
        v.put("lambda_max", r.lambdaMax());
        for (String kind : List.of("growth", "fit", "final_mean")) {
            for (NoiseModel nm : NoiseModel.values()) {
                double val = Double.NaN;
                for (LinearizedExperiment.NoiseRun run : r.runs()) {
                    if (run.model() == nm) {
                        val = switch (kind) {
                            case "growth" -> run.growthFactor();
                            case "fit" -> run.fit() == null ? Double.NaN : run.fit().factor();
                            default -> EscapeExperiment.last(run.curves().mean());
                        };
                    }
                }
                v.put(kind + "_" + nm.cliName(), val);
            }
        }
        v.put("minibatch_agrees", r.agreement() == null ? Double.NaN : r.agreement().agrees() ? 1.0 : 0.0);
        return v;
    }

    private static Map<String, Double> train(SweepJob job, Path baseDir, Path dir, BooleanSupplier stop) {
        Opts o = new Opts(job.options(), baseDir);
        TrainConfig cfg = new TrainConfig(TrainConfig.Optimizer.parse(o.str("optimizer", "sgd")), Sampling.parse(o.str("sampling", "with-replacement")),
                o.num("lr", 0), o.integer("batch-size", 1), o.lng("steps", 0), o.lng("seed", 0), o.integer("log-every", 10), 0, 2048,
                o.num("tol", 0), o.num("divergence-cap", 1e6), 0);
        Dataset[] data = new Dataset[1];
        Model m = model(o, data);
        cfg.requireFits(data[0].size());
        Trainer.Result r = TrainRun.execute(m, data[0], cfg, null, dir, stop, null);
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("final_loss", r.finalLoss());
        v.put("steps", (double) r.steps());
        v.put("converged", r.status() == Trainer.Status.CONVERGED ? 1.0 : 0.0);
        v.put("diverged", r.status() == Trainer.Status.DIVERGED ? 1.0 : 0.0);
        return v;
    }

    private static Map<String, Double> analyze(SweepJob job, Path baseDir, Path dir) {
        Opts o = new Opts(job.options(), baseDir);
        String hessian = o.str("hessian", "auto");
        AnalysisOptions opt = new AnalysisOptions(o.num("lr", 0), o.integer("batch-size", 1), Sampling.parse(o.str("sampling", "with-replacement")),
                hessian.equals("none") ? null : CurvatureSummary.Method.parse(hessian), o.integer("probes", AnalysisOptions.DEFAULT_PROBES),
                o.integer("top-k", 3), o.bool("critical-lr", true), o.lng("seed", 0));
        Dataset[] data = new Dataset[1];
        Model m = model(o, data);
        int probe = o.integer("probe", 2048);
        if (probe < 1) {
            throw new InputException("probe must be at least 1, got " + probe);
        }
        Dataset probeSet = data[0].probe(probe, new SplittableRandom(o.lng("seed", 0)));
        Analysis a = Analyzer.analyze(m, probeSet, opt);
        try {
            java.nio.file.Files.createDirectories(dir);
            AtomicFiles.writeString(dir.resolve("analysis.json"), Json.write(a.toJson(provenance(job))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
        Map<String, Double> values = a.values();
        Map<String, Double> v = new LinkedHashMap<>();
        for (String k : SweepCommand.ANALYZE.metrics()) {
            v.put(k, values.getOrDefault(k, Double.NaN));
        }
        return v;
    }

    /** The metric's JSON value (null for NaN/∞). */
    static JsonNode value(double v) {
        return Double.isFinite(v) ? Json.MAPPER.getNodeFactory().numberNode(v) : Json.MAPPER.getNodeFactory().nullNode();
    }
}
