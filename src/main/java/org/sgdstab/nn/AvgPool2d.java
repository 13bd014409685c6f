package org.sgdstab.nn;

import java.util.Arrays;
import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * Average pooling per channel over kh × kw windows with strides sh, sw and no padding (PyTorch's
 * {@code nn.AvgPool2d} with padding = 0, floor mode). Linear: backward spreads each output
 * sensitivity evenly over its window, and the R-operator passes are the same two maps.
 */
public final class AvgPool2d implements Layer {
    private final Window win;
    private final int inSize;
    private final int outSize;

    public AvgPool2d(ImageShape input, int kernelH, int kernelW, int strideH, int strideW) {
        this.win = new Window(input, kernelH, kernelW, strideH, strideW, 0, 0);
        this.inSize = input.size();
        this.outSize = input.channels() * win.outPositions();
    }

    /** A square window; {@code stride = kernel} gives PyTorch's default. */
    public AvgPool2d(ImageShape input, int kernel, int stride) {
        this(input, kernel, kernel, stride, stride);
    }

    public ImageShape inputShape() {
        return win.input();
    }

    public ImageShape outputShape() {
        return new ImageShape(win.input().channels(), win.outHeight(), win.outWidth());
    }

    public int kernelHeight() {
        return win.kh();
    }

    public int kernelWidth() {
        return win.kw();
    }

    public int strideHeight() {
        return win.sh();
    }

    public int strideWidth() {
        return win.sw();
    }

    @Override
    public int inputSize() {
        return inSize;
    }

    @Override
    public int outputSize() {
        return outSize;
    }

    @Override
    public String typeName() {
        return "avgpool2d";
    }

    @Override
    public List<ParamTensor> parameters() {
        return List.of();
    }

    @Override
    public boolean trainable() {
        return false;
    }

    /** dst rows (overwritten) = window means of src rows, for every row of src. */
    private void pool(double[] src, double[] dst) {
        int h = win.input().height();
        int w = win.input().width();
        int ho = win.outHeight();
        int wo = win.outWidth();
        double scale = 1.0 / (win.kh() * win.kw());
        int rows = src.length / inSize;
        int o = 0;
        for (int q = 0; q < rows; q++) {
            for (int c = 0; c < win.input().channels(); c++) {
                int plane = q * inSize + c * h * w;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++, o++) {
                        double s = 0.0;
                        for (int u = 0; u < win.kh(); u++) {
                            int line = plane + (oy * win.sh() + u) * w + ox * win.sw();
                            for (int v = 0; v < win.kw(); v++) {
                                s += src[line + v];
                            }
                        }
                        dst[o] = s * scale;
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #pool}: dst rows (overwritten) get each src entry spread over its window. */
    private void spread(double[] src, double[] dst) {
        Arrays.fill(dst, 0.0);
        int h = win.input().height();
        int w = win.input().width();
        int ho = win.outHeight();
        int wo = win.outWidth();
        double scale = 1.0 / (win.kh() * win.kw());
        int rows = src.length / outSize;
        int o = 0;
        for (int q = 0; q < rows; q++) {
            for (int c = 0; c < win.input().channels(); c++) {
                int plane = q * inSize + c * h * w;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++, o++) {
                        double g = src[o] * scale;
                        for (int u = 0; u < win.kh(); u++) {
                            int line = plane + (oy * win.sh() + u) * w + ox * win.sw();
                            for (int v = 0; v < win.kw(); v++) {
                                dst[line + v] += g;
                            }
                        }
                    }
                }
            }
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
