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
 * Figure 3: (a) ‖H‖_F and Tr H at convergence against p (deep linear net and FCN; mean ± sd over seeds);
 * (b) ‖H‖_F / (sqrt(B/µ)/η) along training of the FCN for B = 5 and B = 40.
 */
public final class Fig3 implements Figure {
    /** The families of panel (a): random features in the NTK scaling have size-independent curvature by construction. */
    static final List<Family> SIZE_FAMILIES = List.of(Family.LINEAR, Family.FCN);
    /** "Varies little": largest mean ‖H‖_F over sizes at most this times the smallest. */
    static final double FROBENIUS_SPREAD = 2.0;
    /** "Grows with p": Tr H at the largest size at least this times Tr H at the smallest. */
    static final double TRACE_GROWTH = 3.0;

    @Override
    public String id() {
        return "fig3";
    }

    @Override
    public List<RunTask> tasks(Problems p, long root) {
        List<RunTask> t = new ArrayList<>();
        for (Family f : SIZE_FAMILIES) {
            Studies.sizes(p, f, root).forEach(t::addAll);
        }
        for (int b : Studies.FIG3B_BATCHES) {
            t.add(Studies.alongHessian(p, b, root));
        }
        return t;
    }

    @Override
    public FigureOutput render(Problems p, long root, Map<RunTask, ObjectNode> results, RunCache runs, Path dir) {
        List<Claim> claims = new ArrayList<>();
        List<FigureOutput.Panel> panels = new ArrayList<>();
        Table a = new Table("model", "size", "p", "seeds", "hessian_frobenius_mean", "hessian_frobenius_std", "hessian_trace_mean",
                "hessian_trace_std", "bound_thm33_mean");
        Map<String, Double> mF = new LinkedHashMap<>();
        Map<String, Double> mT = new LinkedHashMap<>();
        boolean okF = true;
        boolean okT = true;
        for (Family f : SIZE_FAMILIES) {
            List<List<TrainTask>> sizes = Studies.sizes(p, f, root);
            int ns = sizes.size();
            double[] px = new double[ns];
            double[][] fro = new double[2][ns];
            double[][] tr = new double[2][ns];
            for (int s = 0; s < ns; s++) {
                List<TrainTask> seeds = sizes.get(s);
                double[] hf = new double[seeds.size()];
                double[] ht = new double[seeds.size()];
                double[] bd = new double[seeds.size()];
                for (int k = 0; k < seeds.size(); k++) {
                    hf[k] = Studies.fin(results, seeds.get(k), "hessian_frobenius");
                    ht[k] = Studies.fin(results, seeds.get(k), "hessian_trace");
                    bd[k] = Studies.fin(results, seeds.get(k), "bound_thm33");
                }
                px[s] = results.get(seeds.get(0)).path("p").asDouble();
                double[] f1 = Studies.meanStd(hf);
                double[] t1 = Studies.meanStd(ht);
                fro[0][s] = f1[0];
                fro[1][s] = f1[1];
                tr[0][s] = t1[0];
                tr[1][s] = t1[1];
                a.row(f.key(), seeds.get(0).size(), px[s], seeds.size(), f1[0], f1[1], t1[0], t1[1], Studies.meanStd(bd)[0]);
            }
            double spread = Studies.max(fro[0]) / Studies.min(fro[0]);
            double growth = tr[0][ns - 1] / tr[0][0];
            mF.put("max_over_min_frobenius_" + f.key(), spread);
            mT.put("trace_largest_over_smallest_" + f.key(), growth);
            mT.put("p_largest_over_smallest_" + f.key(), px[ns - 1] / px[0]);
            okF &= spread <= FROBENIUS_SPREAD;
            okT &= growth >= TRACE_GROWTH;
            String base = "fig3a_" + f.key();
            Plots.save(new Plots.Chart("Fig. 3a: " + f.label(), "number of parameters p", "at convergence", true, true, List.of(
                    new Plots.Series("‖H‖_F", px, fro[0], fro[1], Plots.Style.LINE_MARKERS, new Color(214, 39, 40)),
                    new Plots.Series("Tr H", px, tr[0], tr[1], Plots.Style.LINE_MARKERS, new Color(31, 119, 180)))),
                    dir.resolve(base), 560, 420);
            panels.add(new FigureOutput.Panel(base, "(a) " + f.label() + ": ‖H‖_F and Tr H at convergence against p"));
        }
        a.write(dir.resolve("fig3a.csv"));
        claims.add(new Claim("fig3.frobenius_flat", "‖H‖_F at convergence varies little across model sizes", mF,
                "largest / smallest mean ‖H‖_F over sizes ≤ " + FROBENIUS_SPREAD, okF));
        claims.add(new Claim("fig3.trace_grows", "Tr H at convergence grows with p", mT,
                "Tr H(largest p) / Tr H(smallest p) ≥ " + TRACE_GROWTH, okT));

        Table b = new Table("batch_size", "step", "loss", "hessian_frobenius", "mu", "bound_thm33", "ratio");
        List<Plots.Series> series = new ArrayList<>();
        Map<String, Double> mB = new LinkedHashMap<>();
        Map<String, Double> mTight = new LinkedHashMap<>();
        boolean okB = true;
        double[] late = new double[Studies.FIG3B_BATCHES.length];
        Color[] colors = {new Color(214, 39, 40), new Color(31, 119, 180)};
        for (int i = 0; i < Studies.FIG3B_BATCHES.length; i++) {
            int bs = Studies.FIG3B_BATCHES[i];
            Map<String, double[]> tr = Studies.trajectory(runs, Studies.alongHessian(p, bs, root));
            double[] step = tr.get("step");
            double[] ratio = new double[step.length];
            for (int k = 0; k < step.length; k++) {
                ratio[k] = tr.get("hessian_frobenius")[k] / tr.get("bound_thm33")[k];
                b.row(bs, step[k], tr.get("loss")[k], tr.get("hessian_frobenius")[k], tr.get("mu")[k], tr.get("bound_thm33")[k], ratio[k]);
            }
            double maxRatio = Studies.max(ratio);
            mB.put("max_ratio_B" + bs, maxRatio);
            okB &= maxRatio <= 1.0;
            // Tightness once training has settled: the mean ratio over the second half of the trajectory.
            double[] tail = java.util.Arrays.copyOfRange(ratio, ratio.length / 2, ratio.length);
            late[i] = Studies.meanStd(tail)[0];
            mTight.put("mean_ratio_second_half_B" + bs, late[i]);
            series.add(new Plots.Series("B = " + bs, step, ratio, null, Plots.Style.LINE_MARKERS, colors[i]));
        }
        b.write(dir.resolve("fig3b.csv"));
        Plots.save(new Plots.Chart("Fig. 3b: ‖H‖_F / (sqrt(B/µ)/η) along training (FCN)", "SGD step", "‖H‖_F / bound", false, false,
                series), dir.resolve("fig3b"), 640, 460);
        panels.add(new FigureOutput.Panel("fig3b", "(b) ratio of ‖H‖_F to the Theorem 3.3 bound along training, B = 5 and 40"));
        claims.add(new Claim("fig3.bound_holds", "‖H‖_F stays below the Theorem 3.3 bound sqrt(B/µ)/η along training", mB,
                "max over the trajectory of ‖H‖_F / bound ≤ 1 for both batch sizes", okB));
        claims.add(new Claim("fig3.tighter_small_batch", "the bound is tighter for B = 5 than for B = 40", mTight,
                "mean ratio over the second half of training larger for B = 5", late[0] > late[1]));

        List<String[]> setup = new ArrayList<>();
        for (Family f : SIZE_FAMILIES) {
            Studies.setupRows(setup, p, f);
        }
        setup.add(new String[] {"Hessian", "exact (p ≤ " + TrainTask.EXACT_MAX_P + ") or Hutchinson with " + TrainTask.PROBES + " probes"});
        setup.add(new String[] {"panel (b)", "FCN at width " + p.setup(Family.FCN).trainSize() + ", same η, B ∈ {5, 40}"});
        return new FigureOutput(id(), "Flatness at convergence and the Theorem 3.3 bound", setup, panels,
                List.of("fig3a.csv", "fig3b.csv"), claims);
    }
}
