package org.sgdstab.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.Network;
import org.sgdstab.noise.NoiseAlignment;
import org.sgdstab.stability.Bounds;
import org.sgdstab.stability.CriticalLearningRate;
import org.sgdstab.stability.SecondMomentMap;

/**
 * The {@code stability} computation as a library call: the exact critical learning rate η*(B) of
 * linearised SGD for a list of batch sizes, next to the paper's bound {@code sqrt(B/µ)/‖H‖_F}
 * (Theorem 3.3, and Proposition 3.4 with µ1) and the gradient-descent threshold {@code 2/λ_max(Θ/n)}
 * (theory.md §5).
 *
 * <p>Θ, the noise geometry and the Hessian are computed once; Θ's eigen-decomposition is shared by
 * the maps of all B ({@link SecondMomentMap#withBatchSize}). Per B it finds η* by
 * {@link CriticalLearningRate#find}, and optionally ρ(η) on a grid around η* and at a given η.
 * Each ρ is a Lanczos Ritz value (a lower bound on ρ) reported with its residual: below η* the top
 * of T_η sits in a dense cluster just under 1 (directions of small curvature d barely contract,
 * ρ ≥ 1 − 2ηd), where Lanczos is slow, and the residual then says how far to trust it.
 */
public final class StabilityScan {
    /**
     * Map applications per grid point. Above η* the top eigenvalue is isolated and converges in
     * about 15–30 applications; below η* it lies within ~1e-5 of 1 in the cluster and 400
     * applications (n = 512 MLP) only narrow a residual of 1e-4 to 4e-5 at 8× the cost, so the grid
     * takes the cheap answer there. ρ at the user's η gets {@link Analyzer#RHO_MAX_APPLICATIONS}.
     */
    static final int GRID_MAX_APPLICATIONS = 50;

    private StabilityScan() {
    }

    /** Receives the scan as it goes, e.g. to write rows as soon as they exist. */
    public interface Observer {
        /** Once, after Θ, the noise geometry and the Hessian, with no rows yet (status RUNNING). */
        default void onStart(ScanResult header) {
        }

        /** After each batch size, in ascending order of B. */
        void onRow(ScanResult.Row row);
    }

    /** Scans {@code model} on {@code data} (the probe set) without observer or stop. Neither is modified. */
    public static ScanResult run(Model model, Dataset data, ScanConfig config) {
        return run(model, data, config, row -> { }, () -> false);
    }

    /**
     * Scans {@code model} on {@code data}. Neither is modified.
     *
     * @param observer told of the global quantities and of each finished row
     * @param stop     polled before each batch size and each grid point; true ends the scan early with
     *                 status INTERRUPTED and the rows finished so far
     * @throws org.sgdstab.io.InputException when the data do not fit the model or a batch size exceeds n
     *                                       without replacement
     */
    public static ScanResult run(Model model, Dataset data, ScanConfig config, Observer observer, BooleanSupplier stop) {
        Network net = model.network();
        data.requireFits(net.inputSize(), net.outputSize(), "X", "Y");
        config.requireFits(data.size());
        double[] theta = model.theta();
        // One forward pass for both Θ and the residuals, as in Analyzer.analyze.
        Network.ForwardPass pass = net.forward(theta, data.x());
        Matrix gram = net.ntkGram(theta, pass);
        NoiseAlignment noise = NoiseAlignment.of(gram, pass.output().copy().addInPlace(-1.0, data.y()));
        CurvatureSummary hessian = Analyzer.hessian(model, data, config.hessian(), config.probes(), 1, config.seed());
        int[] batchSizes = config.batchSizes();
        SecondMomentMap base = new SecondMomentMap(gram, data.size(), net.outputSize(), config.sampling(), batchSizes[0]);
        ScanResult result = new ScanResult(data.size(), data.inputSize(), net.parameterCount(), config, noise, hessian,
                base.rank(), base.gdThreshold(), List.of(), ScanResult.Status.RUNNING);
        observer.onStart(result);
        List<ScanResult.Row> rows = new ArrayList<>();
        for (int b : batchSizes) {
            if (stop.getAsBoolean()) {
                break;
            }
            ScanResult.Row row = batch(base.withBatchSize(b), noise, hessian.frobenius(), config, stop);
            rows.add(row);
            observer.onRow(row);
        }
        boolean complete = rows.size() == batchSizes.length && !stop.getAsBoolean();
        return result.with(rows, complete ? ScanResult.Status.COMPLETE : ScanResult.Status.INTERRUPTED);
    }

    /** One batch size: η*, the bounds, ρ at the given η and the ρ grid. */
    private static ScanResult.Row batch(SecondMomentMap map, NoiseAlignment noise, double hessianFrobenius, ScanConfig config,
                                        BooleanSupplier stop) {
        int b = map.batchSize();
        CriticalLearningRate.Result r = CriticalLearningRate.find(map);
        // NaN (undefined) where µ or µ1 is, e.g. at an exact interpolating fit (L = 0): Bounds decides.
        double thm33 = Bounds.theorem33LearningRate(noise.mu(), hessianFrobenius, b);
        double prop34 = Bounds.proposition34LearningRate(noise.mu1(), hessianFrobenius, b);
        double rhoAtLr = Double.NaN;
        double rhoAtLrResidual = Double.NaN;
        if (config.lr() != null) {
            SecondMomentMap.Radius at = map.radius(config.lr(), null, Analyzer.RHO_MAX_APPLICATIONS);
            rhoAtLr = at.rho();
            rhoAtLrResidual = at.residual();
        }
        List<ScanResult.RhoPoint> grid = new ArrayList<>();
        int points = config.rhoPoints();
        Matrix warm = null;
        for (int j = 0; j < points && !stop.getAsBoolean(); j++) {
            double eta = r.eta() * (1 - config.rhoSpan() + 2 * config.rhoSpan() * j / (points - 1));
            SecondMomentMap.Radius rad = map.radius(eta, safeWarmStart(warm, map.rank()), GRID_MAX_APPLICATIONS);
            grid.add(new ScanResult.RhoPoint(eta, rad.rho(), rad.residual()));
            warm = rad.eigenvector();
        }
        return new ScanResult.Row(b, r.eta(), r.certified(), r.lower(), r.upper(), r.rhoLower(), r.rhoUpper(), r.applications(),
                thm33, prop34, rhoAtLr, rhoAtLrResidual, grid);
    }

    /**
     * The previous grid point's eigenvector plus the identity, both at unit Frobenius norm (null for
     * the identity alone). The warm part makes a nearby η converge fast; the identity part keeps an
     * overlap of at least {@code Tr(M)/sqrt(r)} with the top eigenvector M (PSD, Krein–Rutman), so
     * Lanczos cannot settle on a lower eigenvalue that the warm start alone happens to favour.
     */
    static Matrix safeWarmStart(Matrix warm, int rank) {
        if (warm == null) {
            return null;
        }
        double norm = warm.frobeniusNorm();
        // A Ritz vector's sign is arbitrary; the PSD top eigenvector has a positive trace.
        double scale = (warm.trace() < 0 ? -1 : 1) / norm;
        Matrix start = warm.copy().scaleInPlace(scale);
        double diagonal = 1.0 / Math.sqrt(rank);
        for (int k = 0; k < rank; k++) {
            start.data[k * rank + k] += diagonal;
        }
        return start;
    }
}
