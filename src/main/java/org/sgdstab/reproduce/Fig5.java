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
 * Figure 5: (a) α, β and µ along SGD training of a VGG-style and a ResNet-style network on real images;
 * (b) escape from GD minima of the same networks (the protocol of Figure 4, {@link EscapeTask}).
 */
public final class Fig5 implements Figure {
    /** Escape sizes: trajectories, steps, GD budget (full-batch steps of a deep CNN are the cost), batch size. */
    static Fig4.EscapeSetup escapeSetup(Scale s) {
        return switch (s) {
            case TINY -> new Fig4.EscapeSetup(10, 12, 50, 1);
            case QUICK -> new Fig4.EscapeSetup(100, 30, 1000, 1);
            case FULL -> new Fig4.EscapeSetup(200, 50, 20000, 1);
        };
    }

    @Override
    public String id() {
        return "fig5";
    }

    static EscapeTask escapeTask(Problems p, Family f, long root) {
        Fig4.EscapeSetup e = escapeSetup(p.scale());
        return new EscapeTask(f, p.setup(f).trainSize(), root, Figure.runSeed(root, 0), e.batch(), e.trajectories(), e.steps(), e.gdSteps(),
                Fig4.EDGE_FRACTION);
    }

    @Override
    public List<RunTask> tasks(Problems p, long root) {
        List<RunTask> t = new ArrayList<>();
        for (Family f : Studies.DEEP) {
            t.add(Studies.along(p, f, root));
        }
        for (Family f : Studies.DEEP) {
            t.add(escapeTask(p, f, root));
        }
        return t;
    }

    @Override
    public FigureOutput render(Problems p, long root, Map<RunTask, ObjectNode> results, RunCache runs, Path dir) {
        List<FigureOutput.Panel> panels = new ArrayList<>();
        Table a = new Table("model", "depth", "step", "loss", "alpha", "beta", "mu");
        Map<String, Double> mAlign = new LinkedHashMap<>();
        boolean okAlign = true;
        for (Family f : Studies.DEEP) {
            TrainTask t = Studies.along(p, f, root);
            Map<String, double[]> tr = Studies.trajectory(runs, t);
            double[] step = tr.get("step");
            for (int i = 0; i < step.length; i++) {
                a.row(f.key(), t.size(), step[i], tr.get("loss")[i], tr.get("alpha")[i], tr.get("beta")[i], tr.get("mu")[i]);
            }
            double minAlpha = Studies.min(tr.get("alpha"));
            double minMu = Studies.min(tr.get("mu"));
            mAlign.put("min_alpha_" + f.key(), minAlpha);
            mAlign.put("min_mu_" + f.key(), minMu);
            mAlign.put("final_loss_" + f.key(), tr.get("loss")[step.length - 1]);
            okAlign &= minAlpha > Fig1.POSITIVE && minMu > Fig1.POSITIVE;
            String base = "fig5a_" + f.key();
            Plots.save(new Plots.Chart("Fig. 5a: " + f.label() + "-" + t.size(), "SGD step", "alignment factor", false, false, List.of(
                    new Plots.Series("α", step, tr.get("alpha"), null, Plots.Style.LINE_MARKERS, new Color(31, 119, 180)),
                    new Plots.Series("β", step, tr.get("beta"), null, Plots.Style.LINE_MARKERS, new Color(44, 160, 44)),
                    new Plots.Series("µ", step, tr.get("mu"), null, Plots.Style.LINE_MARKERS, new Color(214, 39, 40)))),
                    dir.resolve(base), 560, 420);
            panels.add(new FigureOutput.Panel(base, "(a) " + f.label() + "-" + t.size() + ": α, β, µ along training"));
        }
        a.write(dir.resolve("fig5a.csv"));

        Table all = new Table("model", "trajectory", "step", "loss");
        Table means = new Table("model", "step", "mean", "median", "escaped_fraction");
        Table summary = new Table("model", "p", "lr", "batch_size", "start_loss", "lambda_max", "hessian_frobenius", "mu", "bound_thm33",
                "gamma0", "rho", "fit_factor", "fit_to", "mean_growth_at_10");
        Map<String, Double> mFast = new LinkedHashMap<>();
        boolean okFast = true;
        for (Family f : Studies.DEEP) {
            Fig4.Escape e = Fig4.escape("fig5b", "Fig. 5b", f, escapeTask(p, f, root), results, runs, dir, all, means, summary);
            panels.add(new FigureOutput.Panel(e.panel().file(), "(b) " + e.panel().caption()));
            mFast.put("mean_loss_growth_at_step_" + Fig4.WITHIN + "_" + f.key(), e.growth());
            mFast.put("fitted_factor_" + f.key(), e.fit());
            mFast.put("rho_" + f.key(), e.rho());
            okFast &= e.growth() >= Fig4.GROWTH && e.fit() > 1;
        }
        all.write(dir.resolve("fig5b_trajectories.csv"));
        means.write(dir.resolve("fig5b_mean.csv"));
        summary.write(dir.resolve("fig5b_summary.csv"));

        List<Claim> claims = List.of(
                new Claim("fig5.alpha_mu_positive", "α and µ stay well above 0 along training for the VGG and ResNet networks", mAlign,
                        "min over the trajectory of α and of µ > " + Fig1.POSITIVE + " for both networks", okAlign),
                new Claim("fig5.escape_exponential", "for VGG and ResNet the mean escape trajectory grows by orders of magnitude within about 10 steps",
                        mFast, "mean loss at step " + Fig4.WITHIN + " ≥ " + Fig4.GROWTH + " × start loss, and fitted per-step factor of the mean > 1",
                        okFast));
        List<String[]> setup = new ArrayList<>();
        for (Family f : Studies.DEEP) {
            deepSetupRow(setup, p, f);
        }
        Fig4.EscapeSetup e = escapeSetup(p.scale());
        setup.add(new String[] {"(a)", "SGD with replacement at the training depth; α, β, µ on the whole training set"});
        setup.add(new String[] {"(b) minimum", "GD at η0 = 1/λ_max(G(θ0)) to L ≤ " + EscapeTask.GD_TOLERANCE + " (≤ " + e.gdSteps() + " steps)"});
        setup.add(new String[] {"(b) escape", "η = " + Fig4.EDGE_FRACTION + " · 2/λ_max(H) at the minimum (stable for GD), B = " + e.batch()
                + ", " + e.trajectories() + " trajectories × " + e.steps() + " steps, escaped above L = " + EscapeTask.CAP});
        return new FigureOutput(id(), "Alignment and escape for VGG- and ResNet-style networks", setup, panels,
                List.of("fig5a.csv", "fig5b_trajectories.csv", "fig5b_mean.csv", "fig5b_summary.csv"), claims);
    }

    /** The setup row of a Figure 5/6 family: data, architecture, initialisation, η per depth. */
    static void deepSetupRow(List<String[]> rows, Problems p, Family f) {
        Setup s = p.setup(f);
        int side = (int) Math.round(Math.sqrt(s.d()));
        StringBuilder lrs = new StringBuilder();
        for (int depth : s.sizes()) {
            lrs.append(lrs.length() == 0 ? "" : ", ").append(depth).append(": ").append(String.format("%.4g", p.learningRate(f, depth)));
        }
        String init = f == Family.RESNET ? "Fixup init" : "He init N(0, 2/fan_in), no batch norm";
        rows.add(new String[] {f.label(), "n = " + s.n() + ", 1×" + side + "×" + side + ", depths " + java.util.Arrays.toString(s.sizes())
                + " (training depth " + s.trainSize() + "), channel multiplier " + Problems.channelMultiplier(f, p.scale()) + ", " + init
                + "; η per depth (" + s.lrFraction() + " · 2/λ_max(G(θ0))) = {" + lrs + "}, B = " + s.batch() + ", ≤ " + s.steps()
                + " steps (stop at L ≤ " + Setup.TOLERANCE + "), " + s.seeds() + " seed(s)"});
    }
}
