package org.sgdstab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.Network;
import org.sgdstab.nn.Tanh;
import org.sgdstab.train.Sampling;

/** Monte-Carlo linearised dynamics against exact expectations, Lemma 3.6 and exact growth factors. */
class LinearizedDynamicsTest {
    /** Monte-Carlo means must lie within this many standard errors of the exact mean. */
    static final double Z_MAX = 3;
    /** Over 40 correlated steps a correct curve leaves 3 standard errors now and then; 4 it practically never does. */
    static final double Z_MAX_ALL_STEPS = 4;
    static final int N = 12;
    static final int BATCH = 2;

    /** A tanh network at a random point; linearised there it is an exact minimum of its own problem. */
    static Linearization linearization(int width, int k, long seed) {
        Problems.Case c = Problems.make("net", List.of(new Dense(4, width, true, true), new Tanh(width), new Dense(width, k, true, true)), N, seed);
        Model m = c.model();
        Network net = m.network();
        return new Linearization(net.ntkGram(m.theta(), c.data().x()), N, k, net.parameterCount());
    }

    static Stream<Arguments> noiseModels() {
        return Stream.of(
                Arguments.of("minibatch K=1", NoiseModel.MINIBATCH, 1, Sampling.WITH_REPLACEMENT),
                Arguments.of("minibatch K=2 without replacement", NoiseModel.MINIBATCH, 2, Sampling.WITHOUT_REPLACEMENT),
                Arguments.of("geometry", NoiseModel.GEOMETRY, 1, Sampling.WITH_REPLACEMENT),
                Arguments.of("isotropic", NoiseModel.ISOTROPIC, 1, Sampling.WITH_REPLACEMENT),
                Arguments.of("bounded", NoiseModel.BOUNDED, 1, Sampling.WITH_REPLACEMENT));
    }

    /** Fast and loose: 2000 trajectories, three checkpoints within 3 standard errors. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("noiseModels")
    void monteCarloMeanMatchesExactCurve(String name, NoiseModel model, int k, Sampling sampling) {
        checkAgainstExact(name, model, k, sampling, 2000, new int[] {5, 10, 20}, Z_MAX);
    }

    /** Tight: 40000 trajectories, every step within 4 standard errors (40 correlated comparisons). */
    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("noiseModels")
    void monteCarloMeanMatchesExactCurveTightly(String name, NoiseModel model, int k, Sampling sampling) {
        int[] all = new int[40];
        for (int t = 0; t < all.length; t++) {
            all[t] = t + 1;
        }
        checkAgainstExact(name, model, k, sampling, 40000, all, Z_MAX_ALL_STEPS);
    }

    private static void checkAgainstExact(String name, NoiseModel model, int k, Sampling sampling, int trajectories, int[] steps,
                                          double zMax) {
        Linearization lin = linearization(10, k, 7);
        // Near the edge of stability a multiplicative process has heavy right tails, and sample means and
        // their standard errors converge slowly; at η λ_max = 0.6 every model is stable and the CLT applies.
        double lr = 0.6 / lin.lambdaMax();
        double eps = 1e-4;
        LinearizedDynamics dyn = new LinearizedDynamics(lin, lr, BATCH, sampling, 2 * eps);
        double[] w0 = LinearizedDynamics.perturbation(lin, eps, new SplittableRandom(1));
        int t = steps[steps.length - 1];
        double[][] losses = dyn.simulate(model, w0, trajectories, t, 1e6, new SplittableRandom(2), 2, () -> false);
        LossCurves c = LossCurves.of(losses, 1e6);
        double[] exact = dyn.expectedLoss(model, w0, t);
        assertEquals(eps, exact[0], 1e-12 * eps, name + ": start");
        for (int s : steps) {
            double z = (c.mean()[s] - exact[s]) / c.stdErr()[s];
            assertTrue(Math.abs(z) <= zMax, name + ": step " + s + " MC " + c.mean()[s] + " exact " + exact[s] + " z " + z);
        }
    }

    /** Lemma 3.6: with η ≤ 2/λ_max, bounded noise gives E[L_t] ≤ L_0 + η² Tr(HS) t / 2, while geometry noise at the same η explodes. */
    @Test
    void boundedNoiseGrowsAtMostLinearly() {
        Linearization lin = linearization(10, 1, 7);
        double lr = 1.9 / lin.lambdaMax();
        double eps = 1e-4;
        LinearizedDynamics dyn = new LinearizedDynamics(lin, lr, 1, Sampling.WITH_REPLACEMENT, 2 * eps);
        double[] w0 = LinearizedDynamics.perturbation(lin, eps, new SplittableRandom(3));
        int steps = 200;
        double[] exact = dyn.expectedLoss(NoiseModel.BOUNDED, w0, steps);
        double slope = dyn.boundedSlope();
        for (int t = 0; t <= steps; t++) {
            assertTrue(exact[t] <= eps + slope * t * (1 + 1e-12), "exact bounded curve at step " + t);
        }
        double[][] losses = dyn.simulate(NoiseModel.BOUNDED, w0, 1000, steps, 1e6, new SplittableRandom(4), 2, () -> false);
        LossCurves c = LossCurves.of(losses, 1e6);
        for (int t = 0; t <= steps; t += 10) {
            assertTrue(c.mean()[t] <= (eps + slope * t) * (1 + 1e-12) + Z_MAX * c.stdErr()[t], "Monte-Carlo bounded mean at step " + t);
        }
        double geo = dyn.growthFactor(NoiseModel.GEOMETRY, 100);
        assertTrue(geo > 1.2, "the same η is unstable for geometry-aware noise: ρ = " + geo);
        assertTrue(dyn.expectedLoss(NoiseModel.GEOMETRY, w0, steps)[steps] > 1e6 * (eps + slope * steps),
                "geometry noise grows exponentially past the linear bound");
    }

    /**
     * At an unstable minimum the Monte-Carlo mean of geometry noise grows at about its exact factor ρ.
     * Θ = JJᵀ of a random 30 × 600 Jacobian has a flat (Marchenko–Pastur) spectrum, so the noise
     * spreads over many directions and the mean of the multiplicative process is not dominated by a few
     * extreme trajectories (with one dominant curvature it is, and Monte-Carlo means converge very
     * slowly). η is chosen by bisection so that ρ = 1.3.
     */
    @Test
    void geometryNoiseGrowsAtItsExactRate() {
        int n = 30;
        int p = 600;
        SplittableRandom jr = new SplittableRandom(12);
        Matrix jac = new Matrix(n, p);
        for (int i = 0; i < jac.data.length; i++) {
            jac.data[i] = jr.nextGaussian() / Math.sqrt(p);
        }
        Linearization lin = new Linearization(org.sgdstab.linalg.Blas.get().gram(jac, false), n, 1, p);
        int b = 4;
        double target = 1.3;
        double lo = 1e-3 / lin.lambdaMax();
        double hi = 2.0 / lin.lambdaMax();
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (lo + hi);
            if (new LinearizedDynamics(lin, mid, b, Sampling.WITH_REPLACEMENT, 0).growthFactor(NoiseModel.GEOMETRY, 1) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        LinearizedDynamics dyn = new LinearizedDynamics(lin, hi, b, Sampling.WITH_REPLACEMENT, 0);
        double rho = dyn.growthFactor(NoiseModel.GEOMETRY, 1);
        assertEquals(target, rho, 1e-6, "bisection");
        double[] w0 = LinearizedDynamics.perturbation(lin, 1e-12, new SplittableRandom(5));
        double[] exact = dyn.expectedLoss(NoiseModel.GEOMETRY, w0, 80);
        assertEquals(rho, exact[80] / exact[79], 1e-6 * rho, "the exact curve's late ratio is ρ");
        double[][] losses = dyn.simulate(NoiseModel.GEOMETRY, w0, 4000, 40, 1e30, new SplittableRandom(6), 2, () -> false);
        GrowthFit f = GrowthFit.fit(GrowthFit.log(LossCurves.of(losses, 1e30).mean()), 20, 40);
        // Monte-Carlo noise of the mean over 4000 trajectories moves the fitted slope by about 1%.
        assertEquals(rho, f.factor(), 0.05 * rho, "fitted factor against exact ρ");
        assertTrue(f.factor() > 1.15, "exponential growth, clearly above 1: " + f.factor());
        assertTrue(dyn.growthFactor(NoiseModel.MINIBATCH, 400) > 1, "mini-batch SGD is unstable there too");
    }

    /** The Perron root from the secular equation equals the spectral radius of the explicit matrix, by power iteration. */
    @Test
    void perronRootMatchesExplicitMatrix() {
        Linearization lin = linearization(6, 1, 8);
        double[] d = lin.curvatures();
        int r = d.length;
        double lr = 1.8 / d[0];
        for (double[] c : new double[][] {d, filled(r, lin.traceH() / lin.parameters())}) {
            Matrix m = new Matrix(r, r);
            // diag(q) + s c dᵀ is similar to the symmetric diag(q) + s g gᵀ with g_k = sqrt(c_k d_k).
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < r; j++) {
                    m.set(i, j, (i == j ? (1 - lr * d[i]) * (1 - lr * d[i]) : 0) + lr * lr / BATCH * Math.sqrt(c[i] * d[i] * c[j] * d[j]));
                }
            }
            double rho = org.sgdstab.linalg.SymmetricEigen.values(m)[r - 1];
            assertEquals(rho, LinearizedDynamics.perronRoot(c, d, lr, BATCH), 1e-12 * rho);
        }
    }

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** The w-coordinates reproduce loss, gradient norm and residuals of the explicit linearised model. */
    @Test
    void coordinatesMatchExplicitJacobian() {
        Problems.Case c = Problems.make("net", List.of(new Dense(3, 5, true, true), new Tanh(5), new Dense(5, 2, true, true)), 6, 9);
        Network net = c.model().network();
        Matrix j = net.jacobian(c.model().theta(), c.data().x());
        Linearization lin = new Linearization(net.ntkGram(c.model().theta(), c.data().x()), 6, 2, net.parameterCount());
        SplittableRandom rng = new SplittableRandom(1);
        double[] delta = new double[net.parameterCount()];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = rng.nextGaussian();
        }
        double[] u = new double[j.rows];
        for (int q = 0; q < j.rows; q++) {
            for (int i = 0; i < delta.length; i++) {
                u[q] += j.get(q, i) * delta[i];
            }
        }
        double[] w = lin.coordinates(u);
        double loss = 0;
        for (double v : u) {
            loss += v * v / (2 * 6);
        }
        assertEquals(loss, lin.loss(w), 1e-10 * loss, "loss");
        double[] grad = new double[delta.length];
        for (int q = 0; q < j.rows; q++) {
            for (int i = 0; i < delta.length; i++) {
                grad[i] += j.get(q, i) * u[q] / 6;
            }
        }
        double g2 = 0;
        for (double v : grad) {
            g2 += v * v;
        }
        double[] d = lin.curvatures();
        double g2w = 0;
        for (int k = 0; k < d.length; k++) {
            g2w += d[k] * d[k] * w[k] * w[k];
        }
        assertEquals(g2, g2w, 1e-9 * g2, "‖∇L‖² = Σ (d_k w_k)²");
        double[] back = new double[u.length];
        lin.residuals(w, back);
        for (int q = 0; q < u.length; q++) {
            assertEquals(u[q], back[q], 1e-10 * Math.sqrt(2 * 6 * loss), "u = A w");
        }
    }

    /**
     * The geometry noise's scaling: ξ = sqrt(2L/(Bn))·Jᵀz has covariance 2L·G/B. Checked empirically
     * with an explicit Jacobian; 20000 samples put the relative Frobenius error near 1%, so 5% is loose
     * but would catch any wrong factor (√2, n, B).
     */
    @Test
    void geometryNoiseCovarianceIsTwoLGOverB() {
        Problems.Case c = Problems.make("net", List.of(new Dense(2, 3, true, true), new Tanh(3), new Dense(3, 1, true, true)), 5, 10);
        Network net = c.model().network();
        Matrix j = net.jacobian(c.model().theta(), c.data().x());
        int n = 5;
        int p = net.parameterCount();
        double loss = 0.3;
        int b = 4;
        double s = Math.sqrt(2 * loss / (b * n));
        int samples = 20000;
        SplittableRandom rng = new SplittableRandom(11);
        double[] cov = new double[p * p];
        double[] xi = new double[p];
        for (int it = 0; it < samples; it++) {
            java.util.Arrays.fill(xi, 0);
            for (int q = 0; q < j.rows; q++) {
                double z = rng.nextGaussian();
                for (int i = 0; i < p; i++) {
                    xi[i] += s * j.get(q, i) * z;
                }
            }
            for (int a = 0; a < p; a++) {
                for (int bb = 0; bb < p; bb++) {
                    cov[a * p + bb] += xi[a] * xi[bb] / samples;
                }
            }
        }
        double err = 0;
        double norm = 0;
        for (int a = 0; a < p; a++) {
            for (int bb = 0; bb < p; bb++) {
                double g = 0;
                for (int q = 0; q < j.rows; q++) {
                    g += j.get(q, a) * j.get(q, bb) / n;
                }
                double expected = 2 * loss * g / b;
                err += (cov[a * p + bb] - expected) * (cov[a * p + bb] - expected);
                norm += expected * expected;
            }
        }
        assertTrue(Math.sqrt(err / norm) < 0.05, "relative covariance error " + Math.sqrt(err / norm));
    }
}
