package org.sgdstab.experiments;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.sgdstab.data.Dataset;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.CsvWriter;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.Network;
import org.sgdstab.report.Json;
import org.sgdstab.report.Plots;
import org.sgdstab.report.Provenance;

/**
 * Linearised dynamics at a minimum under several noise models (theory.md §6, the paper's Section
 * 3.3): Monte-Carlo loss curves, exact expected-loss curves and growth factors, a check of the
 * mini-batch Monte-Carlo mean against the exact second-moment curve, and optionally the
 * isotropic-versus-geometry comparison over growing model size.
 *
 * <p><b>Randomness.</b> From {@code SplittableRandom(seed)}: split 1 initialises a model without
 * weights (the caller), split 2 draws the starting perturbation, split 3 is the root of one stream per
 * noise model in the fixed order minibatch, geometry, isotropic, bounded (whichever are selected), split 4
 * the root of one stream per model size.
 *
 * <p><b>Model sizes.</b> For each hidden width the architecture is rebuilt ({@link ModelResize}),
 * freshly initialised, and linearised at its initialisation (an exact minimum of its own linearised
 * problem). η is rescaled to {@code η·λ_max(H_base)/λ_max(H_width)} so that every size has the same GD
 * stability margin {@code η λ_max}; then the exact growth factors of geometry, isotropic and
 * mini-batch noise are compared, with Monte-Carlo fits of the first two.
 */
public final class LinearizedExperiment {
    /** Monte-Carlo and exact means agree when at least this fraction of steps lies within 3 standard errors. */
    public static final double AGREEMENT_FRACTION = 0.95;

    private LinearizedExperiment() {
    }

    /**
     * One noise model's results.
     *
     * @param growthFactor exact asymptotic per-step growth factor of E[L] (see {@link LinearizedDynamics#growthFactor})
     * @param fit          growth fit of the log Monte-Carlo mean over the later half of the pre-saturation window
     */
    public record NoiseRun(NoiseModel model, double[][] losses, LossCurves curves, double[] exact, double growthFactor, GrowthFit fit) {
    }

    /** The mini-batch Monte-Carlo mean against the exact curve, over the steps before any escape. */
    public record Agreement(int steps, double maxAbsZ, double fractionWithin3, boolean agrees) {
    }

    /** One model size of the comparison. */
    public record SizeRow(int width, int p, double lr, double lambdaMax, double traceH, double frobeniusH, double rhoGeometry,
                          double rhoIsotropic, double rhoMinibatch, double fitGeometry, double fitIsotropic) {
    }

    /**
     * The outcome.
     *
     * @param residualLoss  L at the given weights on the real targets (dropped by the linearisation)
     * @param boundedSigma2 σ_b² = 2ε of the bounded noise
     */
    public record Result(String status, int n, int outputs, long p, int rank, double traceH, double frobeniusH, double lambdaMax,
                         double residualLoss, double boundedSigma2, double isotropicSigma2, double boundedSlope,
                         List<NoiseRun> runs, Agreement agreement, List<SizeRow> sizes) {
    }

    /**
     * Runs the experiment without writing anything.
     *
     * @param minimum the point to linearise at. Not modified.
     * @param init    initialiser of the models of other sizes (unused without model sizes)
     */
    public static Result run(Model minimum, Dataset data, LinearizedConfig cfg, Initializer init, BooleanSupplier stop) {
        Network net = minimum.network();
        data.requireFits(net.inputSize(), net.outputSize(), "X", "Y");
        cfg.requireFits(data.size());
        SplittableRandom root = new SplittableRandom(cfg.seed());
        root.split();
        SplittableRandom startRng = root.split();
        SplittableRandom noiseRoot = root.split();
        SplittableRandom sizesRoot = root.split();
        SplittableRandom[] noiseStreams = new SplittableRandom[NoiseModel.values().length];
        for (int m = 0; m < noiseStreams.length; m++) {
            noiseStreams[m] = noiseRoot.split();
        }

        Matrix gram = net.ntkGram(minimum.theta(), data.x());
        Linearization lin = new Linearization(gram, data.size(), net.outputSize(), net.parameterCount());
        double boundedSigma2 = 2 * cfg.initLoss();
        LinearizedDynamics dyn = new LinearizedDynamics(lin, cfg.lr(), cfg.batchSize(), cfg.sampling(), boundedSigma2);
        double[] w0 = LinearizedDynamics.perturbation(lin, cfg.initLoss(), startRng);

        List<NoiseRun> runs = new ArrayList<>();
        for (NoiseModel m : cfg.noise()) {
            double[][] losses = dyn.simulate(m, w0, cfg.trajectories(), cfg.steps(), cfg.divergenceCap(), noiseStreams[m.ordinal()],
                    cfg.jobs(), stop);
            LossCurves curves = LossCurves.of(losses, cfg.divergenceCap());
            double[] exact = dyn.expectedLoss(m, w0, cfg.steps());
            runs.add(new NoiseRun(m, losses, curves, exact, dyn.growthFactor(m, cfg.maxApplications()), laterHalfFit(curves)));
        }
        Agreement agreement = null;
        for (NoiseRun r : runs) {
            if (r.model() == NoiseModel.MINIBATCH) {
                agreement = agreement(r.curves(), r.exact());
            }
        }
        List<SizeRow> sizes = new ArrayList<>();
        for (int width : cfg.modelSizes()) {
            if (stop.getAsBoolean()) {
                break;
            }
            sizes.add(size(net.layers(), width, data, cfg, lin.lambdaMax(), init, sizesRoot.split(), stop));
        }
        return new Result(stop.getAsBoolean() ? "interrupted" : "completed", data.size(), net.outputSize(), net.parameterCount(),
                lin.rank(), lin.traceH(), lin.frobeniusH(), lin.lambdaMax(), minimum.loss(data.x(), data.y()), boundedSigma2,
                dyn.isotropicSigma2(), dyn.boundedSlope(), List.copyOf(runs), agreement, List.copyOf(sizes));
    }

    /** Fit of the log mean over [w/2, w], w the automatic pre-saturation window; null if it is shorter than two steps. */
    static GrowthFit laterHalfFit(LossCurves curves) {
        int w = EscapeExperiment.autoFitWindow(curves);
        int from = w / 2;
        if (w - from < 1 || Double.isNaN(curves.mean()[w])) {
            return null;
        }
        return GrowthFit.fit(GrowthFit.log(curves.mean()), from, w);
    }

    /**
     * z_t = (MC mean − exact)/stderr at every step t ≥ 1 before any trajectory escaped.
     *
     * @param exact E[L_t], same length as the curves
     */
    public static Agreement agreement(LossCurves curves, double[] exact) {
        int steps = 0;
        int within = 0;
        double maxZ = 0;
        for (int t = 1; t < curves.steps(); t++) {
            double se = curves.stdErr()[t];
            if (curves.escapedFraction()[t] > 0 || !(se > 0) || curves.count()[t] < 2) {
                continue;
            }
            double z = Math.abs(curves.mean()[t] - exact[t]) / se;
            steps++;
            within += z <= 3 ? 1 : 0;
            maxZ = Math.max(maxZ, z);
        }
        double frac = steps == 0 ? Double.NaN : (double) within / steps;
        return new Agreement(steps, steps == 0 ? Double.NaN : maxZ, frac, steps > 0 && frac >= AGREEMENT_FRACTION);
    }

    private static SizeRow size(List<Layer> base, int width, Dataset data, LinearizedConfig cfg, double baseLambdaMax, Initializer init,
                                SplittableRandom rng, BooleanSupplier stop) {
        SplittableRandom initRng = rng.split();
        SplittableRandom startRng = rng.split();
        SplittableRandom geoRng = rng.split();
        SplittableRandom isoRng = rng.split();
        Model m = init.initialize(ModelResize.withHiddenWidth(base, width), initRng);
        Network net = m.network();
        Linearization lin = new Linearization(net.ntkGram(m.theta(), data.x()), data.size(), net.outputSize(), net.parameterCount());
        double lr = cfg.lr() * baseLambdaMax / lin.lambdaMax();
        LinearizedDynamics dyn = new LinearizedDynamics(lin, lr, cfg.batchSize(), cfg.sampling(), 0.0);
        double[] w0 = LinearizedDynamics.perturbation(lin, cfg.initLoss(), startRng);
        double[][] geo = dyn.simulate(NoiseModel.GEOMETRY, w0, cfg.trajectories(), cfg.steps(), cfg.divergenceCap(), geoRng, cfg.jobs(), stop);
        double[][] iso = dyn.simulate(NoiseModel.ISOTROPIC, w0, cfg.trajectories(), cfg.steps(), cfg.divergenceCap(), isoRng, cfg.jobs(), stop);
        GrowthFit fg = laterHalfFit(LossCurves.of(geo, cfg.divergenceCap()));
        GrowthFit fi = laterHalfFit(LossCurves.of(iso, cfg.divergenceCap()));
        return new SizeRow(width, net.parameterCount(), lr, lin.lambdaMax(), lin.traceH(), lin.frobeniusH(),
                dyn.growthFactor(NoiseModel.GEOMETRY, cfg.maxApplications()), dyn.growthFactor(NoiseModel.ISOTROPIC, cfg.maxApplications()),
                dyn.growthFactor(NoiseModel.MINIBATCH, cfg.maxApplications()),
                fg == null ? Double.NaN : fg.factor(), fi == null ? Double.NaN : fi.factor());
    }

    /**
     * Runs the experiment and writes {@code curves.csv} (one row per noise model and step: Monte-Carlo
     * statistics and the exact mean), {@code summary.json}, {@code linearized.png}/{@code .svg} and, with
     * model sizes, {@code model_sizes.csv} and {@code model_sizes.png}/{@code .svg} into {@code dir} (created).
     */
    public static Result execute(Model minimum, Dataset data, LinearizedConfig cfg, Initializer init, Path dir, Provenance provenance,
                                 BooleanSupplier stop) {
        Result r = run(minimum, data, cfg, init, stop);
        write(r, cfg, dir, provenance);
        return r;
    }

    /** Writes the outputs of {@code r} into {@code dir} (created). */
    public static void write(Result r, LinearizedConfig cfg, Path dir, Provenance provenance) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        try (CsvWriter csv = new CsvWriter(dir.resolve("curves.csv"), List.of("noise", "step", "count", "mean", "stderr", "median", "q10",
                "q90", "mean_log", "escaped_fraction", "exact_mean"))) {
            for (NoiseRun run : r.runs()) {
                LossCurves c = run.curves();
                for (int t = 0; t < c.steps(); t++) {
                    csv.rowCells(List.of(run.model().cliName(), CsvWriter.format(t), CsvWriter.format(c.count()[t]),
                            CsvWriter.format(c.mean()[t]), CsvWriter.format(c.stdErr()[t]), CsvWriter.format(c.median()[t]),
                            CsvWriter.format(c.q10()[t]), CsvWriter.format(c.q90()[t]), CsvWriter.format(c.meanLog()[t]),
                            CsvWriter.format(c.escapedFraction()[t]), CsvWriter.format(run.exact()[t])));
                }
            }
        }
        if (!r.sizes().isEmpty()) {
            try (CsvWriter csv = new CsvWriter(dir.resolve("model_sizes.csv"), List.of("width", "p", "lr", "lambda_max", "trace_h",
                    "frobenius_h", "rho_geometry", "rho_isotropic", "rho_minibatch", "fit_geometry", "fit_isotropic"))) {
                for (SizeRow s : r.sizes()) {
                    csv.row(s.width(), s.p(), s.lr(), s.lambdaMax(), s.traceH(), s.frobeniusH(), s.rhoGeometry(), s.rhoIsotropic(),
                            s.rhoMinibatch(), s.fitGeometry(), s.fitIsotropic());
                }
            }
        }
        try {
            AtomicFiles.writeString(dir.resolve("summary.json"), Json.write(summary(r, cfg, provenance)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("summary.json"), e);
        }
        plot(r, cfg, dir.resolve("linearized"));
        if (!r.sizes().isEmpty()) {
            plotSizes(r, dir.resolve("model_sizes"));
        }
    }

    static ObjectNode summary(Result r, LinearizedConfig cfg, Provenance provenance) {
        ObjectNode o = Json.object();
        o.put("status", r.status());
        o.put("n", r.n());
        o.put("K", r.outputs());
        o.put("p", r.p());
        o.put("rank", r.rank());
        o.put("lr", cfg.lr());
        o.put("batch_size", cfg.batchSize());
        o.put("sampling", cfg.sampling().cliName());
        o.put("init_loss", cfg.initLoss());
        Json.put(o, "residual_loss_at_weights", r.residualLoss());
        Json.put(o, "trace_h", r.traceH());
        Json.put(o, "frobenius_h", r.frobeniusH());
        Json.put(o, "lambda_max", r.lambdaMax());
        Json.put(o, "gd_threshold", 2 / r.lambdaMax());
        Json.put(o, "isotropic_sigma2", r.isotropicSigma2());
        Json.put(o, "bounded_sigma2", r.boundedSigma2());
        Json.put(o, "lemma36_slope", r.boundedSlope());
        ObjectNode noise = o.putObject("noise");
        for (NoiseRun run : r.runs()) {
            ObjectNode n = noise.putObject(run.model().cliName());
            Json.put(n, "growth_factor_exact", run.growthFactor());
            EscapeExperiment.putFit(n, "growth_fit_log_mean", run.fit());
            Json.put(n, "final_mean_loss", EscapeExperiment.last(run.curves().mean()));
            Json.put(n, "final_exact_mean_loss", EscapeExperiment.last(run.exact()));
            Json.put(n, "final_median_loss", EscapeExperiment.last(run.curves().median()));
            Json.put(n, "final_escaped_fraction", EscapeExperiment.last(run.curves().escapedFraction()));
        }
        if (r.agreement() != null) {
            ObjectNode a = o.putObject("minibatch_check");
            a.put("steps_compared", r.agreement().steps());
            Json.put(a, "max_abs_z", r.agreement().maxAbsZ());
            Json.put(a, "fraction_within_3_stderr", r.agreement().fractionWithin3());
            a.put("required_fraction", AGREEMENT_FRACTION);
            a.put("agrees", r.agreement().agrees());
        }
        if (!r.sizes().isEmpty()) {
            ArrayNode sizes = o.putArray("model_sizes");
            for (SizeRow s : r.sizes()) {
                ObjectNode n = sizes.addObject();
                n.put("width", s.width());
                n.put("p", s.p());
                Json.put(n, "lr", s.lr());
                Json.put(n, "lambda_max", s.lambdaMax());
                Json.put(n, "rho_geometry", s.rhoGeometry());
                Json.put(n, "rho_isotropic", s.rhoIsotropic());
                Json.put(n, "rho_minibatch", s.rhoMinibatch());
                Json.put(n, "fit_geometry", s.fitGeometry());
                Json.put(n, "fit_isotropic", s.fitIsotropic());
            }
        }
        o.set("provenance", Json.tree(provenance));
        return o;
    }

    private static final Color[] COLORS = {new Color(30, 90, 200), new Color(200, 40, 40), new Color(0, 140, 60), new Color(150, 80, 0)};

    static void plot(Result r, LinearizedConfig cfg, Path base) {
        List<Plots.Series> series = new ArrayList<>();
        for (NoiseRun run : r.runs()) {
            Color c = COLORS[run.model().ordinal()];
            int steps = run.curves().steps();
            double[] x = new double[steps];
            for (int t = 0; t < steps; t++) {
                x[t] = t;
            }
            series.add(new Plots.Series(run.model().cliName() + " (mean)", x, run.curves().mean(), null, Plots.Style.THICK, c));
            series.add(new Plots.Series(run.model().cliName() + " (exact E[L])", x, run.exact(), null, Plots.Style.DASHED, c));
        }
        String title = String.format("Linearised dynamics: η = %s, B = %d, ε = %s", CsvWriter.format(cfg.lr()), cfg.batchSize(),
                CsvWriter.format(cfg.initLoss()));
        Plots.save(new Plots.Chart(title, "step", "loss", false, true, series), base);
    }

    static void plotSizes(Result r, Path base) {
        int m = r.sizes().size();
        double[] p = new double[m];
        double[] geo = new double[m];
        double[] iso = new double[m];
        double[] mb = new double[m];
        for (int i = 0; i < m; i++) {
            SizeRow s = r.sizes().get(i);
            p[i] = s.p();
            geo[i] = s.rhoGeometry();
            iso[i] = s.rhoIsotropic();
            mb[i] = s.rhoMinibatch();
        }
        List<Plots.Series> series = List.of(
                new Plots.Series("geometry-aware (exact ρ)", p, geo, null, Plots.Style.LINE_MARKERS, COLORS[1]),
                new Plots.Series("isotropic (exact ρ)", p, iso, null, Plots.Style.LINE_MARKERS, COLORS[2]),
                new Plots.Series("mini-batch SGD (exact ρ)", p, mb, null, Plots.Style.LINE_MARKERS, COLORS[0]));
        Plots.save(new Plots.Chart("Growth factor of E[L] versus model size (η·λ_max fixed)", "parameters p", "growth factor ρ",
                true, false, series), base);
    }
}
