package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * A parameter-free pooling layer per channel over kh × kw windows with strides sh, sw and no
 * padding (PyTorch's floor mode): (C, H, W) → (C, H_out, W_out). The window geometry, the shapes
 * and the (empty) parameter list are written once here; a subclass supplies the pooling itself.
 */
public abstract sealed class Pool2d implements Layer permits AvgPool2d, MaxPool2d {
    /** The window geometry (padding 0). */
    final Window win;
    /** C·H·W, features per input sample. */
    final int inSize;
    /** C·H_out·W_out, features per output sample. */
    final int outSize;

    Pool2d(ImageShape input, int kernelH, int kernelW, int strideH, int strideW) {
        this.win = new Window(input, kernelH, kernelW, strideH, strideW, 0, 0);
        this.inSize = input.size();
        this.outSize = input.channels() * win.outPositions();
    }

    public final ImageShape inputShape() {
        return win.input();
    }

    public final ImageShape outputShape() {
        return new ImageShape(win.input().channels(), win.outHeight(), win.outWidth());
    }

    public final int kernelHeight() {
        return win.kh();
    }

    public final int kernelWidth() {
        return win.kw();
    }

    public final int strideHeight() {
        return win.sh();
    }

    public final int strideWidth() {
        return win.sw();
    }

    @Override
    public final int inputSize() {
        return inSize;
    }

    @Override
    public final int outputSize() {
        return outSize;
    }

    @Override
    public final List<ParamTensor> parameters() {
        return List.of();
    }

    @Override
    public final boolean trainable() {
        return false;
    }

    @Override
    public final void addGram(Matrix a, Matrix z, double[] w, int off, Matrix sens, Matrix gram) {
        // No parameters, no contribution.
    }
}
