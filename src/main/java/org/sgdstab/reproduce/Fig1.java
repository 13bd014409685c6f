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
 * Figure 1: (a) α, β and µ along SGD training for each family; (b) µ at convergence against the number
 * of parameters p, mean ± standard deviation over seeds.
 */
public final class Fig1 implements Figure {
    /** "Well above 0" for α and µ along training, fixed before any run. */
    static final double POSITIVE = 0.1;
    /** µ ≥ 0.5 for linear nets and random features. */
    static final double LINEAR_MU = 0.5;
    /** "Nearly size-independent": the largest mean µ over sizes at most this times the smallest. */
    static final double SIZE_SPREAD = 2.0;

    @Override
    public String id() {
        return "fig1";
    }

    @Override
    public List<RunTask> tasks(Problems p, long root) {
        List<RunTask> t = new ArrayList<>();
        for (Family f : Studies.FAMILIES) {
            t.add(Studies.along(p, f, root));
        }
        for (Family f : Studies.FAMILIES) {
            Studies.sizes(p, f, root).forEach(t::addAll);
        }
        return t;
    }

    @Override
    public FigureOutput render(Problems p, long root, Map<RunTask, ObjectNode> results, RunCache runs, Path dir) {
        List<FigureOutput.Panel> panels = new ArrayList<>();
        List<Claim> claims = new ArrayList<>();
        Table a = new Table("model", "step", "loss", "alpha", "beta", "mu");
        Map<String, Double> minAlpha = new LinkedHashMap<>();
        Map<String, Double> minMu = new LinkedHashMap<>();
        for (Family f : Studies.FAMILIES) {
            Map<String, double[]> tr = Studies.trajectory(runs, Studies.along(p, f, root));
            double[] step = tr.get("step");
            for (int i = 0; i < step.length; i++) {
                a.row(f.key(), step[i], tr.get("loss")[i], tr.get("alpha")[i], tr.get("beta")[i], tr.get("mu")[i]);
            }
            minAlpha.put(f.key(), Studies.min(tr.get("alpha")));
            minMu.put(f.key(), Studies.min(tr.get("mu")));
            String base = "fig1a_" + f.key();
            Plots.save(new Plots.Chart("Fig. 1a: " + f.label(), "SGD step", "alignment factor", false, false, List.of(
                    new Plots.Series("α", step, tr.get("alpha"), null, Plots.Style.LINE_MARKERS, new Color(31, 119, 180)),
                    new Plots.Series("β", step, tr.get("beta"), null, Plots.Style.LINE_MARKERS, new Color(44, 160, 44)),
                    new Plots.Series("µ", step, tr.get("mu"), null, Plots.Style.LINE_MARKERS, new Color(214, 39, 40)))),
                    dir.resolve(base), 560, 420);
            panels.add(new FigureOutput.Panel(base, "(a) " + f.label() + ": α, β, µ along training"));
        }
        a.write(dir.resolve("fig1a.csv"));

        Table b = new Table("model", "size", "p", "seeds", "mu_mean", "mu_std", "final_loss_max");
        List<Plots.Series> series = new ArrayList<>();
        Color[] colors = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(148, 103, 189)};
        Map<String, Double> spread = new LinkedHashMap<>();
        int ci = 0;
        for (Family f : Studies.FAMILIES) {
            List<List<TrainTask>> sizes = Studies.sizes(p, f, root);
            double[] px = new double[sizes.size()];
            double[] my = new double[sizes.size()];
            double[] me = new double[sizes.size()];
            for (int s = 0; s < sizes.size(); s++) {
                List<TrainTask> seeds = sizes.get(s);
                double[] mu = new double[seeds.size()];
                double worstLoss = 0;
                for (int k = 0; k < seeds.size(); k++) {
                    mu[k] = Studies.fin(results, seeds.get(k), "mu");
                    worstLoss = Math.max(worstLoss, Studies.fin(results, seeds.get(k), "loss"));
                }
                double[] ms = Studies.meanStd(mu);
                px[s] = results.get(seeds.get(0)).path("p").asDouble();
                my[s] = ms[0];
                me[s] = ms[1];
                b.row(f.key(), seeds.get(0).size(), px[s], seeds.size(), ms[0], ms[1], worstLoss);
            }
            spread.put(f.key(), Studies.max(my) / Studies.min(my));
            series.add(new Plots.Series(f.label(), px, my, me, Plots.Style.LINE_MARKERS, colors[ci++]));
        }
        b.write(dir.resolve("fig1b.csv"));
        Plots.save(new Plots.Chart("Fig. 1b: µ at convergence vs model size", "number of parameters p", "µ at convergence", true, false,
                series), dir.resolve("fig1b"), 640, 460);
        panels.add(new FigureOutput.Panel("fig1b", "(b) µ at convergence against p (mean ± sd over seeds)"));

        Map<String, Double> m1 = new LinkedHashMap<>();
        boolean ok1 = true;
        for (Family f : Studies.FAMILIES) {
            m1.put("min_alpha_" + f.key(), minAlpha.get(f.key()));
            m1.put("min_mu_" + f.key(), minMu.get(f.key()));
            ok1 &= minAlpha.get(f.key()) > POSITIVE && minMu.get(f.key()) > POSITIVE;
        }
        claims.add(new Claim("fig1.alpha_mu_positive", "α and µ stay well above 0 along training for every model", m1,
                "min over the trajectory of α and of µ > " + POSITIVE + " for every model", ok1));
        Map<String, Double> m2 = new LinkedHashMap<>();
        boolean ok2 = true;
        for (Family f : List.of(Family.LINEAR, Family.RF)) {
            m2.put("min_mu_" + f.key(), minMu.get(f.key()));
            ok2 &= minMu.get(f.key()) >= LINEAR_MU;
        }
        claims.add(new Claim("fig1.mu_linear_rf", "for linear nets and random-feature models, µ ≥ 0.5 along training", m2,
                "min over the trajectory of µ ≥ " + LINEAR_MU, ok2));
        Map<String, Double> m3 = new LinkedHashMap<>();
        boolean ok3 = true;
        for (Map.Entry<String, Double> e : spread.entrySet()) {
            m3.put("max_over_min_mu_" + e.getKey(), e.getValue());
            ok3 &= e.getValue() <= SIZE_SPREAD;
        }
        claims.add(new Claim("fig1.mu_size_independent", "µ at convergence is nearly independent of the model size", m3,
                "largest / smallest mean µ over sizes ≤ " + SIZE_SPREAD + " for every model", ok3));

        List<String[]> setup = new ArrayList<>();
        for (Family f : Studies.FAMILIES) {
            Studies.setupRows(setup, p, f);
        }
        setup.add(new String[] {"sampling", "with replacement; α, β, µ on the whole training set"});
        return new FigureOutput(id(), "The alignment property of SGD noise", setup, panels, List.of("fig1a.csv", "fig1b.csv"), claims);
    }
}
