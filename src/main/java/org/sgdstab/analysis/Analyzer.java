package org.sgdstab.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sgdstab.data.Dataset;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.Network;
import org.sgdstab.noise.NoiseAlignment;
import org.sgdstab.stability.Bounds;
import org.sgdstab.stability.CriticalLearningRate;
import org.sgdstab.stability.SecondMomentMap;

/**
 * The {@code analyze} computation as a library call: Θ once, then the noise geometry, optionally the
 * Hessian (exact by R-op HVPs or stochastic), the exact critical learning rate and the bound checks.
 */
public final class Analyzer {
    /** HVP directions per block when forming or probing H: GEMM-shaped without large memory. */
    static final int HVP_BLOCK = 16;
    /**
     * Map applications for ρ(η). Below η* the top of T_η sits in a dense cluster just under 1, where
     * Lanczos converges slowly; the Ritz value is reported with its residual instead of waiting.
     */
    static final int RHO_MAX_APPLICATIONS = 400;

    private Analyzer() {
    }

    /**
     * The Hessian quantities of the loss on {@code data} at the model's θ: exact from p R-operator HVPs, or
     * stochastic (Hutchinson and Lanczos) seeded by {@code seed}. Neither model nor data is modified.
     */
    static CurvatureSummary hessian(Model model, Dataset data, CurvatureSummary.Method method, int probes, int topK, long seed) {
        SplittableRandom rng = new SplittableRandom(seed).split();
        LinearOperator h = model.network().hessian(model.theta(), data.x(), data.y());
        return CurvatureSummary.compute(h, method, probes, topK, HVP_BLOCK, rng);
    }

    /** Analyses {@code model} on {@code data} (the probe set). Neither is modified. */
    public static Analysis analyze(Model model, Dataset data, AnalysisOptions opt) {
        Network net = model.network();
        data.requireFits(net.inputSize(), net.outputSize(), "X", "Y");
        double[] theta = model.theta();
        Network.ForwardPass pass = net.forward(theta, data.x());
        Matrix gram = net.ntkGram(theta, pass);
        NoiseAlignment noise = NoiseAlignment.of(gram, pass.output().copy().addInPlace(-1.0, data.y()));
        CurvatureSummary hessian = opt.hessian() == null ? null : hessian(model, data, opt.hessian(), opt.probes(), opt.topK(),
                opt.seed());
        Analysis.Stability stability = null;
        if (opt.criticalLr()) {
            SecondMomentMap map = new SecondMomentMap(gram, data.size(), net.outputSize(), opt.sampling(), opt.batchSize());
            CriticalLearningRate.Result r = CriticalLearningRate.find(map);
            SecondMomentMap.Radius rho = map.radius(opt.lr(), null, RHO_MAX_APPLICATIONS);
            stability = new Analysis.Stability(r.eta(), map.gdThreshold(), rho.rho(), rho.residual());
        }
        int p = net.parameterCount();
        double hF = hessian != null ? hessian.frobenius() : noise.fisherFrobenius();
        double eta = opt.lr();
        int b = opt.batchSize();
        List<Bounds.BoundCheck> bounds = new ArrayList<>();
        bounds.add(Bounds.theorem33(noise.mu(), hF, eta, b));
        bounds.add(Bounds.proposition34(noise.mu1(), hF, eta, b));
        bounds.add(Bounds.gdSharpness(hessian != null ? hessian.lambdaMax() : noise.fisherLambdaMax(), eta));
        bounds.add(Bounds.gdFrobenius(hF, p, eta));
        bounds.add(Bounds.isotropicTrace(hessian != null ? hessian.trace() : noise.fisherTrace(), p, eta, b));
        return new Analysis(data.size(), data.inputSize(), p, opt, noise, hessian, stability, List.copyOf(bounds));
    }
}
