package org.sgdstab.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.SymmetricEigen;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Diagonal;
import org.sgdstab.nn.Gelu;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Network;
import org.sgdstab.nn.Relu;
import org.sgdstab.nn.Tanh;

/** Every diagnostic from Θ against its definition with explicit p × p matrices on tiny models. */
class NoiseAlignmentTest {
    /** Both sides are exact formulas in double precision on O(1) data; only summation order differs. */
    private static final double TOL = 1e-10;

    record Case(String name, Network net, double[] theta, Matrix x, Matrix y) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Matrix gaussian(int r, int c, SplittableRandom rng) {
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextGaussian();
        }
        return m;
    }

    static Case make(String name, long seed, int n, List<Layer> layers, double[] frozen) {
        SplittableRandom rng = new SplittableRandom(seed);
        Network net = new Network(layers, frozen);
        double[] theta = gaussian(1, net.parameterCount(), rng).scaleInPlace(0.6).data;
        return new Case(name, net, theta, gaussian(n, net.inputSize(), rng), gaussian(n, net.outputSize(), rng));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                make("mlp-tanh-k1", 1, 9, List.of(new Dense(3, 5, true, true), new Tanh(5), new Dense(5, 1, true, true)), new double[0]),
                make("mlp-gelu-k3", 2, 7, List.of(new Dense(4, 5, true, true), new Gelu(5), new Dense(5, 3, true, true)), new double[0]),
                make("frozen-relu-features-k2", 3, 8, List.of(new Dense(3, 6, false, false), new Relu(6), new Dense(6, 2, false, true)),
                        gaussian(1, 18, new SplittableRandom(9)).data),
                make("diagonal-linear", 4, 6, List.of(new Diagonal(5, true), new Dense(5, 1, false, false)), new double[] {1, 1, 1, 1, 1}),
                make("wide-p-gt-n", 5, 4, List.of(new Dense(2, 8, true, true), new Tanh(8), new Dense(8, 2, true, true)), new double[0]))
                .map(c -> Arguments.of(c.name(), c));
    }

    private static void close(double expected, double actual, String what) {
        assertEquals(expected, actual, TOL * Math.max(1.0, Math.abs(expected)), what);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesExplicitCovarianceAndFisher(String name, Case c) {
        Blas blas = Blas.get();
        int n = c.x().rows;
        int k = c.net().outputSize();
        Matrix jac = c.net().jacobian(c.theta(), c.x());
        int p = jac.cols;
        Matrix e = c.net().residuals(c.theta(), c.x(), c.y());
        // Per-sample gradients ∇L_i = J_iᵀ e_i, as rows of an n × p matrix.
        Matrix grads = new Matrix(n, p);
        for (int i = 0; i < n; i++) {
            for (int kk = 0; kk < k; kk++) {
                for (int q = 0; q < p; q++) {
                    grads.data[i * p + q] += jac.get(i * k + kk, q) * e.get(i, kk);
                }
            }
        }
        double[] mean = new double[p];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < p; q++) {
                mean[q] += grads.get(i, q) / n;
            }
        }
        Matrix sigma1 = blas.gram(grads, true).scaleInPlace(1.0 / n);
        Matrix sigma2 = blas.multiply(false, new Matrix(p, 1, mean), true, new Matrix(p, 1, mean));
        Matrix sigma = sigma1.copy().addInPlace(-1.0, sigma2);
        Matrix g = blas.gram(jac, true).scaleInPlace(1.0 / n);
        double twoL = 0;
        for (double v : e.data) {
            twoL += v * v / n;
        }
        double trSG = traceOfProduct(sigma, g);
        double gF = g.frobeniusNorm();
        double sF = sigma.frobeniusNorm();
        double[] eig = SymmetricEigen.values(g);
        double lmax = eig[eig.length - 1];
        double[] chi = new double[n];
        for (int i = 0; i < n; i++) {
            for (int kk = 0; kk < k; kk++) {
                double[] ji = jac.row(i * k + kk);
                double[] gji = new double[p];
                blas.gemv(false, p, p, 1.0, g.data, 0, p, ji, 0, 0.0, gji, 0);
                chi[i] += org.sgdstab.linalg.Vectors.dot(ji, gji);
            }
        }
        double chiMin = Double.POSITIVE_INFINITY;
        double chiMean = 0;
        for (double v : chi) {
            chiMin = Math.min(chiMin, v);
            chiMean += v / n;
        }

        NoiseAlignment a = NoiseAlignment.of(c.net(), c.theta(), c.x(), c.y());
        close(twoL / 2, a.loss(), "loss");
        close(org.sgdstab.linalg.Vectors.norm2(mean), a.gradNorm(), "grad norm");
        close(g.trace(), a.fisherTrace(), "Tr G");
        close(gF, a.fisherFrobenius(), "‖G‖_F");
        close(lmax, a.fisherLambdaMax(), "λ_max(G)");
        close(trSG, a.trSigmaG(), "Tr(ΣG)");
        close(traceOfProduct(sigma1, g), a.trSigma1G(), "Tr(Σ1G)");
        close(traceOfProduct(sigma2, g), a.trSigma2G(), "Tr(Σ2G)");
        close(sF, a.sigmaFrobenius(), "‖Σ‖_F");
        close(trSG / (gF * sF), a.alpha(), "α");
        close(sF / (twoL * gF), a.beta(), "β");
        close(trSG / (twoL * gF * gF), a.mu(), "µ");
        close(traceOfProduct(sigma1, g) / (twoL * gF * gF), a.mu1(), "µ1");
        close(traceOfProduct(sigma2, g) / (twoL * gF * gF), a.mu2(), "µ2");
        close(chiMin / chiMean, a.gamma(), "γ");
        close(lmax * lmax / (gF * gF), a.tau(), "τ");
        close(a.alpha() * a.beta(), a.mu(), "µ = αβ");
        close(a.mu1() - a.mu2(), a.mu(), "µ = µ1 − µ2");
        if (k == 1) {
            assertTrue(a.mu1() >= a.gamma() - TOL, "Lemma 2.2: µ1 ≥ γ");
        }
    }

    private static double traceOfProduct(Matrix a, Matrix b) {
        double t = 0;
        for (int i = 0; i < a.rows; i++) {
            for (int j = 0; j < a.cols; j++) {
                t += a.get(i, j) * b.get(j, i);
            }
        }
        return t;
    }

    @Test
    void zeroLossGivesUndefinedRatiosNotExceptions() {
        Matrix gram = Matrix.identity(3);
        NoiseAlignment a = NoiseAlignment.of(gram, new Matrix(3, 1));
        assertEquals(0.0, a.loss());
        assertTrue(Double.isNaN(a.mu()));
    }

    @Test
    void largeGramUsesLanczosForTheTopEigenvalueAndAgreesWithDense() {
        SplittableRandom rng = new SplittableRandom(4);
        Matrix j = gaussian(2100, 40, rng);
        Matrix gram = Blas.get().gram(j, false);
        double dense = SymmetricEigen.values(gram)[gram.rows - 1];
        assertEquals(dense, NoiseAlignment.fisherTopEigenvalue(gram), 1e-9 * dense);
    }
}
