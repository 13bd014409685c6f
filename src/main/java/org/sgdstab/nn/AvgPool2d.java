package org.sgdstab.nn;

import java.util.Arrays;
import org.sgdstab.linalg.Matrix;

/**
 * Average pooling per channel over kh × kw windows with strides sh, sw and no padding (PyTorch's
 * {@code nn.AvgPool2d} with padding = 0, floor mode). Linear: backward spreads each output
 * sensitivity evenly over its window, and the R-operator passes are the same two maps.
 */
public final class AvgPool2d extends Pool2d {
    public AvgPool2d(ImageShape input, int kernelH, int kernelW, int strideH, int strideW) {
        super(input, kernelH, kernelW, strideH, strideW);
    }

    /** A square window; {@code stride = kernel} gives PyTorch's default. */
    public AvgPool2d(ImageShape input, int kernel, int stride) {
        this(input, kernel, kernel, stride, stride);
    }

    @Override
    public String typeName() {
        return "avgpool2d";
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
