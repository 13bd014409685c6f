package org.sgdstab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.Vectors;

/**
 * Every layer's backward pass, the NTK Gram and the R-operator products checked against
 * independent references: central finite differences, a per-sample loop, explicit J Jᵀ.
 */
class NetworkDerivativesTest {
    /** Central differences with h = 1e-5 on O(1) smooth functions: truncation ~h² and round-off ~eps/h give ~1e-9. */
    private static final double FD_TOL = 1e-7;
    /** Θ and J Jᵀ are the same sums in a different order: only round-off differs. */
    private static final double GRAM_TOL = 1e-10;
    /** Blocked and one-at-a-time R-op products do the same arithmetic per direction. */
    private static final double BLOCK_TOL = 1e-12;

    private static double relErr(double[] a, double[] b) {
        double[] d = a.clone();
        Vectors.axpy(-1.0, b, d);
        return Vectors.norm2(d) / Math.max(1e-300, Math.max(Vectors.norm2(a), Vectors.norm2(b)));
    }

    /** Central-difference gradient of the loss along each coordinate, step h. */
    private static double[] fdGradient(TestNetworks.Case c, double h) {
        double[] g = new double[c.theta().length];
        for (int j = 0; j < g.length; j++) {
            double[] tp = c.theta().clone();
            double[] tm = c.theta().clone();
            tp[j] += h;
            tm[j] -= h;
            g[j] = (c.net().loss(tp, c.x(), c.y()) - c.net().loss(tm, c.x(), c.y())) / (2 * h);
        }
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void gradientMatchesFiniteDifferencesAndErrorFallsWithStep(String name, TestNetworks.Case c) {
        double[] grad = new double[c.theta().length];
        c.net().lossAndGradient(c.theta(), c.x(), c.y(), grad);
        double coarse = relErr(grad, fdGradient(c, 1e-2));
        double fine = relErr(grad, fdGradient(c, 1e-3));
        double finest = relErr(grad, fdGradient(c, 1e-5));
        assertTrue(finest < FD_TOL, name + ": rel. error " + finest);
        // Truncation error is O(h²): a 10× smaller step must shrink it markedly (unless already at round-off).
        assertTrue(fine < 0.05 * coarse || fine < 1e-9, name + ": error did not fall with h: " + coarse + " -> " + fine);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void inputGradientOfEveryLayerMatchesFiniteDifferences(String name, TestNetworks.Case c) {
        SplittableRandom rng = new SplittableRandom(11);
        Network net = c.net();
        Network.ForwardPass pass = net.forward(c.theta(), c.x());
        for (int l = 0; l < net.layers().size(); l++) {
            Layer layer = net.layers().get(l);
            double[] w = layer.trainable() ? c.theta() : net.frozenWeights();
            Matrix in = pass.input(l);
            if (layer instanceof MaxPool2d) {
                // ReLU zeros make max-pool windows tie, where the max is not differentiable; a generic input has no ties.
                in = TestNetworks.random(in.rows, in.cols, rng, 1.0);
            }
            Matrix probe = TestNetworks.random(in.rows, layer.outputSize(), rng, 1.0);
            // Two stacked blocks of sensitivities exercise the "row q is sample q % n" convention.
            Matrix probe2 = new Matrix(2 * in.rows, layer.outputSize());
            System.arraycopy(probe.data, 0, probe2.data, 0, probe.data.length);
            System.arraycopy(probe.data, 0, probe2.data, probe.data.length, probe.data.length);
            Matrix gIn = new Matrix(2 * in.rows, layer.inputSize());
            layer.backward(in, pass.input(l + 1), w, net.offset(l), probe2, gIn, null, 0);
            double h = 1e-5;
            double[] fd = new double[in.data.length];
            for (int j = 0; j < fd.length; j++) {
                Matrix ip = in.copy();
                Matrix im = in.copy();
                ip.data[j] += h;
                im.data[j] -= h;
                Matrix op = new Matrix(in.rows, layer.outputSize());
                Matrix om = new Matrix(in.rows, layer.outputSize());
                layer.forward(ip, w, net.offset(l), op);
                layer.forward(im, w, net.offset(l), om);
                fd[j] = (Vectors.dot(op.data, probe.data) - Vectors.dot(om.data, probe.data)) / (2 * h);
            }
            double[] first = java.util.Arrays.copyOfRange(gIn.data, 0, fd.length);
            double[] second = java.util.Arrays.copyOfRange(gIn.data, fd.length, 2 * fd.length);
            if (layer instanceof Relu) {
                // ReLU is not differentiable at 0, but Gaussian inputs avoid its kink almost surely.
                assertTrue(relErr(first, fd) < FD_TOL, name + " layer " + l);
            }
            assertTrue(relErr(first, fd) < FD_TOL, name + " layer " + l + " (" + layer.typeName() + "): " + relErr(first, fd));
            // Same arithmetic per row, but BLAS may sum a row's terms in another order depending on
            // where the row falls in its micro-kernel tile: agreement to round-off, not bit for bit.
            assertTrue(relErr(first, second) < BLOCK_TOL, name + " layer " + l + ": stacked blocks must agree");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void ntkGramEqualsExplicitJacobianProduct(String name, TestNetworks.Case c) {
        Matrix gram = c.net().ntkGram(c.theta(), c.x());
        Matrix j = c.net().jacobian(c.theta(), c.x());
        Matrix explicit = Blas.get().gram(j, false);
        assertTrue(relErr(gram.data, explicit.data) < GRAM_TOL, name + ": " + relErr(gram.data, explicit.data));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void jacobianMatchesFiniteDifferencesOfOutputs(String name, TestNetworks.Case c) {
        Matrix j = c.net().jacobian(c.theta(), c.x());
        double h = 1e-5;
        Matrix fd = new Matrix(j.rows, j.cols);
        for (int q = 0; q < j.cols; q++) {
            double[] tp = c.theta().clone();
            double[] tm = c.theta().clone();
            tp[q] += h;
            tm[q] -= h;
            Matrix fp = c.net().predict(tp, c.x());
            Matrix fm = c.net().predict(tm, c.x());
            for (int r = 0; r < j.rows; r++) {
                fd.set(r, q, (fp.data[r] - fm.data[r]) / (2 * h));
            }
        }
        assertTrue(relErr(j.data, fd.data) < FD_TOL, name + ": " + relErr(j.data, fd.data));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void hessianVectorProductMatchesFiniteDifferencesOfGradient(String name, TestNetworks.Case c) {
        int p = c.theta().length;
        Matrix v = TestNetworks.random(1, p, new SplittableRandom(5), 1.0);
        Matrix hv = new Matrix(1, p);
        c.net().hessianVectorProduct(c.theta(), c.x(), c.y(), v, hv);
        // Steps of 1e-3 and 1e-4 along a unit-Gaussian v: ReLU/max-pool networks cross kinks of the gradient at 1e-2.
        double errCoarse = relErr(hv.data, fdHv(c, v.data, 1e-3));
        double errFine = relErr(hv.data, fdHv(c, v.data, 1e-4));
        double err = relErr(hv.data, fdHv(c, v.data, 1e-5));
        assertTrue(err < FD_TOL, name + ": " + err);
        assertTrue(errFine < 0.05 * errCoarse || errFine < 1e-9, name + ": error did not fall with h");
    }

    private static double[] fdHv(TestNetworks.Case c, double[] v, double h) {
        int p = v.length;
        double[] tp = c.theta().clone();
        double[] tm = c.theta().clone();
        Vectors.axpy(h, v, tp);
        Vectors.axpy(-h, v, tm);
        double[] gp = new double[p];
        double[] gm = new double[p];
        c.net().lossAndGradient(tp, c.x(), c.y(), gp);
        c.net().lossAndGradient(tm, c.x(), c.y(), gm);
        double[] fd = new double[p];
        for (int j = 0; j < p; j++) {
            fd[j] = (gp[j] - gm[j]) / (2 * h);
        }
        return fd;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void blockedProductsEqualOneAtATime(String name, TestNetworks.Case c) {
        int p = c.theta().length;
        int m = 3;
        Matrix v = TestNetworks.random(m, p, new SplittableRandom(6), 1.0);
        Matrix hBlock = new Matrix(m, p);
        Matrix gBlock = new Matrix(m, p);
        c.net().hessianVectorProduct(c.theta(), c.x(), c.y(), v, hBlock);
        c.net().gaussNewtonVectorProduct(c.theta(), c.x(), v, gBlock);
        for (int j = 0; j < m; j++) {
            Matrix vj = new Matrix(1, p, v.row(j));
            Matrix hj = new Matrix(1, p);
            Matrix gj = new Matrix(1, p);
            c.net().hessianVectorProduct(c.theta(), c.x(), c.y(), vj, hj);
            c.net().gaussNewtonVectorProduct(c.theta(), c.x(), vj, gj);
            assertArrayEquals(hj.data, hBlock.row(j), BLOCK_TOL * (1 + Vectors.norm2(hj.data)), name + " H row " + j);
            assertArrayEquals(gj.data, gBlock.row(j), BLOCK_TOL * (1 + Vectors.norm2(gj.data)), name + " G row " + j);
        }
    }

    /** The product overwrites its output: stale values in it (the Dense blocks are written, not zeroed and added to) do not leak. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void productsOverwriteStaleOutput(String name, TestNetworks.Case c) {
        int p = c.theta().length;
        int m = 2;
        Matrix v = TestNetworks.random(m, p, new SplittableRandom(8), 1.0);
        Matrix hClean = new Matrix(m, p);
        Matrix gClean = new Matrix(m, p);
        c.net().hessianVectorProduct(c.theta(), c.x(), c.y(), v, hClean);
        c.net().gaussNewtonVectorProduct(c.theta(), c.x(), v, gClean);
        Matrix hStale = TestNetworks.random(m, p, new SplittableRandom(9), 1e3);
        Matrix gStale = TestNetworks.random(m, p, new SplittableRandom(10), 1e3);
        c.net().hessianVectorProduct(c.theta(), c.x(), c.y(), v, hStale);
        c.net().gaussNewtonVectorProduct(c.theta(), c.x(), v, gStale);
        assertArrayEquals(hClean.data, hStale.data, 0.0, name + " H");
        assertArrayEquals(gClean.data, gStale.data, 0.0, name + " G");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void gaussNewtonEqualsExplicitJtJOverN(String name, TestNetworks.Case c) {
        Matrix j = c.net().jacobian(c.theta(), c.x());
        Matrix explicit = Blas.get().gram(j, true).scaleInPlace(1.0 / c.x().rows);
        Matrix dense = c.net().gaussNewton(c.theta(), c.x()).toDense(4);
        assertTrue(relErr(dense.data, explicit.data) < GRAM_TOL, name + ": " + relErr(dense.data, explicit.data));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.sgdstab.nn.TestNetworks#cases")
    void hessianIsSymmetricAndEqualsFiniteDifferenceMatrix(String name, TestNetworks.Case c) {
        int p = c.theta().length;
        Matrix h = new Matrix(p, p);
        c.net().hessianVectorProduct(c.theta(), c.x(), c.y(), Matrix.identity(p), h);
        Matrix fd = new Matrix(p, p);
        for (int q = 0; q < p; q++) {
            double[] e = new double[p];
            e[q] = 1.0;
            System.arraycopy(fdHv(c, e, 1e-5), 0, fd.data, q * p, p);
        }
        assertTrue(relErr(h.data, fd.data) < FD_TOL, name + ": " + relErr(h.data, fd.data));
        assertTrue(relErr(h.data, h.transpose().data) < GRAM_TOL, name + ": H not symmetric");
    }

    /** Networks whose m·n × width buffers (m = 8, n = 64, width 128) are large enough to be pooled between calls. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> pooledCases() {
        return java.util.stream.Stream.of(
                java.util.List.<Layer>of(new Dense(8, 128, true, true), new Tanh(128), new Dense(128, 128, true, true),
                        new Tanh(128), new Dense(128, 3, true, true)),
                java.util.List.<Layer>of(new Dense(8, 128, true, true), new Gelu(128), new Dense(128, 128, false, true),
                        new Sigmoid(128), new Dense(128, 2, true, true)),
                java.util.List.<Layer>of(new Dense(8, 128, true, true), new Diagonal(128, true), new Relu(128),
                        new Dense(128, 1, true, true)),
                // Convolution and max pooling write their outputs into reused buffers without zeroing them.
                java.util.List.<Layer>of(new Conv2d(new ImageShape(2, 8, 8), 4, 3, 1, 1, true, true), new Relu(256),
                        new MaxPool2d(new ImageShape(4, 8, 8), 2, 2), new Conv2d(new ImageShape(4, 4, 4), 16, 3, 1, 1, true, true),
                        new Tanh(256), new Dense(256, 3, true, true)))
                .map(layers -> {
                    String name = layers.stream().map(Layer::typeName).collect(java.util.stream.Collectors.joining("-"));
                    return org.junit.jupiter.params.provider.Arguments.of(name, layers);
                });
    }

    /**
     * Scratch buffers reused between calls never leak into results: after calls at a θ full of NaN
     * (which leave NaN in every reused buffer) and at another batch size, the Hessian and
     * Gauss–Newton products, the gradient and Θ equal, bit for bit, those of a fresh network.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pooledCases")
    void reusedBuffersDoNotLeakBetweenCalls(String name, java.util.List<Layer> layers) {
        SplittableRandom rng = new SplittableRandom(21);
        Network net = new Network(layers, new double[0]);
        int p = net.parameterCount();
        double[] theta = TestNetworks.random(1, p, rng, 0.3).data;
        Matrix x = TestNetworks.random(64, net.inputSize(), rng, 1.0);
        Matrix y = TestNetworks.random(64, net.outputSize(), rng, 1.0);
        Matrix v = TestNetworks.random(8, p, rng, 1.0);
        Network fresh = new Network(layers, new double[0]);
        Matrix hExpected = new Matrix(8, p);
        Matrix gExpected = new Matrix(8, p);
        double[] gradExpected = new double[p];
        fresh.hessianVectorProduct(theta, x, y, v, hExpected);
        fresh.gaussNewtonVectorProduct(theta, x, v, gExpected);
        double lossExpected = fresh.lossAndGradient(theta, x, y, gradExpected);
        // Θ's stacked sensitivities (n·K × width) are pooled only when large: a larger batch for it.
        Matrix xGram = TestNetworks.random(256, net.inputSize(), rng, 1.0);
        Matrix thetaExpected = fresh.ntkGram(theta, xGram);

        double[] poison = new double[p];
        java.util.Arrays.fill(poison, Double.NaN);
        Matrix x2 = TestNetworks.random(32, net.inputSize(), rng, 1.0);
        Matrix y2 = TestNetworks.random(32, net.outputSize(), rng, 1.0);
        for (int round = 0; round < 2; round++) {
            net.hessianVectorProduct(poison, x, y, v, new Matrix(8, p));
            net.gaussNewtonVectorProduct(poison, x, v, new Matrix(8, p));
            net.lossAndGradient(poison, x, y, new double[p]);
            net.ntkGram(poison, xGram);
            net.hessianVectorProduct(theta, x2, y2, v, new Matrix(8, p));
            Matrix h = new Matrix(8, p);
            Matrix g = new Matrix(8, p);
            double[] grad = new double[p];
            net.hessianVectorProduct(theta, x, y, v, h);
            net.gaussNewtonVectorProduct(theta, x, v, g);
            double loss = net.lossAndGradient(theta, x, y, grad);
            assertArrayEquals(hExpected.data, h.data, 0.0, name + " H");
            assertArrayEquals(gExpected.data, g.data, 0.0, name + " G");
            assertArrayEquals(gradExpected, grad, 0.0, name + " gradient");
            assertTrue(loss == lossExpected, name + " loss");
            assertArrayEquals(thetaExpected.data, net.ntkGram(theta, xGram).data, 0.0, name + " Θ");
        }
    }

    /**
     * Activation passes large enough to be split over the cores equal plain per-element loops bit
     * for bit (the split must not change any result).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("largeActivations")
    void largeActivationPassesEqualPlainLoops(String name, Elementwise act) {
        int n = 64;
        int dim = act.inputSize();
        int m = (int) (ParallelRanges.MIN_PARALLEL_WORK / ((long) n * dim)) + 1;
        SplittableRandom rng = new SplittableRandom(31);
        Matrix a = TestNetworks.random(n, dim, rng, 1.5);
        Matrix z = new Matrix(n, dim);
        act.forward(a, null, 0, z);
        Matrix g = TestNetworks.random(n, dim, rng, 1.0);
        Matrix t = TestNetworks.random(m * n, dim, rng, 1.0);
        Matrix rgo = TestNetworks.random(m * n, dim, rng, 1.0);
        double[] fwd = new double[t.data.length];
        double[] bwd = new double[t.data.length];
        double[] inPlace = new double[t.data.length];
        for (int q = 0; q < fwd.length; q++) {
            int i = q % (n * dim);
            double x = a.data[i];
            double y = z.data[i];
            double d = act.derivative(x, y);
            fwd[q] = d * t.data[q];
            bwd[q] = d * rgo.data[q] + g.data[i] * act.secondDerivative(x, y) * t.data[q];
            inPlace[q] = d * rgo.data[q] + g.data[i] * act.curvatureRatio(x, y) * t.data[q];
        }
        Matrix dOut = new Matrix(m * n, dim);
        act.rForward(a, z, null, 0, null, 0, t, dOut);
        assertArrayEquals(fwd, dOut.data, 0.0, name + " R-forward");
        Matrix rgIn = new Matrix(m * n, dim);
        act.rBackward(a, z, null, 0, null, 0, t, g, rgo, rgIn, null);
        assertArrayEquals(bwd, rgIn.data, 0.0, name + " R-backward");
        if (act.hasCurvatureRatio()) {
            Matrix rg = rgo.copy();
            act.rBackwardInPlace(a, z, g, t, rg);
            assertArrayEquals(inPlace, rg.data, 0.0, name + " in-place R-backward");
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> largeActivations() {
        return java.util.stream.Stream.of(new Tanh(512), new Sigmoid(512), new Gelu(512), new Relu(512))
                .map(act -> org.junit.jupiter.params.provider.Arguments.of(act.typeName(), act));
    }

    /** Layers that declare {@link Layer#overwritesOutputs}, in the configurations whose loops differ. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> overwritingLayers() {
        return java.util.stream.Stream.of(
                        new Dense(6, 5, true, true), new Dense(6, 3, false, true), new Tanh(7), new Relu(7),
                        new Conv2d(new ImageShape(2, 6, 6), 3, 3, 1, 1, true, true),
                        new Conv2d(new ImageShape(2, 7, 7), 3, 3, 2, 0, false, true),
                        new MaxPool2d(new ImageShape(2, 6, 6), 2, 2),
                        new MaxPool2d(new ImageShape(2, 7, 7), 3, 2),
                        new MaxPool2d(new ImageShape(1, 7, 5), 2, 2))
                .map(l -> org.junit.jupiter.params.provider.Arguments.of(l.typeName() + " " + l.inputSize() + "→" + l.outputSize(), l));
    }

    /**
     * The contract callers rely on when they hand such a layer a reused buffer: forward, backward,
     * rForward and rBackward give the same outputs, bit for bit, whether the output buffers start
     * as zeros or full of NaN.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("overwritingLayers")
    void overwritingLayersIgnoreStaleOutputs(String name, Layer layer) {
        assertTrue(layer.overwritesOutputs(), name);
        SplittableRandom rng = new SplittableRandom(41);
        int n = 3;
        int m = 2;
        int p = layer.paramCount();
        double[] w = TestNetworks.random(1, Math.max(1, p), rng, 0.5).data;
        Matrix a = TestNetworks.random(n, layer.inputSize(), rng, 1.0);
        Matrix z = new Matrix(n, layer.outputSize());
        layer.forward(a, w, 0, z);
        Matrix gOut = TestNetworks.random(n, layer.outputSize(), rng, 1.0);
        Matrix dirs = p > 0 ? TestNetworks.random(m, p, rng, 1.0) : null;
        Matrix dIn = TestNetworks.random(m * n, layer.inputSize(), rng, 1.0);
        Matrix rgOut = TestNetworks.random(m * n, layer.outputSize(), rng, 1.0);
        Matrix[] clean = null;
        for (boolean poisoned : new boolean[] {false, true}) {
            double fill = poisoned ? Double.NaN : 0.0;
            Matrix zz = filled(n, layer.outputSize(), fill);
            layer.forward(a, w, 0, zz);
            Matrix gIn = filled(n, layer.inputSize(), fill);
            layer.backward(a, z, w, 0, gOut, gIn, null, 0);
            Matrix dOut = filled(m * n, layer.outputSize(), fill);
            layer.rForward(a, z, w, 0, dirs, 0, dIn, dOut);
            Matrix rgIn = filled(m * n, layer.inputSize(), fill);
            layer.rBackward(a, z, w, 0, dirs, 0, dIn, gOut, rgOut, rgIn, p > 0 ? new Matrix(m, p) : null);
            assertArrayEquals(z.data, zz.data, 0.0, name + " forward");
            Matrix[] outs = {gIn, dOut, rgIn};
            if (clean == null) {
                clean = outs;
                continue;
            }
            String[] what = {"backward", "rForward", "rBackward"};
            for (int i = 0; i < outs.length; i++) {
                assertArrayEquals(clean[i].data, outs[i].data, 0.0, name + " " + what[i] + ": a stale entry survived");
            }
        }
    }

    private static Matrix filled(int rows, int cols, double v) {
        Matrix m = new Matrix(rows, cols);
        java.util.Arrays.fill(m.data, v);
        return m;
    }
}
