package org.sgdstab.nn;

import java.util.Arrays;
import org.sgdstab.linalg.Matrix;

/**
 * Max pooling per channel over kh × kw windows with strides sh, sw and no padding (PyTorch's
 * {@code nn.MaxPool2d} with padding = 0, dilation = 1, floor mode). Piecewise linear: the output
 * copies the window's first maximal entry (row-major window order, as PyTorch), so backward and
 * both R-operator passes route through that argmax and f″ = 0.
 */
public final class MaxPool2d extends Pool2d {
    public MaxPool2d(ImageShape input, int kernelH, int kernelW, int strideH, int strideW) {
        super(input, kernelH, kernelW, strideH, strideW);
    }

    /** A square window; {@code stride = kernel} gives PyTorch's default. */
    public MaxPool2d(ImageShape input, int kernel, int stride) {
        this(input, kernel, kernel, stride, stride);
    }

    @Override
    public String typeName() {
        return "maxpool2d";
    }

    /** For each sample i and output feature o, the input feature index of the window's first maximum (n × outSize). */
    private int[] argmax(Matrix a) {
        int n = a.rows;
        int h = win.input().height();
        int w = win.input().width();
        int ho = win.outHeight();
        int wo = win.outWidth();
        int[] idx = new int[n * outSize];
        double[] x = a.data;
        for (int i = 0; i < n; i++) {
            int row = i * inSize;
            int o = i * outSize;
            for (int c = 0; c < win.input().channels(); c++) {
                int plane = c * h * w;
                for (int oy = 0; oy < ho; oy++) {
                    for (int ox = 0; ox < wo; ox++, o++) {
                        int best = plane + oy * win.sh() * w + ox * win.sw();
                        double bestValue = x[row + best];
                        for (int u = 0; u < win.kh(); u++) {
                            int line = plane + (oy * win.sh() + u) * w + ox * win.sw();
                            for (int v = 0; v < win.kw(); v++) {
                                if (x[row + line + v] > bestValue) {
                                    bestValue = x[row + line + v];
                                    best = line + v;
                                }
                            }
                        }
                        idx[o] = best;
                    }
                }
            }
        }
        return idx;
    }

    @Override
    public void forward(Matrix a, double[] w, int off, Matrix z) {
        int[] idx = argmax(a);
        for (int q = 0; q < idx.length; q++) {
            z.data[q] = a.data[(q / outSize) * inSize + idx[q]];
        }
    }

    /** dst row q (overwritten) gets src row q's entries added at the argmax positions of sample q % n. */
    private void route(int[] idx, int n, double[] src, double[] dst) {
        Arrays.fill(dst, 0.0);
        int rows = src.length / outSize;
        for (int q = 0; q < rows; q++) {
            int base = (q % n) * outSize;
            int in = q * inSize;
            int out = q * outSize;
            for (int o = 0; o < outSize; o++) {
                dst[in + idx[base + o]] += src[out + o];
            }
        }
    }

    @Override
    public void backward(Matrix a, Matrix z, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            route(argmax(a), a.rows, gOut.data, gIn.data);
        }
    }

    @Override
    public void rForward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn == null) {
            dOut.zeroInPlace();
            return;
        }
        int n = a.rows;
        int[] idx = argmax(a);
        for (int q = 0; q < dOut.rows; q++) {
            int base = (q % n) * outSize;
            int in = q * inSize;
            int out = q * outSize;
            for (int o = 0; o < outSize; o++) {
                dOut.data[out + o] = dIn.data[in + idx[base + o]];
            }
        }
    }

    @Override
    public void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                          Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        // Piecewise linear: no second-order term, R{g_in} is R{g_out} routed like g.
        if (rgIn != null) {
            route(argmax(a), a.rows, rgOut.data, rgIn.data);
        }
    }
}
