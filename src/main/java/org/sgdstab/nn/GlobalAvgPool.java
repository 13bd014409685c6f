package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * The mean of each channel over all positions, (C, H, W) → (C, 1, 1) (PyTorch's
 * {@code nn.AdaptiveAvgPool2d(1)}); its output is already flat, so a following {@code flatten} is
 * optional. Linear: backward spreads each channel's sensitivity evenly over the H·W positions.
 */
public final class GlobalAvgPool implements Layer {
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

    @Override
    public List<ParamTensor> parameters() {
        return List.of();
    }

    @Override
    public boolean trainable() {
        return false;
    }

    private void pool(double[] src, double[] dst) {
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

    private void spread(double[] src, double[] dst) {
        int hw = input.positions();
        double scale = 1.0 / hw;
        for (int r = 0; r < src.length; r++) {
            java.util.Arrays.fill(dst, r * hw, (r + 1) * hw, src[r] * scale);
        }
    }

    @Override
    public void forward(Matrix a, double[] w, int off, Matrix z) {
        pool(a.data, z.data);
    }

    @Override
    public void backward(Matrix a, Matrix z, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            spread(gOut.data, gIn.data);
        }
    }

    @Override
    public void addGram(Matrix a, Matrix z, double[] w, int off, Matrix sens, Matrix gram) {
        // No parameters, no contribution.
    }

    @Override
    public void rForward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn == null) {
            dOut.zeroInPlace();
        } else {
            pool(dIn.data, dOut.data);
        }
    }

    @Override
    public void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                          Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        if (rgIn != null) {
            spread(rgOut.data, rgIn.data);
        }
    }
}
