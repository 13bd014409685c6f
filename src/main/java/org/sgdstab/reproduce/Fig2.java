package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.report.Plots;

/** Figure 2: the norm uniformity γ of model gradients along the trajectories of Figure 1a. */
public final class Fig2 implements Figure {
    /** "Bounded below": the smallest γ along every trajectory above this, fixed before any run. */
    static final double GAMMA_FLOOR = 0.1;

    @Override
    public String id() {
        return "fig2";
    }

    @Override
    public List<RunTask> tasks(Problems p, long root) {
        List<RunTask> t = new ArrayList<>();
        for (Family f : Studies.FAMILIES) {
            t.add(Studies.along(p, f, root));
        }
        return t;
    }

    @Override
    public FigureOutput render(Problems p, long root, Map<RunTask, ObjectNode> results, RunCache runs, Path dir) {
        Table t = new Table("model", "step", "loss", "gamma", "mu1");
        List<Plots.Series> series = new ArrayList<>();
        Color[] colors = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(148, 103, 189)};
        Map<String, Double> m = new LinkedHashMap<>();
        boolean ok = true;
        int ci = 0;
        for (Family f : Studies.FAMILIES) {
            Map<String, double[]> tr = Studies.trajectory(runs, Studies.along(p, f, root));
            for (int i = 0; i < tr.get("step").length; i++) {
                t.row(f.key(), tr.get("step")[i], tr.get("loss")[i], tr.get("gamma")[i], tr.get("mu1")[i]);
            }
            double g = Studies.min(tr.get("gamma"));
            m.put("min_gamma_" + f.key(), g);
            ok &= g > GAMMA_FLOOR;
            series.add(new Plots.Series(f.label(), tr.get("step"), tr.get("gamma"), null, Plots.Style.LINE_MARKERS, colors[ci++]));
        }
        t.write(dir.resolve("fig2.csv"));
        Plots.save(new Plots.Chart("Fig. 2: norm uniformity of model gradients", "SGD step", "γ = min χ_i / mean χ_i", false, false,
                series), dir.resolve("fig2"), 640, 460);
        List<Claim> claims = List.of(new Claim("fig2.gamma_bounded", "γ stays bounded below along training", m,
                "min over the trajectory of γ > " + GAMMA_FLOOR + " for every model", ok));
        List<String[]> setup = new ArrayList<>();
        for (Family f : Studies.FAMILIES) {
            Studies.setupRows(setup, p, f);
        }
        setup.add(new String[] {"trajectories", "the same runs as Figure 1a"});
        return new FigureOutput(id(), "The norm uniformity of model gradients", setup,
                List.of(new FigureOutput.Panel("fig2", "γ(θ_t) along SGD training")), List.of("fig2.csv"), claims);
    }
}
