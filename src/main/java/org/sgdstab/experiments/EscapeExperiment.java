package org.sgdstab.experiments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.sgdstab.analysis.Analysis;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.analysis.Analyzer;
import org.sgdstab.data.Dataset;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.CsvWriter;
import org.sgdstab.io.InputException;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelWeights;
import org.sgdstab.report.Json;
import org.sgdstab.report.Plots;
import org.sgdstab.report.Provenance;
import org.sgdstab.stability.Bounds;
import org.sgdstab.train.BatchSampler;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.TrainConfig;
import org.sgdstab.train.Trainer;

/**
 * The escape experiment (theory.md §5, Theorem 3.5; the paper's Figures 4 and 5b): full-batch GD at η
 * finds a minimum that is stable for GD, then R independent SGD trajectories with the same η and
 * batch size B start there, and the training loss is recorded at every step of every trajectory.
 *
 * <p><b>Start point.</b> GD runs from the given model until the loss reaches the tolerance; given
 * weights of a minimum found elsewhere are therefore polished by GD at this η (a no-op when their
 * loss is already below the tolerance), unless {@link EscapeConfig#skipGd()} starts the trajectories
 * from them unchanged. GD diverging at η is reported as bad input: η is then too large even for GD.
 *
 * <p><b>Randomness.</b> From {@code SplittableRandom(seed)}: split 1 initialises a model without
 * weights (done by the caller), split 2 draws the probe subset, split 3 is the root from which the
 * R trajectory streams are split in order before any thread starts.
 */
public final class EscapeExperiment {
    private EscapeExperiment() {
    }

    /** How the GD phase ended. */
    public record GdPhase(boolean ran, String status, long steps, double loss, double[] curve) {
    }

    /** Wall-clock seconds of each phase (not part of any reproducibility guarantee). */
    public record Timing(double gdSeconds, double analysisSeconds, double trajectorySeconds, long sgdSteps) {
    }

    /**
     * The outcome.
     *
     * @param status      "completed" or "interrupted"
     * @param gd          the GD phase
     * @param minimum     the start point of the trajectories
     * @param analysis    noise geometry, bounds and ρ(η) at the minimum (on the probe set)
     * @param losses      losses[r][t]; NaN where trajectory r recorded nothing (after escaping, or interrupted)
     * @param curves      per-step statistics
     * @param fitMeanLog  growth fit of the mean log-loss over the early window (null if it has fewer than two steps)
     * @param fitLogMean  growth fit of the log of the mean loss over the same window (null likewise, and when the
     *                    mean loss is 0 at all but one of its steps, e.g. SGD from an exact fit)
     * @param timing      wall-clock times
     */
    public record Result(String status, GdPhase gd, Model minimum, Analysis analysis, double[][] losses, LossCurves curves,
                         GrowthFit fitMeanLog, GrowthFit fitLogMean, Timing timing) {
        /** L at the start point. */
        public double startLoss() {
            return losses.length == 0 ? Double.NaN : losses[0][0];
        }

        /** Theorem 3.5's growth factor γ0 = η² µ ‖H‖_F² / B at the minimum; NaN where µ is undefined (L = 0). */
        public double gamma0() {
            Analysis a = analysis;
            return Bounds.escape(a.noise().mu(), a.flatness(), a.options().lr(), a.options().batchSize(), 0.5).gamma0();
        }

        /** Theorem 3.3 checked at the minimum. */
        public Bounds.BoundCheck theorem33() {
            return analysis.bound(Bounds.THEOREM_33);
        }

        /** Trajectories that escaped. */
        public int escapedCount() {
            int c = 0;
            for (double[] row : losses) {
                if (LossCurves.escapeStep(row, curves.cap()) >= 0) {
                    c++;
                }
            }
            return c;
        }
    }

    /**
     * Runs the experiment without writing anything.
     *
     * @param start the model to start GD from. Not modified.
     * @param data  the training set. Not modified.
     * @param stop  polled during GD and every trajectory step; true ends the run as interrupted
     */
    public static Result run(Model start, Dataset data, EscapeConfig cfg, BooleanSupplier stop) {
        data.requireFits(start.network().inputSize(), start.network().outputSize(), "X", "Y");
        cfg.requireFits(data.size());
        SplittableRandom root = new SplittableRandom(cfg.seed());
        root.split();
        SplittableRandom probeRng = root.split();
        SplittableRandom trajectoryRoot = root.split();

        long t0 = System.nanoTime();
        GdPhase gd;
        Model minimum;
        boolean interrupted = false;
        if (cfg.skipGd()) {
            minimum = start.copy();
            gd = new GdPhase(false, "skipped", 0, start.loss(data.x(), data.y()), new double[0]);
        } else {
            List<Double> curve = new ArrayList<>();
            TrainConfig gdCfg = new TrainConfig(TrainConfig.Optimizer.GD, Sampling.WITH_REPLACEMENT, cfg.lr(), 1, cfg.gdMaxSteps(),
                    cfg.seed(), 1, 0, 1, cfg.gdTolerance(), cfg.divergenceCap(), 0);
            Trainer.Result r = Trainer.run(start, data, gdCfg, null, stop, (step, loss, diag) -> curve.add(loss));
            if (r.status() == Trainer.Status.DIVERGED) {
                throw new InputException("--lr " + cfg.lr() + ": gradient descent diverged after " + r.steps()
                        + " steps, so η is too large even for GD here; use a smaller --lr, or --skip-gd with --weights of a minimum");
            }
            interrupted = r.status() == Trainer.Status.INTERRUPTED;
            minimum = start.withTheta(r.theta());
            double[] c = new double[curve.size()];
            for (int i = 0; i < c.length; i++) {
                c[i] = curve.get(i);
            }
            String status = r.status() == Trainer.Status.CONVERGED || r.finalLoss() <= cfg.gdTolerance() ? "converged" : r.status().label();
            gd = new GdPhase(true, status, r.steps(), r.finalLoss(), c);
        }
        long t1 = System.nanoTime();

        Dataset probeSet = data.probe(cfg.probe(), probeRng);
        Sampling scheme = cfg.sampling() == Sampling.EPOCH ? Sampling.WITHOUT_REPLACEMENT : cfg.sampling();
        AnalysisOptions opt = new AnalysisOptions(cfg.lr(), cfg.batchSize(), scheme, cfg.hessian(), AnalysisOptions.DEFAULT_PROBES,
                1, true, cfg.seed());
        Analysis analysis = Analyzer.analyze(minimum, probeSet, opt);
        long t2 = System.nanoTime();

        double[][] losses;
        if (interrupted || stop.getAsBoolean()) {
            interrupted = true;
            losses = new double[cfg.trajectories()][cfg.steps() + 1];
            for (double[] row : losses) {
                java.util.Arrays.fill(row, Double.NaN);
            }
        } else {
            losses = trajectories(minimum, data, cfg, trajectoryRoot, stop);
            interrupted = stop.getAsBoolean();
        }
        long t3 = System.nanoTime();
        long sgdSteps = 0;
        for (double[] row : losses) {
            for (int t = 1; t < row.length; t++) {
                if (!Double.isNaN(row[t])) {
                    sgdSteps++;
                }
            }
        }
        LossCurves curves = LossCurves.of(losses, cfg.divergenceCap());
        int window = cfg.fitWindow() > 0 ? cfg.fitWindow() : autoFitWindow(curves);
        GrowthFit fitMeanLog = null;
        GrowthFit fitLogMean = null;
        if (window >= 1 && !Double.isNaN(curves.mean()[window])) {
            fitMeanLog = GrowthFit.fit(curves.meanLog(), 0, window);
            fitLogMean = GrowthFit.fitOrNull(GrowthFit.log(curves.mean()), 0, window);
        }
        Timing timing = new Timing((t1 - t0) * 1e-9, (t2 - t1) * 1e-9, (t3 - t2) * 1e-9, sgdSteps);
        return new Result(interrupted ? "interrupted" : "completed", gd, minimum, analysis, losses, curves, fitMeanLog, fitLogMean,
                timing);
    }

    /**
     * The last step of the automatic fit window: the last step before the mean loss first exceeds the
     * geometric midpoint {@code sqrt(L_0 · cap)} between the start and the cap (past it, saturation
     * and escapes bend the curve), at least 1, at most T.
     */
    public static int autoFitWindow(LossCurves curves) {
        int last = curves.steps() - 1;
        if (last < 1) {
            return 0;
        }
        double threshold = Math.sqrt(Math.max(curves.mean()[0], LossCurves.LOG_FLOOR) * curves.cap());
        for (int t = 1; t <= last; t++) {
            if (!(curves.mean()[t] <= threshold)) {
                return Math.max(1, t - 1);
            }
        }
        return last;
    }

    /**
     * The R SGD trajectories of {@code cfg} from {@code minimum}, in parallel on {@code cfg.jobs()} threads.
     *
     * @param root the root of the trajectory streams; R streams are split from it in order. Modified.
     * @param stop polled every step; true leaves the remaining steps unrecorded
     * @return losses[r][t], NaN where nothing was recorded (after an escape, or after a stop)
     */
    public static double[][] trajectories(Model minimum, Dataset data, EscapeConfig cfg, SplittableRandom root, BooleanSupplier stop) {
        Matrix gram = SgdEngine.inputGram(minimum.network(), data);
        double[] theta0 = minimum.theta();
        int n = data.size();
        double cap = cfg.divergenceCap();
        return TrajectoryPool.run(cfg.trajectories(), cfg.steps(), root, cfg.jobs(), () -> {
            SgdEngine engine = new SgdEngine(minimum.network(), data, cfg.batchSize(), cfg.lr(), gram);
            int[] idx = new int[cfg.batchSize()];
            return (r, rng, loss) -> {
                engine.reset(theta0);
                BatchSampler sampler = new BatchSampler(cfg.sampling(), n, cfg.batchSize(), rng);
                for (int t = 0; t <= cfg.steps(); t++) {
                    if (stop.getAsBoolean()) {
                        return;
                    }
                    double l = engine.loss();
                    loss[t] = Double.isNaN(l) ? Double.POSITIVE_INFINITY : l;
                    if (!(l <= cap) || t == cfg.steps()) {
                        return;
                    }
                    sampler.next(idx);
                    engine.step(idx);
                }
            };
        });
    }

    /**
     * Runs the experiment and writes {@code trajectories.csv}, {@code curves.csv}, {@code gd.csv} (when GD
     * ran), {@code minimum.safetensors}, {@code summary.json} and {@code escape.png}/{@code .svg} into
     * {@code dir} (created). Nothing is written before GD and the analysis have succeeded.
     */
    public static Result execute(Model start, Dataset data, EscapeConfig cfg, Path dir, Provenance provenance, BooleanSupplier stop) {
        Result r = run(start, data, cfg, stop);
        write(r, cfg, dir, provenance);
        return r;
    }

    /** Writes the outputs of {@code r} into {@code dir} (created). */
    public static void write(Result r, EscapeConfig cfg, Path dir, Provenance provenance) {
        try {
            Files.createDirectories(dir);
            AtomicFiles.write(dir.resolve("trajectories.csv"), out -> {
                Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
                w.write("trajectory,step,loss\n");
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < r.losses().length; i++) {
                    double[] row = r.losses()[i];
                    for (int t = 0; t < row.length; t++) {
                        if (!Double.isNaN(row[t])) {
                            sb.setLength(0);
                            sb.append(i).append(',').append(t).append(',').append(CsvWriter.format(row[t])).append('\n');
                            w.write(sb.toString());
                        }
                    }
                }
                w.flush();
            });
            writeCurves(dir.resolve("curves.csv"), r.curves());
            if (r.gd().ran()) {
                try (CsvWriter csv = new CsvWriter(dir.resolve("gd.csv"), List.of("step", "loss"))) {
                    double[] c = r.gd().curve();
                    for (int t = 0; t < c.length; t++) {
                        csv.row(t, c[t]);
                    }
                }
            }
            ModelWeights.write(dir.resolve("minimum.safetensors"), r.minimum(),
                    Map.of("format", "pt", "producer", "sgd-stability " + Provenance.currentVersion()));
            AtomicFiles.writeString(dir.resolve("summary.json"), Json.write(summary(r, cfg, provenance)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write escape outputs in " + dir, e);
        }
        plot(r, cfg, dir.resolve("escape"));
    }

    static void writeCurves(Path file, LossCurves c) {
        try (CsvWriter csv = new CsvWriter(file, List.of("step", "count", "mean", "stderr", "median", "q10", "q90", "mean_log",
                "escaped_fraction"))) {
            for (int t = 0; t < c.steps(); t++) {
                csv.row(t, c.count()[t], c.mean()[t], c.stdErr()[t], c.median()[t], c.q10()[t], c.q90()[t], c.meanLog()[t],
                        c.escapedFraction()[t]);
            }
        }
    }

    /** The summary.json object. */
    static ObjectNode summary(Result r, EscapeConfig cfg, Provenance provenance) {
        ObjectNode o = Json.object();
        o.put("status", r.status());
        Analysis a = r.analysis();
        int n = a.n();
        o.put("n", n);
        o.put("p", a.p());
        o.put("trajectories", cfg.trajectories());
        o.put("steps", cfg.steps());
        o.put("lr", cfg.lr());
        o.put("batch_size", cfg.batchSize());
        o.put("sampling", cfg.sampling().cliName());
        ObjectNode gd = o.putObject("gd");
        gd.put("ran", r.gd().ran());
        gd.put("status", r.gd().status());
        gd.put("steps", r.gd().steps());
        Json.put(gd, "final_loss", r.gd().loss());
        Json.put(o, "start_loss", r.startLoss());
        o.put("escaped", r.escapedCount());
        Json.put(o, "escaped_fraction", r.losses().length == 0 ? Double.NaN : (double) r.escapedCount() / r.losses().length);
        Json.put(o, "final_mean_loss", last(r.curves().mean()));
        Json.put(o, "final_median_loss", last(r.curves().median()));

        ObjectNode pred = o.putObject("predicted");
        double hF = a.flatness();
        pred.put("hessian_frobenius_source", a.hessian() != null ? "hessian" : "fisher (equal to the Hessian at a global minimum)");
        Json.put(pred, "hessian_frobenius", hF);
        Json.put(pred, "mu", a.noise().mu());
        Json.put(pred, "mu1", a.noise().mu1());
        Json.put(pred, "gamma", a.noise().gamma());
        Json.put(pred, "fisher_lambda_max", a.noise().fisherLambdaMax());
        double gamma0 = r.gamma0();
        Json.put(pred, "gamma0", gamma0);
        double start = r.startLoss();
        Json.put(pred, "escape_steps_gamma0", gamma0 > 1 && start > 0 && start < 1 ? Math.log(1 / start) / Math.log(gamma0) : Double.NaN);
        if (a.stability() != null) {
            Json.put(pred, "rho", a.stability().rhoAtLr());
            Json.put(pred, "rho_residual", a.stability().rhoResidual());
            Json.put(pred, "critical_lr", a.stability().criticalLr());
            Json.put(pred, "gd_critical_lr", a.stability().gdCriticalLr());
            double rho = a.stability().rhoAtLr();
            Json.put(pred, "escape_steps_rho", rho > 1 && start > 0 && start < 1 ? Math.log(1 / start) / Math.log(rho) : Double.NaN);
        }
        Bounds.BoundCheck b = r.theorem33();
        ObjectNode bound = pred.putObject("theorem33");
        Json.put(bound, "bound", b.bound());
        Json.put(bound, "measured", b.measured());
        Json.put(bound, "ratio", b.ratio());
        if (b.defined()) {
            bound.put("violated", b.violated());
        } else {
            bound.putNull("violated");
        }

        ObjectNode fit = o.putObject("growth_fit");
        putFit(fit, "mean_log_loss", r.fitMeanLog());
        putFit(fit, "log_mean_loss", r.fitLogMean());

        ObjectNode reach = o.putObject("first_step_mean_reaches");
        for (double level : cfg.levels()) {
            int t = r.curves().firstStepMeanReaches(level);
            String key = new java.math.BigDecimal(Double.toString(level)).stripTrailingZeros().toPlainString();
            if (t >= 0) {
                reach.put(key, t);
            } else {
                reach.putNull(key);
            }
        }
        ObjectNode per = o.putObject("per_step");
        array(per, "mean_loss", r.curves().mean());
        array(per, "median_loss", r.curves().median());
        array(per, "mean_log_loss", r.curves().meanLog());
        array(per, "escaped_fraction", r.curves().escapedFraction());

        ObjectNode time = o.putObject("timing");
        time.put("gd_seconds", r.timing().gdSeconds());
        time.put("analysis_seconds", r.timing().analysisSeconds());
        time.put("trajectory_seconds", r.timing().trajectorySeconds());
        time.put("sgd_steps", r.timing().sgdSteps());
        time.put("jobs", cfg.jobs());
        o.set("analysis_at_minimum", a.toJson(provenance));
        o.set("provenance", Json.tree(provenance));
        return o;
    }

    static void putFit(ObjectNode parent, String key, GrowthFit f) {
        if (f == null) {
            parent.putNull(key);
            return;
        }
        ObjectNode o = parent.putObject(key);
        o.put("from_step", f.from());
        o.put("to_step", f.to());
        Json.put(o, "slope", f.slope());
        Json.put(o, "slope_stderr", f.slopeStdErr());
        Json.put(o, "factor", f.factor());
    }

    static void array(ObjectNode parent, String key, double[] values) {
        ArrayNode a = parent.putArray(key);
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
    }

    static double last(double[] v) {
        return v.length == 0 ? Double.NaN : v[v.length - 1];
    }

    /** Figure-4 style: every trajectory thin, the mean thick, predictions dashed, log-scale loss. */
    static void plot(Result r, EscapeConfig cfg, Path base) {
        List<Plots.Series> series = new ArrayList<>();
        Color thin = new Color(70, 110, 200);
        for (double[] row : r.losses()) {
            int len = 0;
            while (len < row.length && !Double.isNaN(row[len])) {
                len++;
            }
            double[] x = new double[len];
            double[] y = new double[len];
            for (int t = 0; t < len; t++) {
                x[t] = t;
                y[t] = row[t];
            }
            series.add(new Plots.Series(null, x, y, null, Plots.Style.THIN, thin));
        }
        int steps = r.curves().steps();
        double[] x = new double[steps];
        for (int t = 0; t < steps; t++) {
            x[t] = t;
        }
        series.add(new Plots.Series("mean loss", x, r.curves().mean(), null, Plots.Style.THICK, Color.BLACK));
        double l0 = r.startLoss();
        double gamma0 = r.gamma0();
        if (gamma0 > 0 && l0 > 0) {
            series.add(new Plots.Series(String.format("L0·γ0^t, γ0 = %.3g (Thm 3.5)", gamma0), x, geometric(l0, gamma0, steps, cfg.divergenceCap()),
                    null, Plots.Style.DASHED, new Color(0, 140, 60)));
        }
        if (r.analysis().stability() != null && l0 > 0) {
            double rho = r.analysis().stability().rhoAtLr();
            series.add(new Plots.Series(String.format("L0·ρ^t, ρ(η) = %.3g (exact)", rho), x, geometric(l0, rho, steps, cfg.divergenceCap()),
                    null, Plots.Style.DASHED, new Color(200, 40, 40)));
        }
        String title = String.format("SGD escape: η = %s, B = %d, %d trajectories", CsvWriter.format(cfg.lr()), cfg.batchSize(),
                cfg.trajectories());
        Plots.save(new Plots.Chart(title, "step", "training loss", false, true, series), base);
    }

    /** l0·f^t for t < steps, clipped at the cap so a prediction line does not dwarf the data. */
    static double[] geometric(double l0, double f, int steps, double cap) {
        double[] y = new double[steps];
        for (int t = 0; t < steps; t++) {
            double v = l0 * Math.pow(f, t);
            y[t] = v <= cap ? v : Double.NaN;
        }
        return y;
    }
}
