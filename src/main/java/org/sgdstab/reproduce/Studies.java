package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The runs shared by Figures 1–3 and 5–6, built identically wherever they are used so the cache shares them. */
final class Studies {
    /** The families of Figures 1 and 2. */
    static final List<Family> FAMILIES = List.of(Family.RF, Family.LINEAR, Family.FCN, Family.CNN);
    /** The families of Figures 5 and 6. */
    static final List<Family> DEEP = List.of(Family.VGG, Family.RESNET);
    /** The two batch sizes of Figure 3b. */
    static final int[] FIG3B_BATCHES = {5, 40};

    private Studies() {
    }

    /** SGD along training at the family's training size (Figures 1a, 2; the FCN one also 3b at B = 5). */
    static TrainTask along(Problems p, Family f, long root) {
        Setup s = p.setup(f);
        return new TrainTask(f, s.trainSize(), root, Figure.runSeed(root, 0), p.learningRate(f, s.trainSize()), s.batch(), s.steps(), s.points(),
                f == Family.FCN && s.batch() == FIG3B_BATCHES[0], f == Family.FCN && s.batch() == FIG3B_BATCHES[0], false);
    }

    /** The FCN along training at batch size b with the Hessian (Figure 3b). */
    static TrainTask alongHessian(Problems p, int b, long root) {
        Setup s = p.setup(Family.FCN);
        return new TrainTask(Family.FCN, s.trainSize(), root, Figure.runSeed(root, 0), p.learningRate(Family.FCN), b, s.steps(),
                s.points(), true, true, false);
    }

    /**
     * SGD to convergence for every size and seed (Figures 1b, 3a, 6a): tasks[size][seed]. The runs of Figure 3a's
     * families also compute the Hessian at the end; VGG's and ResNet's also η*(B) (Figure 6).
     */
    static List<List<TrainTask>> sizes(Problems p, Family f, long root) {
        Setup s = p.setup(f);
        List<List<TrainTask>> out = new ArrayList<>();
        for (int size : s.sizes()) {
            List<TrainTask> seeds = new ArrayList<>();
            for (int k = 0; k < s.seeds(); k++) {
                seeds.add(converge(p, f, size, s.batch(), k, root));
            }
            out.add(seeds);
        }
        return out;
    }

    /** The training size of a Figure 6 family trained to convergence at batch size b, seed index 0 (Figure 6b). */
    static TrainTask batch(Problems p, Family f, int b, long root) {
        return converge(p, f, p.setup(f).trainSize(), b, 0, root);
    }

    private static TrainTask converge(Problems p, Family f, int size, int b, int seedIndex, long root) {
        Setup s = p.setup(f);
        boolean deep = DEEP.contains(f);
        return new TrainTask(f, size, root, Figure.runSeed(root, seedIndex), p.learningRate(f, size), b, s.steps(), 0, false,
                deep || Fig3.SIZE_FAMILIES.contains(f), deep);
    }

    /** A run's trajectory.csv as columns by name. */
    static Map<String, double[]> trajectory(RunCache cache, TrainTask t) {
        Path f = cache.dir(RunCache.id(t.kind(), t.key())).resolve("trajectory.csv");
        List<String[]> rows = Table.read(f);
        String[] header = rows.get(0);
        Map<String, double[]> cols = new java.util.LinkedHashMap<>();
        for (int c = 0; c < header.length; c++) {
            double[] v = new double[rows.size() - 1];
            for (int r = 1; r < rows.size(); r++) {
                v[r - 1] = Table.num(rows.get(r)[c]);
            }
            cols.put(header[c], v);
        }
        return cols;
    }

    /** A final value of a training run. */
    static double fin(Map<RunTask, ObjectNode> results, RunTask t, String key) {
        ObjectNode o = results.get(t);
        return o.path("final").path(key).isNumber() ? o.path("final").path(key).asDouble() : Double.NaN;
    }

    /** Mean and sample standard deviation of the finite values. */
    static double[] meanStd(double[] v) {
        double s = 0;
        int c = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x;
                c++;
            }
        }
        double mean = c == 0 ? Double.NaN : s / c;
        double ss = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                ss += (x - mean) * (x - mean);
            }
        }
        return new double[] {mean, c > 1 ? Math.sqrt(ss / (c - 1)) : 0.0};
    }

    /** The minimum of the finite values (NaN if none). */
    static double min(double[] v) {
        double m = Double.NaN;
        for (double x : v) {
            if (Double.isFinite(x) && !(x >= m)) {
                m = x;
            }
        }
        return m;
    }

    /** The maximum of the finite values (NaN if none). */
    static double max(double[] v) {
        double m = Double.NaN;
        for (double x : v) {
            if (Double.isFinite(x) && !(x <= m)) {
                m = x;
            }
        }
        return m;
    }

    /** Setup rows common to the families of a figure. */
    static void setupRows(List<String[]> rows, Problems p, Family f) {
        Setup s = p.setup(f);
        rows.add(new String[] {f.label(), "n = " + s.n() + ", d = " + s.d() + ", " + f.sizeName() + " ∈ " + java.util.Arrays.toString(s.sizes())
                + " (trajectories at " + s.trainSize() + "), η = " + String.format("%.4g", p.learningRate(f)) + ", B = " + s.batch()
                + ", ≤ " + s.steps() + " steps (stop at L ≤ " + Setup.TOLERANCE + "), " + s.seeds() + " seeds"});
    }
}
