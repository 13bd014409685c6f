package org.sgdstab.experiments;

import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.stability.SecondMomentMap;
import org.sgdstab.train.BatchSampler;
import org.sgdstab.train.Sampling;

/**
 * Linearised SGD {@code θ_{t+1} = θ_t − η(∇L(θ_t) + ξ_t)} at a minimum under each {@link NoiseModel},
 * in the coordinates w of {@link Linearization} (exact for the loss), with its Monte-Carlo simulation,
 * its exact expected-loss curve and its exact asymptotic growth factor.
 *
 * <h2>Noise in w-coordinates</h2>
 * The step is {@code w ← w − η(D w + Vᵀξ)}. Gaussian noise is sampled coordinatewise, because each
 * projected covariance is diagonal:
 * <ul>
 *   <li>geometry: ξ = sqrt(2L/(Bn))·Jᵀz with z ~ N(0, I_{nK}), so Cov ξ = (2L/B)·JᵀJ/n = 2L·H/B; its
 *       projection {@code Vᵀξ = sqrt(2L/(Bn)) Λ^{1/2} Uᵀz} has the law of {@code sqrt(2L/B)·D^{1/2} z'}
 *       with z' ~ N(0, I_r), which is what is drawn (the same distribution, O(r) instead of O(nK·r));</li>
 *   <li>isotropic: ξ ~ N(0, 2σ²L·I_p/B), σ² = Tr H/p, so Vᵀξ ~ N(0, 2σ²L·I_r/B); the other p − r
 *       components of ξ do not affect the loss;</li>
 *   <li>bounded: ξ ~ N(0, σ_b²·H/B), so Vᵀξ ~ N(0, σ_b²·D/B);</li>
 *   <li>mini-batch: the step uses the batch gradient {@code (1/B) Σ_b A_{i_b}ᵀ A_{i_b} w} itself.</li>
 * </ul>
 *
 * <h2>Exact expected loss</h2>
 * Mini-batch: {@code Tr(N_t)/(2n)} from the second-moment map T_η of {@link SecondMomentMap} with
 * {@code N_0 = u_0 u_0ᵀ}. Gaussian models: with {@code m_k = E[w_k²]} and {@code q_k = (1 − η d_k)²},
 * independent noise components give {@code m_k ← q_k m_k + η² v_k} and {@code E[L] = ½ Σ d_k m_k}, with
 * {@code v_k = (d_k/B)·Σ_j d_j m_j} (geometry), {@code (σ²/B)·Σ_j d_j m_j} (isotropic) or {@code σ_b² d_k/B}
 * (bounded). The growth factor of the first two is the Perron root of {@code diag(q) + (η²/B) c dᵀ}
 * (c = d or σ²·1), the unique root above max q_k of {@code (η²/B) Σ_k c_k d_k/(ρ − q_k) = 1}; bounded noise
 * only adds a constant, so its loss grows at most linearly while {@code η ≤ 2/λ_max} (Lemma 3.6).
 */
public final class LinearizedDynamics {
    private final Linearization lin;
    private final double lr;
    private final int batchSize;
    private final Sampling sampling;
    private final double boundedSigma2;

    /**
     * @param boundedSigma2 σ_b² of the bounded noise (≥ 0)
     */
    public LinearizedDynamics(Linearization lin, double lr, int batchSize, Sampling sampling, double boundedSigma2) {
        if (!(lr > 0) || !Double.isFinite(lr) || batchSize < 1 || !(boundedSigma2 >= 0)) {
            throw new IllegalArgumentException("need η > 0, B ≥ 1 and σ_b² ≥ 0, got " + lr + ", " + batchSize + ", " + boundedSigma2);
        }
        if (sampling != Sampling.WITH_REPLACEMENT && batchSize > lin.samples()) {
            throw new IllegalArgumentException("batch size " + batchSize + " exceeds n = " + lin.samples() + " without replacement");
        }
        this.lin = lin;
        this.lr = lr;
        this.batchSize = batchSize;
        this.sampling = sampling;
        this.boundedSigma2 = boundedSigma2;
    }

    /** σ² = Tr H / p of the isotropic noise. */
    public double isotropicSigma2() {
        return lin.traceH() / lin.parameters();
    }

    /**
     * A random perturbation of loss ε: w = c·z with z ~ N(0, I_r), the projection of an isotropic
     * Gaussian δθ, scaled so that L(w) = ε exactly.
     */
    public static double[] perturbation(Linearization lin, double epsilon, SplittableRandom rng) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("initial loss must be positive, got " + epsilon);
        }
        double[] w = new double[lin.rank()];
        for (int k = 0; k < w.length; k++) {
            w[k] = rng.nextGaussian();
        }
        double s = Math.sqrt(epsilon / lin.loss(w));
        for (int k = 0; k < w.length; k++) {
            w[k] *= s;
        }
        return w;
    }

    /**
     * Simulates R trajectories from w0 (shared) for T steps, recording the loss at t = 0..T. A
     * trajectory whose loss exceeds the cap stops (escaped).
     *
     * @param root R streams are split from it in order. Modified.
     * @return losses[r][t], NaN where nothing was recorded
     */
    public double[][] simulate(NoiseModel model, double[] w0, int trajectories, int steps, double cap, SplittableRandom root,
                               int jobs, BooleanSupplier stop) {
        if (w0.length != lin.rank()) {
            throw new IllegalArgumentException("start has length " + w0.length + ", rank is " + lin.rank());
        }
        int r = lin.rank();
        double[] d = lin.curvatures();
        double[] sqrtD = new double[r];
        for (int k = 0; k < r; k++) {
            sqrtD[k] = Math.sqrt(d[k]);
        }
        double sigma2 = isotropicSigma2();
        return TrajectoryPool.run(trajectories, steps, root, jobs, () -> {
            double[] w = new double[r];
            double[] g = new double[r];
            double[] scratch = new double[lin.outputs()];
            int[] idx = new int[batchSize];
            return (traj, rng, loss) -> {
                System.arraycopy(w0, 0, w, 0, r);
                BatchSampler sampler = model == NoiseModel.MINIBATCH ? new BatchSampler(sampling, lin.samples(), batchSize, rng) : null;
                for (int t = 0; t <= steps; t++) {
                    if (stop.getAsBoolean()) {
                        return;
                    }
                    double l = lin.loss(w);
                    loss[t] = Double.isNaN(l) ? Double.POSITIVE_INFINITY : l;
                    if (!(l <= cap) || t == steps) {
                        return;
                    }
                    switch (model) {
                        case MINIBATCH -> {
                            sampler.next(idx);
                            java.util.Arrays.fill(g, 0.0);
                            lin.addBatchGradient(w, idx, 1.0, scratch, g);
                            for (int k = 0; k < r; k++) {
                                w[k] -= lr * g[k];
                            }
                        }
                        case GEOMETRY, BOUNDED -> {
                            double s = model == NoiseModel.GEOMETRY ? Math.sqrt(2 * l / batchSize) : Math.sqrt(boundedSigma2 / batchSize);
                            for (int k = 0; k < r; k++) {
                                w[k] -= lr * (d[k] * w[k] + s * sqrtD[k] * rng.nextGaussian());
                            }
                        }
                        case ISOTROPIC -> {
                            double s = Math.sqrt(2 * sigma2 * l / batchSize);
                            for (int k = 0; k < r; k++) {
                                w[k] -= lr * (d[k] * w[k] + s * rng.nextGaussian());
                            }
                        }
                    }
                }
            };
        });
    }

    /** E[L_t] for t = 0..T from w0, exactly (class Javadoc). */
    public double[] expectedLoss(NoiseModel model, double[] w0, int steps) {
        if (model == NoiseModel.MINIBATCH) {
            int nk = lin.samples() * lin.outputs();
            double[] u = new double[nk];
            lin.residuals(w0, u);
            Matrix n0 = new Matrix(nk, nk);
            for (int i = 0; i < nk; i++) {
                for (int j = 0; j < nk; j++) {
                    n0.data[i * nk + j] = u[i] * u[j];
                }
            }
            return secondMomentMap().expectedLossInRange(lr, n0, steps);
        }
        double[] d = lin.curvatures();
        int r = d.length;
        double[] m = new double[r];
        for (int k = 0; k < r; k++) {
            m[k] = w0[k] * w0[k];
        }
        double sigma2 = isotropicSigma2();
        double e2 = lr * lr;
        double[] out = new double[steps + 1];
        for (int t = 0; ; t++) {
            double twoL = 0;
            for (int k = 0; k < r; k++) {
                twoL += d[k] * m[k];
            }
            out[t] = 0.5 * twoL;
            if (t == steps) {
                return out;
            }
            for (int k = 0; k < r; k++) {
                double q = (1 - lr * d[k]) * (1 - lr * d[k]);
                double v = switch (model) {
                    case GEOMETRY -> d[k] * twoL / batchSize;
                    case ISOTROPIC -> sigma2 * twoL / batchSize;
                    case BOUNDED -> boundedSigma2 * d[k] / batchSize;
                    case MINIBATCH -> throw new IllegalStateException("handled above");
                };
                m[k] = q * m[k] + e2 * v;
            }
        }
    }

    /** The second-moment map of mini-batch SGD at this minimum. */
    public SecondMomentMap secondMomentMap() {
        return new SecondMomentMap(lin.reduced(), sampling == Sampling.EPOCH ? Sampling.WITHOUT_REPLACEMENT : sampling,
                batchSize);
    }

    /**
     * The exact asymptotic per-step growth factor of E[L]: ρ(η) of T_η for mini-batch noise (a Lanczos
     * Ritz value, at most {@code maxApplications} map applications), the Perron root for geometry and
     * isotropic noise, and max_k (1 − η d_k)² for bounded noise (whose forcing is additive, not multiplicative).
     */
    public double growthFactor(NoiseModel model, int maxApplications) {
        double[] d = lin.curvatures();
        return switch (model) {
            case MINIBATCH -> secondMomentMap().radius(lr, null, maxApplications).rho();
            case BOUNDED -> {
                double qmax = 0;
                for (double v : d) {
                    qmax = Math.max(qmax, (1 - lr * v) * (1 - lr * v));
                }
                yield qmax;
            }
            case GEOMETRY -> perronRoot(d, d, lr, batchSize);
            case ISOTROPIC -> {
                double[] c = new double[d.length];
                java.util.Arrays.fill(c, isotropicSigma2());
                yield perronRoot(c, d, lr, batchSize);
            }
        };
    }

    /** The largest root of {@code (η²/B) Σ_k c_k d_k/(ρ − q_k) = 1}, q_k = (1 − η d_k)², by bisection. */
    static double perronRoot(double[] c, double[] d, double lr, int batch) {
        double scale = lr * lr / batch;
        double qmax = 0;
        double total = 0;
        for (int k = 0; k < d.length; k++) {
            qmax = Math.max(qmax, (1 - lr * d[k]) * (1 - lr * d[k]));
            total += scale * c[k] * d[k];
        }
        if (!(total > 0)) {
            return qmax;
        }
        double lo = qmax;
        double hi = qmax + total;
        for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
            double mid = 0.5 * (lo + hi);
            double f = 0;
            for (int k = 0; k < d.length; k++) {
                f += scale * c[k] * d[k] / (mid - (1 - lr * d[k]) * (1 - lr * d[k]));
            }
            if (f > 1) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** Lemma 3.6's slope {@code η² Tr(H S)/2} for bounded noise, S = σ_b² H/B: E[L_t] ≤ L_0 + slope·t while η ≤ 2/λ_max. */
    public double boundedSlope() {
        double f = lin.frobeniusH();
        return lr * lr * boundedSigma2 * f * f / (2.0 * batchSize);
    }
}
