package org.sgdstab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.sgdstab.linalg.Matrix;

/**
 * Named tiny convolutional networks with data: every image layer, non-square kernels, strides and
 * padding, overlapping pools, K > 1, frozen convolutions, batch norm, residual blocks with identity
 * and convolution shortcuts, a nested and a frozen block, and tiny VGG-11 and ResNet-8 from
 * {@link ConvPresets}. They join {@link TestNetworks#all()}, so every derivative test covers them.
 */
final class ConvTestNetworks {
    /** He-like weight scale: activations neither vanish nor blow up through the tiny VGG/ResNet. */
    private static final double INIT_SIGMA = 1.5;
    /** Added to every trainable parameter so biases (zero under ScaledGaussian) are exercised too. */
    private static final double THETA_NOISE = 0.1;

    private ConvTestNetworks() {
    }

    private static ImageShape img(int c, int h, int w) {
        return new ImageShape(c, h, w);
    }

    private static Conv2d conv(ImageShape in, int out, int k, int s, int p) {
        return new Conv2d(in, out, k, s, p, true, true);
    }

    /** A frozen layer's stored weights: Gaussian, and for batch norm a positive variance. */
    static void fillFrozen(Layer layer, double[] w, int off, SplittableRandom rng) {
        if (layer instanceof BatchNorm2d b) {
            int c = b.inputShape().channels();
            for (int k = 0; k < c; k++) {
                w[off + k] = 1.0 + 0.3 * rng.nextGaussian();
                w[off + c + k] = 0.3 * rng.nextGaussian();
                w[off + 2 * c + k] = 0.3 * rng.nextGaussian();
                w[off + 3 * c + k] = 0.5 + rng.nextDouble();
            }
        } else if (layer instanceof Residual r) {
            for (int l = 0; l < r.body().size(); l++) {
                fillFrozen(r.body().get(l), w, off + r.bodyOffset(l), rng);
            }
            for (int l = 0; l < r.shortcut().size(); l++) {
                fillFrozen(r.shortcut().get(l), w, off + r.shortcutOffset(l), rng);
            }
        } else {
            for (int i = 0; i < layer.paramCount(); i++) {
                w[off + i] = 0.5 * rng.nextGaussian();
            }
        }
    }

    static TestNetworks.Case make(String name, long seed, int n, List<Layer> layers) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new Initializer.ScaledGaussian(INIT_SIGMA).initialize(layers, rng.split()).theta();
        for (int i = 0; i < theta.length; i++) {
            theta[i] += THETA_NOISE * rng.nextGaussian();
        }
        int f = 0;
        for (Layer l : layers) {
            f += l.trainable() ? 0 : l.paramCount();
        }
        double[] frozen = new double[f];
        int fp = 0;
        for (Layer l : layers) {
            if (!l.trainable()) {
                fillFrozen(l, frozen, fp, rng);
                fp += l.paramCount();
            }
        }
        Network net = new Network(layers, frozen);
        Matrix x = TestNetworks.random(n, net.inputSize(), rng, 1.0);
        Matrix y = TestNetworks.random(n, net.outputSize(), rng, 1.0);
        return new TestNetworks.Case(name, net, theta, x, y);
    }

    static List<TestNetworks.Case> all() {
        List<TestNetworks.Case> cases = new ArrayList<>();

        Conv2d c1 = conv(img(2, 5, 5), 3, 3, 1, 1);
        AvgPool2d p1 = new AvgPool2d(c1.outputShape(), 2, 2);
        cases.add(make("conv-tanh-avgpool-k2", 21, 4, List.of(c1, new Tanh(c1.outputSize()), p1, new Flatten(p1.outputSize()),
                new Dense(p1.outputSize(), 2, true, true))));

        // Non-square kernel, unequal strides and paddings; overlapping max-pool windows.
        Conv2d c2 = new Conv2d(img(1, 6, 5), 2, 3, 2, 2, 1, 1, 0, true, true);
        MaxPool2d p2 = new MaxPool2d(c2.outputShape(), 2, 1);
        cases.add(make("conv-rect-stride-pad-relu-maxpool", 22, 5, List.of(c2, new Relu(c2.outputSize()), p2,
                new Flatten(p2.outputSize()), new Dense(p2.outputSize(), 1, true, true))));

        Conv2d c3a = new Conv2d(img(2, 4, 4), 4, 3, 1, 0, false, true);
        Conv2d c3b = conv(c3a.outputShape(), 3, 1, 1, 0);
        GlobalAvgPool g3 = new GlobalAvgPool(c3b.outputShape());
        cases.add(make("conv-nobias-1x1-globalpool-k3", 23, 4, List.of(c3a, new Gelu(c3a.outputSize()), c3b,
                new Sigmoid(c3b.outputSize()), g3, new Dense(3, 3, true, true))));

        Conv2d c4 = conv(img(1, 4, 4), 2, 3, 1, 1);
        ImageShape s4 = c4.outputShape();
        Residual r4 = new Residual(List.of(conv(s4, 2, 3, 1, 1), new Gelu(s4.size()), conv(s4, 2, 3, 1, 1)), null);
        cases.add(make("residual-identity-shortcut", 24, 4, List.of(c4, new Tanh(s4.size()), r4, new Tanh(s4.size()),
                new GlobalAvgPool(s4), new Flatten(2), new Dense(2, 2, true, true))));

        ImageShape s5 = img(2, 5, 5);
        Conv2d c5 = conv(s5, 3, 3, 2, 1);
        Residual r5 = new Residual(List.of(c5, new Tanh(c5.outputSize()), conv(c5.outputShape(), 3, 3, 1, 1)),
                List.of(new Conv2d(s5, 3, 1, 2, 0, false, true)));
        AvgPool2d p5 = new AvgPool2d(c5.outputShape(), 2, 1);
        cases.add(make("residual-conv-shortcut-first", 25, 4, List.of(r5, new Gelu(c5.outputSize()), p5,
                new Flatten(p5.outputSize()), new Dense(p5.outputSize(), 2, true, true))));

        ImageShape s6 = img(2, 4, 4);
        Conv2d c6 = new Conv2d(s6, 3, 3, 1, 1, true, false);
        Conv2d c6b = conv(c6.outputShape(), 2, 3, 1, 1);
        cases.add(make("frozen-conv-batchnorm", 26, 5, List.of(c6, new BatchNorm2d(c6.outputShape(), 1e-5), new Tanh(c6.outputSize()),
                c6b, new Flatten(c6b.outputSize()), new Dense(c6b.outputSize(), 1, true, true))));

        Conv2d c7 = conv(img(1, 4, 4), 2, 3, 1, 1);
        ImageShape s7 = c7.outputShape();
        Residual r7 = new Residual(List.of(new Conv2d(s7, 2, 3, 1, 1, true, false), new BatchNorm2d(s7, 1e-3), new Tanh(s7.size()),
                new Conv2d(s7, 2, 3, 1, 1, false, false)), null);
        cases.add(make("frozen-residual-with-batchnorm", 27, 4, List.of(c7, r7, new Sigmoid(s7.size()), new Flatten(s7.size()),
                new Dense(s7.size(), 2, true, true))));

        ImageShape s8 = img(2, 4, 4);
        Residual inner = new Residual(List.of(conv(s8, 2, 3, 1, 1), new Tanh(s8.size()), conv(s8, 2, 3, 1, 1)), null);
        Conv2d down = conv(s8, 3, 3, 2, 1);
        AvgPool2d pool8 = new AvgPool2d(s8, 2, 2);
        Residual outer = new Residual(List.of(inner, new Gelu(s8.size()), down), List.of(pool8, conv(pool8.outputShape(), 3, 1, 1, 0)));
        cases.add(make("nested-residual-pool-shortcut", 28, 3, List.of(outer, new Tanh(down.outputSize()), new Flatten(down.outputSize()),
                new Dense(down.outputSize(), 1, true, true))));

        cases.add(make("tiny-vgg11", 29, 3, ConvPresets.vgg(11, 1.0 / 128, 3, 8, 8, 2)));
        cases.add(make("tiny-resnet8", 30, 3, ConvPresets.resnet(8, 1.0 / 16, 2, 6, 6, 2)));
        return cases;
    }

    /** How a rebuilt convolution bounds its block work arrays. */
    enum Blocking {
        /** The production bound: one block for these tiny inputs. */
        DEFAULT,
        /** One sample per block: every single-sample path. */
        ONE_SAMPLE,
        /** Two samples per block in the row kernels: several blocks, a partial last one. */
        TWO_SAMPLES
    }

    /** The layers with every convolution (also inside residual blocks) set to a Gram strategy and blocking. */
    static List<Layer> rebuild(List<Layer> layers, Conv2d.GramStrategy strategy, Blocking blocking) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            if (l instanceof Conv2d c) {
                Conv2d r = c.withGramStrategy(strategy);
                int perSample = (c.inputShape().channels() * c.kernelHeight() * c.kernelWidth() + c.outChannels())
                        * c.outputShape().positions();
                r = switch (blocking) {
                    case DEFAULT -> r;
                    case ONE_SAMPLE -> r.withWorkspace(1);
                    case TWO_SAMPLES -> r.withWorkspace(2 * perSample + 1);
                };
                out.add(r);
            } else if (l instanceof Residual res) {
                List<Layer> sc = res.shortcut().isEmpty() ? null : rebuild(res.shortcut(), strategy, blocking);
                out.add(new Residual(rebuild(res.body(), strategy, blocking), sc));
            } else {
                out.add(l);
            }
        }
        return out;
    }
}
