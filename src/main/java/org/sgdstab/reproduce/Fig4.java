package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.report.Plots;

/**
 * Figure 4: escape from sharp minima found by GD: R SGD trajectories from the minimum at GD's learning
 * rate, and their mean, for each family (see {@link EscapeTask}).
 */
public final class Fig4 implements Figure {
    /** "Orders of magnitude": mean loss at step {@link #WITHIN} at least this times the start loss. */
    static final double GROWTH = 100.0;
    /** "Within about 10 steps". */
    static final int WITHIN = 10;
    /** The measured per-step rate agrees with ρ(η) when |ln(fit)/ln ρ − 1| is at most this. */
    static final double RATE_TOLERANCE = 0.5;
    /** The families of Figure 4 (the CNNs' escape is Figure 5b). */
    static final List<Family> FAMILIES = List.of(Family.RF, Family.LINEAR, Family.FCN);
    /** η as a fraction of the GD edge 2/λ_max at the minimum. */
    static final double EDGE_FRACTION = 0.9;

    /** Escape sizes: trajectories, steps, GD budget, batch size. */
    record EscapeSetup(int trajectories, int steps, int gdSteps, int batch) {
        static EscapeSetup of(Scale s) {
            return switch (s) {
                case TINY -> new EscapeSetup(20, 12, 300, 1);
                case QUICK -> new EscapeSetup(200, 30, 5000, 1);
                case FULL -> new EscapeSetup(200, 50, 50000, 1);
            };
        }
    }

    @Override
    public String id() {
        return "fig4";
    }

    static EscapeTask task(Problems p, Family f, long root) {
        EscapeSetup e = EscapeSetup.of(p.scale());
        return new EscapeTask(f, p.setup(f).trainSize(), root, Figure.runSeed(root, 0), e.batch(), e.trajectories(), e.steps(), e.gdSteps(),
                EDGE_FRACTION);
    }

    @Override
    public List<RunTask> tasks(Problems p, long root) {
        List<RunTask> t = new ArrayList<>();
        for (Family f : FAMILIES) {
            t.add(task(p, f, root));
        }
        return t;
    }

    @Override
    public FigureOutput render(Problems p, long root, Map<RunTask, ObjectNode> results, RunCache runs, Path dir) {
        List<FigureOutput.Panel> panels = new ArrayList<>();
        Table all = new Table("model", "trajectory", "step", "loss");
        Table means = new Table("model", "step", "mean", "median", "escaped_fraction");
        Table summary = new Table("model", "p", "lr", "batch_size", "start_loss", "lambda_max", "hessian_frobenius", "mu", "bound_thm33",
                "gamma0", "rho", "fit_factor", "fit_to", "mean_growth_at_10");
        Map<String, Double> mFast = new LinkedHashMap<>();
        Map<String, Double> mRate = new LinkedHashMap<>();
        boolean okFast = true;
        boolean okRate = true;
        for (Family f : FAMILIES) {
            Escape e = escape("fig4", "Fig. 4", f, task(p, f, root), results, runs, dir, all, means, summary);
            panels.add(e.panel());
            mFast.put("mean_loss_growth_at_step_" + WITHIN + "_" + f.key(), e.growth());
            mFast.put("fitted_factor_" + f.key(), e.fit());
            okFast &= e.growth() >= GROWTH && e.fit() > 1;
            double agreement = Math.log(e.fit()) / Math.log(e.rho());
            mRate.put("fitted_factor_" + f.key(), e.fit());
            mRate.put("rho_" + f.key(), e.rho());
            mRate.put("log_ratio_" + f.key(), agreement);
            okRate &= Math.abs(agreement - 1) <= RATE_TOLERANCE;
        }
        all.write(dir.resolve("fig4_trajectories.csv"));
        means.write(dir.resolve("fig4_mean.csv"));
        summary.write(dir.resolve("fig4_summary.csv"));
        List<Claim> claims = List.of(
                new Claim("fig4.escape_exponential", "the mean escape trajectory grows by orders of magnitude within about 10 steps, exponentially",
                        mFast, "mean loss at step " + WITHIN + " ≥ " + GROWTH + " × start loss, and fitted per-step factor of the mean > 1",
                        okFast),
                new Claim("fig4.rate_matches_rho", "the measured escape rate is consistent with the predicted ρ(η)", mRate,
                        "|ln(fitted factor of the mean loss) / ln ρ(η) − 1| ≤ " + RATE_TOLERANCE, okRate));
        EscapeSetup e = EscapeSetup.of(p.scale());
        List<String[]> setup = new ArrayList<>();
        for (Family f : FAMILIES) {
            Setup s = p.setup(f);
            setup.add(new String[] {f.label(), "n = " + s.n() + ", d = " + s.d() + ", " + f.sizeName() + " = " + s.trainSize()});
        }
        setup.add(new String[] {"minimum", "GD at η0 = 1/λ_max(G(θ0)) to L ≤ " + EscapeTask.GD_TOLERANCE + " (≤ " + e.gdSteps() + " steps)"});
        setup.add(new String[] {"escape", "η = " + EDGE_FRACTION + " · 2/λ_max at the minimum (stable for GD), B = " + e.batch() + ", "
                + e.trajectories() + " trajectories × " + e.steps() + " steps, escaped above L = " + EscapeTask.CAP});
        setup.add(new String[] {"prediction", "ρ(η): exact spectral radius of the second-moment map of linearised SGD"});
        return new FigureOutput(id(), "Exponentially fast escape from sharp minima", setup, panels,
                List.of("fig4_trajectories.csv", "fig4_mean.csv", "fig4_summary.csv"), claims);
    }

    /** One model's escape: its growth by step {@link #WITHIN}, fitted factor, ρ(η) and plot. */
    record Escape(double growth, double fit, double rho, FigureOutput.Panel panel) {
    }

    /**
     * Reads an escape run, appends its rows to the figure's tables and plots its trajectories and mean
     * into {@code dir/<fig>_<family>.png/.svg}.
     */
    static Escape escape(String fig, String title, Family f, EscapeTask t, Map<RunTask, ObjectNode> results, RunCache runs, Path dir,
                         Table all, Table means, Table summary) {
        ObjectNode r = results.get(t);
        Path rd = runs.dir(RunCache.id(t.kind(), t.key()));
        List<String[]> traj = Table.read(rd.resolve("trajectories.csv"));
        int steps = t.steps();
        double[][] loss = new double[t.trajectories()][steps + 1];
        for (double[] row : loss) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        for (int i = 1; i < traj.size(); i++) {
            String[] c = traj.get(i);
            int k = Integer.parseInt(c[0]);
            int s = Integer.parseInt(c[1]);
            loss[k][s] = Table.num(c[2]);
            all.row(f.key(), k, s, loss[k][s]);
        }
        List<String[]> curves = Table.read(rd.resolve("curves.csv"));
        List<String> header = List.of(curves.get(0));
        double[] step = new double[curves.size() - 1];
        double[] mean = new double[step.length];
        for (int i = 1; i < curves.size(); i++) {
            String[] c = curves.get(i);
            step[i - 1] = Table.num(c[header.indexOf("step")]);
            mean[i - 1] = Table.num(c[header.indexOf("mean")]);
            means.row(f.key(), step[i - 1], mean[i - 1], Table.num(c[header.indexOf("median")]),
                    Table.num(c[header.indexOf("escaped_fraction")]));
        }
        double growth = mean[Math.min(WITHIN, mean.length - 1)] / mean[0];
        double fit = r.path("fit_factor").asDouble(Double.NaN);
        double rho = r.path("rho").asDouble(Double.NaN);
        summary.row(f.key(), r.path("p").asDouble(), r.path("lr").asDouble(), t.batch(), r.path("start_loss").asDouble(Double.NaN),
                r.path("lambda_max").asDouble(Double.NaN), r.path("hessian_frobenius").asDouble(Double.NaN), r.path("mu").asDouble(Double.NaN),
                r.path("bound_thm33").asDouble(Double.NaN), r.path("gamma0").asDouble(Double.NaN), rho, fit, r.path("fit_to").asInt(),
                growth);

        List<Plots.Series> series = new ArrayList<>();
        for (double[] row : loss) {
            double[] x = new double[row.length];
            for (int s = 0; s < x.length; s++) {
                x[s] = s;
            }
            series.add(new Plots.Series(null, x, row, null, Plots.Style.THIN, new Color(31, 119, 180)));
        }
        series.add(new Plots.Series("mean over " + t.trajectories() + " trajectories", step, mean, null, Plots.Style.THICK,
                new Color(214, 39, 40)));
        String base = fig + "_" + f.key();
        Plots.save(new Plots.Chart(title + ": " + f.label() + " (η = " + String.format("%.3g", r.path("lr").asDouble()) + ", B = "
                + t.batch() + ")", "SGD step", "training loss", false, true, series), dir.resolve(base), 560, 420);
        return new Escape(growth, fit, rho, new FigureOutput.Panel(base, f.label()
                + ": SGD trajectories (blue) and their mean (red) from a GD minimum"));
    }
}
