package org.sgdstab.nn;

import java.util.Arrays;

/**
 * Average pooling per channel over kh × kw windows with strides sh, sw and no padding (PyTorch's
 * {@code nn.AvgPool2d} with padding = 0, floor mode). Linear: backward spreads each output
 * sensitivity evenly over its window, and the R-operator passes are the same two maps.
 */
public final class AvgPool2d extends Pool2d implements FixedLinear {
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

    /** Window means. */
    @Override
    public void apply(double[] src, double[] dst) {
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

    /** Each entry spread evenly over its window. */
    @Override
    public void applyTranspose(double[] src, double[] dst) {
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
}
