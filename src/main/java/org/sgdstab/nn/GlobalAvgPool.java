package org.sgdstab.nn;

import java.util.Arrays;

/**
 * The mean of each channel over all positions, (C, H, W) → (C, 1, 1) (PyTorch's
 * {@code nn.AdaptiveAvgPool2d(1)}); its output is already flat, so a following {@code flatten} is
 * optional. Linear: backward spreads each channel's sensitivity evenly over the H·W positions.
 */
public final class GlobalAvgPool implements FixedLinear {
    private final ImageShape input;

    public GlobalAvgPool(ImageShape input) {
        this.input = input;
    }

    public ImageShape inputShape() {
        return input;
    }

    public ImageShape outputShape() {
        return new ImageShape(input.channels(), 1, 1);
    }

    @Override
    public int inputSize() {
        return input.size();
    }

    @Override
    public int outputSize() {
        return input.channels();
    }

    @Override
    public String typeName() {
        return "global_avgpool";
    }

    /** Channel means. */
    @Override
    public void apply(double[] src, double[] dst) {
        int hw = input.positions();
        double scale = 1.0 / hw;
        for (int r = 0; r < dst.length; r++) {
            int base = r * hw;
            double s = 0.0;
            for (int t = 0; t < hw; t++) {
                s += src[base + t];
            }
            dst[r] = s * scale;
        }
    }

    /** Each channel's entry spread evenly over its positions. */
    @Override
    public void applyTranspose(double[] src, double[] dst) {
        int hw = input.positions();
        double scale = 1.0 / hw;
        for (int r = 0; r < src.length; r++) {
            Arrays.fill(dst, r * hw, (r + 1) * hw, src[r] * scale);
        }
    }
}
