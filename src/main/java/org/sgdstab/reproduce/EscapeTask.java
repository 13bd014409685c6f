package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.analysis.Analyzer;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.experiments.EscapeConfig;
import org.sgdstab.experiments.EscapeExperiment;
import org.sgdstab.experiments.GrowthFit;
import org.sgdstab.nn.Model;
import org.sgdstab.noise.NoiseAlignment;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.TrainConfig;
import org.sgdstab.train.Trainer;

/**
 * The paper's Figure 4 protocol for one model: find a minimum by GD, then start {@code trajectories} SGD
 * runs from it at the learning rate GD used last. Three stages:
 * <ol>
 *   <li>GD from a fresh model at η0 = 1/λ_max(G(θ0)) (half the GD edge) for up to {@code gdSteps} steps;</li>
 *   <li>η = {@code edgeFraction} · 2/λ_max(H) at the point GD reached: sharp enough that SGD noise is
 *       unstable there, yet stable for GD (λ_max &lt; 2/η);</li>
 *   <li>{@link EscapeExperiment} from that point (no further GD: at η the curvature may keep growing while
 *       GD continues, as in deep linear nets): R SGD trajectories at η with batch B.</li>
 * </ol>
 * The escape's outputs (trajectories.csv, curves.csv, summary.json, escape.png) are in the run directory.
 *
 * @param family       model family
 * @param size         the family's size parameter
 * @param rootSeed     the reproduction's seed (fixes the data)
 * @param runSeed      the run's seed
 * @param batch        B of the SGD trajectories
 * @param trajectories R
 * @param steps        SGD steps per trajectory
 * @param gdSteps      step budget of each GD stage
 * @param edgeFraction η as a fraction of the GD edge at the minimum
 */
public record EscapeTask(Family family, int size, long rootSeed, long runSeed, int batch, int trajectories, int steps, int gdSteps,
                         double edgeFraction) implements RunTask {
    /** GD stops at this training loss; the escape starts from there. */
    static final double GD_TOLERANCE = 1e-8;
    /** A trajectory whose loss exceeds this has escaped. */
    static final double CAP = 1e3;

    @Override
    public String kind() {
        return "escape-" + family.key();
    }

    @Override
    public ObjectNode key() {
        ObjectNode k = Json.object();
        k.put("family", family.key());
        k.put("size", size);
        k.put("root_seed", rootSeed);
        k.put("run_seed", runSeed);
        k.put("batch_size", batch);
        k.put("trajectories", trajectories);
        k.put("steps", steps);
        k.put("gd_steps", gdSteps);
        k.put("edge_fraction", edgeFraction);
        k.put("gd_tolerance", GD_TOLERANCE);
        k.put("cap", CAP);
        k.put("protocol", "gd-then-sgd-at-0.9-edge");
        return k;
    }

    @Override
    public String label() {
        return "escape " + family.key() + " " + size;
    }

    @Override
    public ObjectNode execute(Problems problems, Path dir, BooleanSupplier stop) {
        Dataset data = problems.data(family);
        Model start = problems.model(family, size, runSeed ^ MODEL_SEED_MASK);
        double lambda0 = NoiseAlignment.of(start.network(), start.theta(), data.x(), data.y()).fisherLambdaMax();
        double eta0 = 1.0 / lambda0;
        TrainConfig gd = new TrainConfig(TrainConfig.Optimizer.GD, Sampling.WITH_REPLACEMENT, eta0, 1, gdSteps, runSeed, 10, 0, 1,
                GD_TOLERANCE, 1e6, 0);
        Trainer.Result stage1 = Trainer.run(start, data, gd, null, stop, (step, loss, diag) -> { });
        if (stage1.status() == Trainer.Status.INTERRUPTED) {
            return null;
        }
        Model found = start.withTheta(stage1.theta());
        // The Hessian's top eigenvalue (not the Fisher's): GD's own stability is decided by H where it stopped.
        double lambda1 = Analyzer.analyze(found, data, new AnalysisOptions(1.0, 1, Sampling.WITH_REPLACEMENT, CurvatureSummary.Method.AUTO,
                2, 1, false, runSeed)).hessian().lambdaMax();
        double eta = edgeFraction * 2.0 / lambda1;
        EscapeConfig cfg = new EscapeConfig(eta, batch, Sampling.WITH_REPLACEMENT, trajectories, steps, runSeed, GD_TOLERANCE, gdSteps,
                true, CAP, 1, 0, new double[] {1e-4, 1e-3, 1e-2, 1e-1, 1}, null, data.size());
        Provenance prov = Provenance.now("reproduce escape", runSeed, key());
        EscapeExperiment.Result r = EscapeExperiment.execute(found, data, cfg, dir, prov, stop);
        if (!"completed".equals(r.status())) {
            return null;
        }
        ObjectNode done = Json.object();
        done.put("p", start.parameterCount());
        done.put("n", data.size());
        done.put("lr", eta);
        Json.put(done, "gd_lr", eta0);
        done.put("gd_stage1_steps", stage1.steps());
        Json.put(done, "gd_stage1_loss", stage1.finalLoss());
        done.put("gd_polish_steps", r.gd().steps());
        Json.put(done, "start_loss", r.startLoss());
        Json.put(done, "lambda_max", r.analysis().noise().fisherLambdaMax());
        Json.put(done, "hessian_frobenius", r.analysis().flatness());
        Json.put(done, "mu", r.analysis().noise().mu());
        Json.put(done, "gamma0", r.gamma0());
        Json.put(done, "bound_thm33", r.theorem33().bound());
        Json.put(done, "rho", r.analysis().stability() == null ? Double.NaN : r.analysis().stability().rhoAtLr());
        Json.put(done, "critical_lr", r.analysis().stability() == null ? Double.NaN : r.analysis().stability().criticalLr());
        GrowthFit fit = r.fitLogMean();
        Json.put(done, "fit_factor", fit == null ? Double.NaN : fit.factor());
        done.put("fit_to", fit == null ? 0 : fit.to());
        Json.put(done, "escaped_fraction", (double) r.escapedCount() / trajectories);
        return done;
    }
}
