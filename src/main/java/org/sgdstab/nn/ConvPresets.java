package org.sgdstab.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Builders of the convolutional families the paper trains on CIFAR-10, at any input size and
 * width, without normalisation layers. Each returns the layer list; {@link ModelSpec#toJson}
 * turns it into a model file (with its {@code input_shape}) and an {@link Initializer} into a
 * model. Residual networks are meant to start from {@link Initializer.Fixup}, which replaces batch
 * normalisation's role at initialisation. docs/models.md lists the architectures.
 */
public final class ConvPresets {
    /** VGG configurations (Simonyan &amp; Zisserman 2015): channel counts, 0 for a 2×2 max-pool. */
    private static final int[][] VGG = {
        {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
        {64, 64, 0, 128, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0},
        {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0},
        {64, 64, 0, 128, 128, 0, 256, 256, 256, 256, 0, 512, 512, 512, 512, 0, 512, 512, 512, 512, 0},
    };
    private static final int[] VGG_DEPTHS = {11, 13, 16, 19};
    /** Widths of the three stages of the CIFAR ResNets (He et al. 2016, section 4.2). */
    private static final int[] RESNET_WIDTHS = {16, 32, 64};

    private ConvPresets() {
    }

    /** max(1, round(base · multiplier)): a scaled channel count. */
    static int scaled(int base, double widthMultiplier) {
        return (int) Math.max(1, Math.round(base * widthMultiplier));
    }

    private static void checkCommon(double widthMultiplier, int c, int h, int w, int k) {
        if (!(widthMultiplier > 0) || !Double.isFinite(widthMultiplier)) {
            throw new IllegalArgumentException("width multiplier must be positive, got " + widthMultiplier);
        }
        if (k < 1) {
            throw new IllegalArgumentException("number of outputs must be ≥ 1, got " + k);
        }
        new ImageShape(c, h, w);
    }

    /** A 2×2 max-pool, or nothing when the map is already narrower than 2 (so tiny inputs still work). */
    private static ImageShape maybePool(List<Layer> layers, ImageShape s) {
        if (s.height() < 2 || s.width() < 2) {
            return s;
        }
        MaxPool2d pool = new MaxPool2d(s, 2, 2);
        layers.add(pool);
        return pool.outputShape();
    }

    /** 3×3 convolution with padding 1 (and the given stride), with bias, then ReLU. */
    private static ImageShape convRelu(List<Layer> layers, ImageShape s, int out) {
        Conv2d conv = new Conv2d(s, out, 3, 1, 1, true, true);
        layers.add(conv);
        layers.add(new Relu(conv.outputSize()));
        return conv.outputShape();
    }

    /** Flatten, then a linear read-out to k outputs. */
    private static void classifier(List<Layer> layers, int features, int k) {
        layers.add(new Flatten(features));
        layers.add(new Dense(features, k, true, true));
    }

    /**
     * A small CNN for quick experiments: conv3×3(C→16) ReLU maxpool2 conv3×3(16→32) ReLU maxpool2
     * flatten linear(→K). A pool is left out where the map is narrower than 2.
     */
    public static List<Layer> smallCnn(int c, int h, int w, int k) {
        checkCommon(1.0, c, h, w, k);
        List<Layer> layers = new ArrayList<>();
        ImageShape s = new ImageShape(c, h, w);
        s = maybePool(layers, convRelu(layers, s, 16));
        s = maybePool(layers, convRelu(layers, s, 32));
        classifier(layers, s.size(), k);
        return layers;
    }

    /**
     * A VGG network without batch normalisation, CIFAR style: the convolutional configuration of
     * VGG-{11, 13, 16, 19} (3×3 convolutions with padding 1 and bias, each followed by ReLU, and
     * 2×2 max-pools), channels scaled by {@code widthMultiplier}, then flatten and one linear layer
     * to K outputs. A max-pool is left out where the map is already narrower than 2, so inputs
     * smaller than 32×32 work.
     *
     * @param depth 11, 13, 16 or 19
     */
    public static List<Layer> vgg(int depth, double widthMultiplier, int c, int h, int w, int k) {
        checkCommon(widthMultiplier, c, h, w, k);
        int[] config = null;
        for (int i = 0; i < VGG_DEPTHS.length; i++) {
            if (VGG_DEPTHS[i] == depth) {
                config = VGG[i];
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("VGG depth must be 11, 13, 16 or 19, got " + depth);
        }
        List<Layer> layers = new ArrayList<>();
        ImageShape s = new ImageShape(c, h, w);
        for (int v : config) {
            s = v == 0 ? maybePool(layers, s) : convRelu(layers, s, scaled(v, widthMultiplier));
        }
        classifier(layers, s.size(), k);
        return layers;
    }

    /**
     * A CIFAR ResNet (He et al. 2016, section 4.2) of depth 6m + 2 without batch normalisation: a
     * 3×3 stem convolution to 16 channels and ReLU, three stages of m basic blocks with 16, 32 and
     * 64 channels (all scaled by {@code widthMultiplier}), global average pooling, flatten and a
     * linear layer to K outputs. A basic block is {@code residual(body: conv3×3 ReLU conv3×3,
     * shortcut)} followed by ReLU; the first block of stages 2 and 3 has stride 2 and a 1×1
     * convolution shortcut with stride 2 (option B), the others the identity. Convolutions have
     * biases except the shortcut's (the body's last bias already shifts the sum). Depth 20, 32,
     * 44, 56 and 110 are the paper's; train it from {@link Initializer.Fixup}.
     *
     * @param depth 6m + 2 for some m ≥ 1
     */
    public static List<Layer> resnet(int depth, double widthMultiplier, int c, int h, int w, int k) {
        checkCommon(widthMultiplier, c, h, w, k);
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("ResNet depth must be 6m + 2 with m ≥ 1 (8, 14, 20, 32, 44, 56, 110, ...), got " + depth);
        }
        int blocks = (depth - 2) / 6;
        List<Layer> layers = new ArrayList<>();
        ImageShape s = convRelu(layers, new ImageShape(c, h, w), scaled(RESNET_WIDTHS[0], widthMultiplier));
        for (int stage = 0; stage < RESNET_WIDTHS.length; stage++) {
            int out = scaled(RESNET_WIDTHS[stage], widthMultiplier);
            for (int b = 0; b < blocks; b++) {
                int stride = stage > 0 && b == 0 ? 2 : 1;
                Conv2d first = new Conv2d(s, out, 3, stride, 1, true, true);
                Conv2d second = new Conv2d(first.outputShape(), out, 3, 1, 1, true, true);
                List<Layer> body = List.of(first, new Relu(first.outputSize()), second);
                List<Layer> shortcut = stride != 1 || s.channels() != out
                        ? List.of(new Conv2d(s, out, 1, stride, 0, false, true)) : null;
                layers.add(new Residual(body, shortcut));
                layers.add(new Relu(second.outputSize()));
                s = second.outputShape();
            }
        }
        GlobalAvgPool pool = new GlobalAvgPool(s);
        layers.add(pool);
        classifier(layers, pool.outputSize(), k);
        return layers;
    }
}
