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
 * Figure 6: (a) flatness ‖H‖_F at convergence against the Theorem 3.3 bound sqrt(B/µ)/η across depths of
 * VGG- and ResNet-style networks; (b) the tightness ratio ‖H‖_F / (sqrt(B/µ)/η) against the batch size, with
 * the exact critical learning rate η*(B) of linearised SGD at each end point next to the bound's learning
 * rate sqrt(B/µ)/‖H‖_F (Theorem 3.3 read as a bound on η: stability at η needs η ≤ sqrt(B/µ)/‖H‖_F).
 */
public final class Fig6 implements Figure {
    private static final Color[] COLORS = {new Color(214, 39, 40), new Color(31, 119, 180)};

    /** The batch sizes of panel (b), each trained to convergence at the same η; the first is the default B. */
    static int[] batches(Scale s) {
        return switch (s) {
            case TINY -> new int[] {5, 10};
            case QUICK -> new int[] {5, 10, 20, 40};
            case FULL -> new int[] {5, 10, 20, 50, 100, 200};
        };
    }

    /**
     * The networks of panel (b). At the quick scale only the ResNet: VGG-11 on 28×28 images trains at a small η
     * (its curvature at initialisation is large) and a step at B = 40 costs 8 of B = 5, so its batch runs alone
     * would take over an hour on 2 cores.
     */
    static List<Family> batchFamilies(Scale s) {
        return s == Scale.QUICK ? List.of(Family.RESNET) : Studies.DEEP;
    }

    @Override
    public String id() {
        return "fig6";
    }

    @Override
    public List<RunTask> tasks(Problems p, long root) {
        List<RunTask> t = new ArrayList<>();
        for (Family f : Studies.DEEP) {
            Studies.sizes(p, f, root).forEach(t::addAll);
        }
        for (Family f : batchFamilies(p.scale())) {
            for (int b : batches(p.scale())) {
                t.add(Studies.batch(p, f, b, root));
            }
        }
        return t;
    }

    /** One converged run's numbers. */
    private record End(double loss, double frobenius, double mu, double bound, double ratio, double criticalLr, double lrBound) {
        static End of(Map<RunTask, ObjectNode> results, TrainTask t) {
            double hf = Studies.fin(results, t, "hessian_frobenius");
            double mu = Studies.fin(results, t, "mu");
            double bound = Studies.fin(results, t, "bound_thm33");
            return new End(Studies.fin(results, t, "loss"), hf, mu, bound, hf / bound, Studies.fin(results, t, "critical_lr"),
                    Math.sqrt(t.batch() / mu) / hf);
        }
    }

    @Override
    public FigureOutput render(Problems p, long root, Map<RunTask, ObjectNode> results, RunCache runs, Path dir) {
        List<FigureOutput.Panel> panels = new ArrayList<>();
        Map<String, Double> mBound = new LinkedHashMap<>();
        boolean okBound = true;
        Table a = new Table("model", "depth", "p", "seed", "lr", "batch_size", "status", "steps", "final_loss", "hessian_frobenius", "mu",
                "bound_thm33", "ratio", "critical_lr", "lr_bound_thm33");
        for (Family f : Studies.DEEP) {
            List<List<TrainTask>> sizes = Studies.sizes(p, f, root);
            int ns = sizes.size();
            double[] depth = new double[ns];
            double[][] fro = new double[2][ns];
            double[][] bnd = new double[2][ns];
            double worst = 0;
            for (int s = 0; s < ns; s++) {
                List<TrainTask> seeds = sizes.get(s);
                double[] hf = new double[seeds.size()];
                double[] bd = new double[seeds.size()];
                for (int k = 0; k < seeds.size(); k++) {
                    TrainTask t = seeds.get(k);
                    End e = End.of(results, t);
                    hf[k] = e.frobenius();
                    bd[k] = e.bound();
                    worst = Double.isNaN(e.ratio()) ? Double.NaN : Math.max(worst, e.ratio());
                    ObjectNode r = results.get(t);
                    a.row(f.key(), t.size(), r.path("p").asDouble(), k, t.lr(), t.batch(), r.path("status").asText(), r.path("steps").asDouble(),
                            e.loss(), e.frobenius(), e.mu(), e.bound(), e.ratio(), e.criticalLr(), e.lrBound());
                }
                depth[s] = seeds.get(0).size();
                double[] f1 = Studies.meanStd(hf);
                double[] b1 = Studies.meanStd(bd);
                fro[0][s] = f1[0];
                fro[1][s] = f1[1];
                bnd[0][s] = b1[0];
                bnd[1][s] = b1[1];
            }
            mBound.put("max_ratio_over_depths_" + f.key(), worst);
            okBound &= worst <= 1.0;
            String base = "fig6a_" + f.key();
            Plots.save(new Plots.Chart("Fig. 6a: " + f.label(), "depth", "at convergence", false, decades(fro[0], bnd[0]), List.of(
                    new Plots.Series("‖H‖_F", depth, fro[0], fro[1], Plots.Style.LINE_MARKERS, COLORS[0]),
                    new Plots.Series("sqrt(B/µ)/η", depth, bnd[0], bnd[1], Plots.Style.LINE_MARKERS, COLORS[1]))),
                    dir.resolve(base), 560, 420);
            panels.add(new FigureOutput.Panel(base, "(a) " + f.label() + ": ‖H‖_F at convergence and the Theorem 3.3 bound across depths"));
        }
        a.write(dir.resolve("fig6a.csv"));

        int[] bs = batches(p.scale());
        Table b = new Table("model", "depth", "batch_size", "lr", "status", "steps", "final_loss", "hessian_frobenius", "mu", "bound_thm33",
                "ratio", "critical_lr", "lr_bound_thm33");
        Map<String, Double> mTight = new LinkedHashMap<>();
        Map<String, Double> mCrit = new LinkedHashMap<>();
        boolean okTight = true;
        boolean okCrit = true;
        List<Plots.Series> ratioSeries = new ArrayList<>();
        List<Plots.Series> lrSeries = new ArrayList<>();
        double[] x = new double[bs.length];
        for (int i = 0; i < bs.length; i++) {
            x[i] = bs[i];
        }
        int ci = 0;
        for (Family f : batchFamilies(p.scale())) {
            double[] ratio = new double[bs.length];
            double[] crit = new double[bs.length];
            double[] lrBound = new double[bs.length];
            double[] lr = new double[bs.length];
            for (int i = 0; i < bs.length; i++) {
                TrainTask t = Studies.batch(p, f, bs[i], root);
                End e = End.of(results, t);
                ObjectNode r = results.get(t);
                ratio[i] = e.ratio();
                crit[i] = e.criticalLr();
                lrBound[i] = e.lrBound();
                lr[i] = t.lr();
                b.row(f.key(), t.size(), bs[i], t.lr(), r.path("status").asText(), r.path("steps").asDouble(), e.loss(), e.frobenius(), e.mu(),
                        e.bound(), e.ratio(), e.criticalLr(), e.lrBound());
                okBound &= e.ratio() <= 1.0;
                // η* is a property of the end point; the bound's learning rate at the same point must lie above it.
                okCrit &= e.criticalLr() <= e.lrBound();
            }
            mBound.put("max_ratio_over_batch_sizes_" + f.key(), Studies.max(ratio));
            mTight.put("ratio_B" + bs[0] + "_" + f.key(), ratio[0]);
            mTight.put("ratio_B" + bs[bs.length - 1] + "_" + f.key(), ratio[bs.length - 1]);
            okTight &= ratio[0] > ratio[bs.length - 1];
            mCrit.put("max_critical_over_bound_lr_" + f.key(), Studies.max(divide(crit, lrBound)));
            ratioSeries.add(new Plots.Series(f.label(), x, ratio, null, Plots.Style.LINE_MARKERS, COLORS[ci]));
            lrSeries.add(new Plots.Series("η*(B) " + f.key(), x, crit, null, Plots.Style.LINE_MARKERS, COLORS[ci]));
            lrSeries.add(new Plots.Series("sqrt(B/µ)/‖H‖_F " + f.key(), x, lrBound, null, Plots.Style.LINE, COLORS[ci]));
            lrSeries.add(new Plots.Series("η used " + f.key(), x, lr, null, Plots.Style.THIN, COLORS[ci]));
            ci++;
        }
        List<String> bNets = batchFamilies(p.scale()).stream().map(Family::key).toList();
        b.write(dir.resolve("fig6b.csv"));
        Plots.save(new Plots.Chart("Fig. 6b: tightness of the Theorem 3.3 bound", "batch size B", "‖H‖_F / (sqrt(B/µ)/η)", true, false,
                ratioSeries), dir.resolve("fig6b"), 560, 420);
        panels.add(new FigureOutput.Panel("fig6b", "(b) ‖H‖_F / (sqrt(B/µ)/η) at convergence against B (same η for every B)"));
        boolean logLr = decades(lrSeries.stream().map(Plots.Series::y).toArray(double[][]::new));
        Plots.save(new Plots.Chart("Fig. 6b: exact η*(B) and the bound's learning rate", "batch size B", "learning rate", true, logLr,
                lrSeries), dir.resolve("fig6b_lr"), 560, 420);
        panels.add(new FigureOutput.Panel("fig6b_lr", "(b) exact critical learning rate η*(B) at each end point, the bound's "
                + "sqrt(B/µ)/‖H‖_F there, and the η trained with"));

        List<Claim> claims = List.of(
                new Claim("fig6.bound_holds", "‖H‖_F at convergence stays below the Theorem 3.3 bound sqrt(B/µ)/η", mBound,
                        "‖H‖_F / bound ≤ 1 at every depth, seed and batch size", okBound),
                new Claim("fig6.tighter_small_batch", "the bound tightens as the batch size decreases", mTight,
                        "ratio at B = " + bs[0] + " > ratio at B = " + bs[bs.length - 1] + " for " + String.join(" and ", bNets), okTight),
                new Claim("fig6.critical_below_bound", "the exact critical learning rate η*(B) lies below the bound's sqrt(B/µ)/‖H‖_F", mCrit,
                        "η*(B) ≤ sqrt(B/µ)/‖H‖_F at the end point of every run of panel (b)", okCrit));
        List<String[]> setup = new ArrayList<>();
        for (Family f : Studies.DEEP) {
            Fig5.deepSetupRow(setup, p, f);
        }
        setup.add(new String[] {"Hessian", "‖H‖_F exact (p ≤ " + TrainTask.EXACT_MAX_P + ") or Hutchinson with " + TrainTask.PROBES + " probes"});
        setup.add(new String[] {"(b)", String.join(", ", bNets) + " at the training depth, the same η, B ∈ " + java.util.Arrays.toString(bs)
                + "; η*(B): exact critical learning rate of linearised SGD (second-moment map, with replacement) at each end point"});
        return new FigureOutput(id(), "Flatness against the Theorem 3.3 bound for VGG- and ResNet-style networks", setup, panels,
                List.of("fig6a.csv", "fig6b.csv"), claims);
    }

    /** Whether the finite positive values span more than a decade (a log axis shows no labels within one). */
    static boolean decades(double[]... values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double[] v : values) {
            for (double x : v) {
                if (x > 0 && Double.isFinite(x)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        return hi > 10 * lo;
    }

    private static double[] divide(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return r;
    }
}
