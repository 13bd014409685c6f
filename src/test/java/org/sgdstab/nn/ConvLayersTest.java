package org.sgdstab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.Vectors;

/**
 * Convolution-specific checks on top of the generic derivative tests (which run on
 * {@link ConvTestNetworks} through {@link TestNetworks}): both Gram strategies and every blocking
 * path against explicit J Jᵀ, blocked kernels against unblocked ones, forward passes against plain
 * loops, max-pool tie routing, the Gram cost model, residual composition rules, the builders and
 * Fixup initialisation.
 */
class ConvLayersTest {
    /** Θ and J Jᵀ are the same sums in a different order: only round-off differs. */
    private static final double GRAM_TOL = 1e-10;
    /** Blocked and unblocked kernels do the same arithmetic in different GEMM shapes: round-off only. */
    private static final double BLOCK_TOL = 1e-12;
    /** A plain loop and im2col + GEMM sum the same products in different orders. */
    private static final double LOOP_TOL = 1e-13;

    private static double relErr(double[] a, double[] b) {
        double[] d = a.clone();
        Vectors.axpy(-1.0, b, d);
        return Vectors.norm2(d) / Math.max(1e-300, Math.max(Vectors.norm2(a), Vectors.norm2(b)));
    }

    private static Network rebuilt(TestNetworks.Case c, Conv2d.GramStrategy s, ConvTestNetworks.Blocking b) {
        return new Network(ConvTestNetworks.rebuild(c.net().layers(), s, b), c.net().frozenWeights());
    }

    static Stream<Arguments> strategyCases() {
        List<Arguments> out = new ArrayList<>();
        for (TestNetworks.Case c : ConvTestNetworks.all()) {
            for (Conv2d.GramStrategy s : List.of(Conv2d.GramStrategy.SPATIAL, Conv2d.GramStrategy.PER_SAMPLE)) {
                for (ConvTestNetworks.Blocking b : ConvTestNetworks.Blocking.values()) {
                    out.add(Arguments.of(c.name() + " " + s + " " + b, c, s, b));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strategyCases")
    void ntkGramOfEachStrategyAndBlockingEqualsExplicitJacobianProduct(String name, TestNetworks.Case c, Conv2d.GramStrategy s,
                                                                        ConvTestNetworks.Blocking b) {
        Network net = rebuilt(c, s, b);
        Matrix gram = net.ntkGram(c.theta(), c.x());
        Matrix explicit = Blas.get().gram(c.net().jacobian(c.theta(), c.x()), false);
        assertTrue(relErr(gram.data, explicit.data) < GRAM_TOL, name + ": " + relErr(gram.data, explicit.data));
    }

    static Stream<Arguments> blockingCases() {
        List<Arguments> out = new ArrayList<>();
        for (TestNetworks.Case c : ConvTestNetworks.all()) {
            out.add(Arguments.of(c.name() + " ONE_SAMPLE", c, ConvTestNetworks.Blocking.ONE_SAMPLE));
            out.add(Arguments.of(c.name() + " TWO_SAMPLES", c, ConvTestNetworks.Blocking.TWO_SAMPLES));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blockingCases")
    void blockedKernelsEqualUnblockedOnes(String name, TestNetworks.Case c, ConvTestNetworks.Blocking b) {
        Network ref = c.net();
        Network net = rebuilt(c, Conv2d.GramStrategy.AUTO, b);
        int p = c.theta().length;
        assertTrue(relErr(net.predict(c.theta(), c.x()).data, ref.predict(c.theta(), c.x()).data) < BLOCK_TOL, name + " forward");
        double[] g = new double[p];
        double[] gRef = new double[p];
        net.lossAndGradient(c.theta(), c.x(), c.y(), g);
        ref.lossAndGradient(c.theta(), c.x(), c.y(), gRef);
        assertTrue(relErr(g, gRef) < BLOCK_TOL, name + " gradient");
        Matrix v = TestNetworks.random(3, p, new SplittableRandom(8), 1.0);
        Matrix hv = new Matrix(3, p);
        Matrix hvRef = new Matrix(3, p);
        net.hessianVectorProduct(c.theta(), c.x(), c.y(), v, hv);
        ref.hessianVectorProduct(c.theta(), c.x(), c.y(), v, hvRef);
        assertTrue(relErr(hv.data, hvRef.data) < BLOCK_TOL, name + " Hv");
        net.gaussNewtonVectorProduct(c.theta(), c.x(), v, hv);
        ref.gaussNewtonVectorProduct(c.theta(), c.x(), v, hvRef);
        assertTrue(relErr(hv.data, hvRef.data) < BLOCK_TOL, name + " Gv");
    }

    /** z[i,o,y,x] = b[o] + Σ W[o,c,u,v]·a[i,c,y·sh−ph+u, x·sw−pw+v] by plain loops. */
    private static double[] convByLoops(Conv2d conv, double[] a, int n, double[] w) {
        ImageShape in = conv.inputShape();
        ImageShape out = conv.outputShape();
        int kh = conv.kernelHeight();
        int kw = conv.kernelWidth();
        double[] z = new double[n * out.size()];
        int bOff = out.channels() * in.channels() * kh * kw;
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < out.channels(); o++) {
                for (int y = 0; y < out.height(); y++) {
                    for (int x = 0; x < out.width(); x++) {
                        double s = conv.hasBias() ? w[bOff + o] : 0.0;
                        for (int c = 0; c < in.channels(); c++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int iy = y * conv.strideHeight() - conv.paddingHeight() + u;
                                    int ix = x * conv.strideWidth() - conv.paddingWidth() + v;
                                    if (iy >= 0 && iy < in.height() && ix >= 0 && ix < in.width()) {
                                        s += w[((o * in.channels() + c) * kh + u) * kw + v]
                                                * a[i * in.size() + (c * in.height() + iy) * in.width() + ix];
                                    }
                                }
                            }
                        }
                        z[i * out.size() + (o * out.height() + y) * out.width() + x] = s;
                    }
                }
            }
        }
        return z;
    }

    static Stream<Arguments> convShapes() {
        ImageShape s = new ImageShape(3, 7, 6);
        return Stream.of(
                Arguments.of("3x3 pad 1", new Conv2d(s, 4, 3, 1, 1, true, true)),
                Arguments.of("rect kernel, strides 2x3, pads 2x0", new Conv2d(s, 2, 2, 3, 2, 3, 2, 0, true, true)),
                Arguments.of("1x1 stride 2 no bias", new Conv2d(s, 5, 1, 2, 0, false, true)),
                Arguments.of("kernel = input", new Conv2d(s, 2, 7, 6, 1, 1, 0, 0, true, true)),
                Arguments.of("padding wider than the kernel reach", new Conv2d(new ImageShape(2, 1, 1), 3, 1, 1, 2, 2, 1, 1, true, true)),
                Arguments.of("5x5 pad 3 stride 3", new Conv2d(s, 2, 5, 3, 3, true, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convShapes")
    void convolutionForwardEqualsPlainLoopsForEveryBlocking(String name, Conv2d conv) {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 5;
        Matrix a = TestNetworks.random(n, conv.inputSize(), rng, 1.0);
        double[] w = TestNetworks.random(1, conv.paramCount(), rng, 1.0).data;
        double[] expected = convByLoops(conv, a.data, n, w);
        int perSample = (conv.inputShape().channels() * conv.kernelHeight() * conv.kernelWidth() + conv.outChannels())
                * conv.outputShape().positions();
        for (Conv2d c : List.of(conv, conv.withWorkspace(1), conv.withWorkspace(2 * perSample))) {
            Matrix z = new Matrix(n, c.outputSize());
            c.forward(a, w, 0, z);
            assertTrue(relErr(z.data, expected) < LOOP_TOL, name + ": " + relErr(z.data, expected));
        }
    }

    @Test
    void maxPoolRoutesTiesToTheFirstMaximumAsPyTorch() {
        MaxPool2d pool = new MaxPool2d(new ImageShape(1, 2, 2), 2, 2);
        Matrix a = new Matrix(1, 4, new double[] {1.0, 3.0, 3.0, 2.0});
        Matrix z = new Matrix(1, 1);
        pool.forward(a, new double[0], 0, z);
        assertEquals(3.0, z.data[0]);
        Matrix gIn = new Matrix(1, 4);
        pool.backward(a, z, new double[0], 0, new Matrix(1, 1, new double[] {1.0}), gIn, null, 0);
        assertArrayEquals(new double[] {0.0, 1.0, 0.0, 0.0}, gIn.data, 0.0);
    }

    /**
     * Max pooling against plain loops, with ties (values on a coarse grid): the unrolled 2×2 path and the
     * generic one, overlapping windows, windows with leftover rows, and windows that tile the input
     * (whose backward writes each input entry once instead of clearing and scattering).
     */
    @ParameterizedTest(name = "{0}x{0} stride {1} on {2}x{3}")
    @CsvSource({"2, 1, 5, 6", "2, 2, 5, 6", "2, 2, 6, 6", "3, 3, 6, 9", "3, 2, 7, 5"})
    void maxPoolMatchesPlainLoopsIncludingTies(int k, int stride, int height, int width) {
        ImageShape s = new ImageShape(2, height, width);
        SplittableRandom rng = new SplittableRandom(7);
        Matrix a = new Matrix(3, s.size());
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = rng.nextInt(3);
        }
        MaxPool2d pool = new MaxPool2d(s, k, k, stride, stride);
        ImageShape o = pool.outputShape();
        Matrix z = new Matrix(3, pool.outputSize());
        pool.forward(a, null, 0, z);
        Matrix g = new Matrix(3, pool.outputSize());
        for (int i = 0; i < g.data.length; i++) {
            g.data[i] = i + 1;
        }
        Matrix gIn = new Matrix(3, s.size());
        pool.backward(a, z, null, 0, g, gIn, null, 0);
        double[] expectedIn = new double[gIn.data.length];
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < o.height(); y++) {
                    for (int x = 0; x < o.width(); x++) {
                        int best = -1;
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                int at = i * s.size() + c * s.positions() + (y * stride + u) * s.width() + x * stride + v;
                                if (best < 0 || a.data[at] > a.data[best]) {
                                    best = at;
                                }
                            }
                        }
                        int out = i * o.size() + c * o.positions() + y * o.width() + x;
                        assertEquals(a.data[best], z.data[out], 0.0);
                        expectedIn[best] += g.data[out];
                    }
                }
            }
        }
        assertArrayEquals(expectedIn, gIn.data, 0.0);
    }

    @Test
    void poolingForwardEqualsPlainLoops() {
        ImageShape s = new ImageShape(2, 5, 4);
        SplittableRandom rng = new SplittableRandom(4);
        Matrix a = TestNetworks.random(3, s.size(), rng, 1.0);
        MaxPool2d max = new MaxPool2d(s, 3, 2, 2, 1);
        AvgPool2d avg = new AvgPool2d(s, 3, 2, 2, 1);
        GlobalAvgPool global = new GlobalAvgPool(s);
        Matrix zMax = new Matrix(3, max.outputSize());
        Matrix zAvg = new Matrix(3, avg.outputSize());
        Matrix zGlobal = new Matrix(3, global.outputSize());
        max.forward(a, null, 0, zMax);
        avg.forward(a, null, 0, zAvg);
        global.forward(a, null, 0, zGlobal);
        ImageShape o = max.outputShape();
        assertEquals(new ImageShape(2, 2, 3), o);
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 2; c++) {
                double total = 0.0;
                for (int t = 0; t < s.positions(); t++) {
                    total += a.data[i * s.size() + c * s.positions() + t];
                }
                assertEquals(total / s.positions(), zGlobal.data[i * 2 + c], 1e-15);
                for (int y = 0; y < o.height(); y++) {
                    for (int x = 0; x < o.width(); x++) {
                        double m = Double.NEGATIVE_INFINITY;
                        double sum = 0.0;
                        for (int u = 0; u < 3; u++) {
                            for (int v = 0; v < 2; v++) {
                                double e = a.data[i * s.size() + (c * 5 + 2 * y + u) * 4 + x + v];
                                m = Math.max(m, e);
                                sum += e;
                            }
                        }
                        int q = i * o.size() + (c * o.height() + y) * o.width() + x;
                        assertEquals(m, zMax.data[q], 0.0);
                        assertEquals(sum / 6, zAvg.data[q], 1e-15);
                    }
                }
            }
        }
    }

    @Test
    void batchNormIsTheEvaluationModeAffineMap() {
        ImageShape s = new ImageShape(2, 1, 2);
        BatchNorm2d bn = new BatchNorm2d(s, 0.5);
        // γ, β, µ, σ² per channel.
        double[] w = {2.0, -1.0, 0.5, 0.0, 1.0, 3.0, 3.5, 1.5};
        Matrix a = new Matrix(1, 4, new double[] {1.0, 2.0, 4.0, 5.0});
        Matrix z = new Matrix(1, 4);
        bn.forward(a, w, 0, z);
        double[] expected = {2.0 * (1 - 1) / 2 + 0.5, 2.0 * (2 - 1) / 2 + 0.5, -1.0 * (4 - 3) / Math.sqrt(2) + 0.0,
            -1.0 * (5 - 3) / Math.sqrt(2)};
        assertArrayEquals(expected, z.data, 1e-15);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var"), bn.parameters().stream().map(ParamTensor::name).toList());
    }

    @Test
    void costModelPrefersPerSampleGradientsForLargeMapsAndSpatialSumsForSmallOnes() {
        Conv2d early = new Conv2d(new ImageShape(3, 32, 32), 16, 3, 1, 1, true, true);
        Conv2d late = new Conv2d(new ImageShape(256, 4, 4), 256, 3, 1, 1, true, true);
        assertEquals(Conv2d.GramStrategy.PER_SAMPLE, early.resolveGramStrategy(128, 10));
        assertEquals(Conv2d.GramStrategy.SPATIAL, late.resolveGramStrategy(128, 10));
        assertTrue(early.perSampleGramFlops(128, 10) < early.spatialGramFlops(128, 10));
        assertEquals(Conv2d.GramStrategy.SPATIAL, early.withGramStrategy(Conv2d.GramStrategy.SPATIAL).resolveGramStrategy(128, 10));
    }

    @Test
    void residualRejectsMixedTrainabilityAndMismatchedBranches() {
        ImageShape s = new ImageShape(2, 3, 3);
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class, () -> new Residual(
                List.of(new Conv2d(s, 2, 3, 1, 1, true, true), new BatchNorm2d(s, 1e-5)), null));
        assertTrue(mixed.getMessage().contains("body.0 (conv2d) is trainable but body.1 (batchnorm2d) is frozen"), mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Residual(List.of(new Conv2d(s, 3, 3, 1, 1, true, true)), null));
        assertThrows(IllegalArgumentException.class, () -> new Residual(List.of(new Conv2d(s, 3, 3, 1, 1, true, true)),
                List.of(new Conv2d(s, 2, 1, 1, 0, true, true))));
    }

    @Test
    void residualParametersNestLikePyTorchModules() {
        ImageShape s = new ImageShape(2, 4, 4);
        Residual r = new Residual(List.of(new Conv2d(s, 3, 3, 2, 1, true, true), new Relu(12),
                new Conv2d(new ImageShape(3, 2, 2), 3, 3, 1, 1, false, true)), List.of(new Conv2d(s, 3, 1, 2, 0, false, true)));
        assertEquals(List.of("body.0.weight", "body.0.bias", "body.2.weight", "shortcut.0.weight"),
                r.parameters().stream().map(ParamTensor::name).toList());
        assertEquals(2 * 9 * 3 + 3, r.bodyOffset(2));
        assertEquals(2 * 9 * 3 + 3 + 3 * 9 * 3, r.shortcutOffset(0));
        assertEquals(2 * 9 * 3 + 3 + 3 * 9 * 3 + 2 * 3, r.paramCount());
    }

    @Test
    void vgg16AtFullWidthHasTheKnownCifarParameterCount() {
        // 14,714,688 convolution parameters (13 layers with biases) plus a 512 → 10 linear layer.
        List<Layer> vgg = ConvPresets.vgg(16, 1.0, 3, 32, 32, 10);
        assertEquals(14_719_818, vgg.stream().mapToInt(Layer::paramCount).sum());
        assertEquals(13, vgg.stream().filter(l -> l instanceof Conv2d).count());
        assertEquals(5, vgg.stream().filter(l -> l instanceof MaxPool2d).count());
        assertEquals(8, ConvPresets.vgg(11, 1.0, 3, 32, 32, 10).stream().filter(l -> l instanceof Conv2d).count());
        assertEquals(16, ConvPresets.vgg(19, 1.0, 3, 32, 32, 10).stream().filter(l -> l instanceof Conv2d).count());
        // An 8×8 input keeps three of the five pools.
        assertEquals(3, ConvPresets.vgg(13, 0.25, 3, 8, 8, 10).stream().filter(l -> l instanceof MaxPool2d).count());
        assertThrows(IllegalArgumentException.class, () -> ConvPresets.vgg(12, 1.0, 3, 32, 32, 10));
    }

    @Test
    void resnetHas6mPlus2WeightLayersInThreeStages() {
        for (int depth : new int[] {20, 32, 44, 56, 110}) {
            List<Layer> net = ConvPresets.resnet(depth, 0.5, 3, 32, 32, 10);
            int m = (depth - 2) / 6;
            List<Residual> blocks = net.stream().filter(l -> l instanceof Residual).map(l -> (Residual) l).toList();
            assertEquals(3 * m, blocks.size());
            long convs = net.stream().filter(l -> l instanceof Conv2d).count()
                    + blocks.stream().flatMap(b -> b.body().stream()).filter(l -> l instanceof Conv2d).count();
            assertEquals(depth - 1, convs, "stem + 2 per block");
            assertEquals(2, blocks.stream().filter(b -> !b.shortcut().isEmpty()).count());
            Layer pool = net.get(net.size() - 3);
            assertEquals(new ImageShape(32, 8, 8), ((GlobalAvgPool) pool).inputShape());
            assertEquals(10, net.get(net.size() - 1).outputSize());
        }
        assertThrows(IllegalArgumentException.class, () -> ConvPresets.resnet(21, 1.0, 3, 32, 32, 10));
    }

    @Test
    void fixupZeroesTheLastLayerOfEachBranchAndTheClassifierAndScalesTheRest() {
        List<Layer> layers = ConvPresets.resnet(20, 1.0, 3, 16, 16, 10);
        Model m = new Initializer.Fixup().initialize(layers, new SplittableRandom(1));
        double[] theta = m.theta();
        Network net = m.network();
        int blocks = 9;
        double scale = Math.pow(blocks, -0.5);
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l) instanceof Residual r) {
                int off = net.offset(l);
                Conv2d first = (Conv2d) r.body().get(0);
                int fanIn = first.inputShape().channels() * 9;
                double ss = 0.0;
                int count = first.outChannels() * fanIn;
                for (int i = 0; i < count; i++) {
                    ss += theta[off + i] * theta[off + i];
                }
                double sd = Math.sqrt(ss / count);
                double expected = scale * Math.sqrt(2.0 / fanIn);
                assertEquals(expected, sd, 0.2 * expected, "He scaled by L^(-1/2) in block " + l);
                int lastOff = off + r.bodyOffset(2);
                for (int i = 0; i < r.body().get(2).paramCount(); i++) {
                    assertEquals(0.0, theta[lastOff + i], 0.0);
                }
            }
        }
        int head = net.offset(layers.size() - 1);
        for (int i = head; i < theta.length; i++) {
            assertEquals(0.0, theta[i], 0.0);
        }
        assertTrue(Vectors.norm2(theta) > 0);
    }
}
