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
        int[] idx = new int[a.rows * outSize];
        ParallelRanges.run(a.rows, 1, (long) a.rows * inSize, (from, to) -> argmax(a.data, from, to, idx));
        return idx;
    }

    /**
     * idx rows [from, to) of {@link #argmax(Matrix)}. Modifies idx.
     *
     * <p>Each step compares the next entry with the current best one reloaded, and selects only the
     * index: an int select compiles to a conditional move, but a double select does not (x86 has no
     * conditional move for vector registers), and carrying the best value as a double made every step
     * a data-dependent branch, mispredicted about half the time (2.1–2.3× slower on W5's first pool).
     */
    private void argmax(double[] x, int from, int to, int[] idx) {
        int channels = win.input().channels();
        int h = win.input().height();
        int w = win.input().width();
        int ho = win.outHeight();
        int wo = win.outWidth();
        int kh = win.kh();
        int kw = win.kw();
        int sh = win.sh();
        int sw = win.sw();
        for (int i = from; i < to; i++) {
            int row = i * inSize;
            int o = i * outSize;
            for (int c = 0; c < channels; c++) {
                int plane = c * h * w;
                for (int oy = 0; oy < ho; oy++) {
                    int top = plane + oy * sh * w;
                    if (kh == 2 && kw == 2) {
                        // The common 2×2 window, unrolled (a generic loop of trip count 2 costs more than
                        // the compares); same scan order and strict > as below, so the same first maximum.
                        for (int ox = 0; ox < wo; ox++, o++) {
                            int p0 = top + ox * sw;
                            int p2 = p0 + w;
                            int best = p0;
                            best = x[row + p0 + 1] > x[row + best] ? p0 + 1 : best;
                            best = x[row + p2] > x[row + best] ? p2 : best;
                            best = x[row + p2 + 1] > x[row + best] ? p2 + 1 : best;
                            idx[o] = best;
                        }
                        continue;
                    }
                    for (int ox = 0; ox < wo; ox++, o++) {
                        int best = top + ox * sw;
                        for (int u = 0; u < kh; u++) {
                            int line = top + u * w + ox * sw;
                            for (int v = 0; v < kw; v++) {
                                best = x[row + line + v] > x[row + best] ? line + v : best;
                            }
                        }
                        idx[o] = best;
                    }
                }
            }
        }
    }

    @Override
    public boolean overwritesOutputs() {
        return true;
    }

    @Override
    public void forward(Matrix a, double[] w, int off, Matrix z) {
        int[] idx = argmax(a);
        for (int i = 0; i < a.rows; i++) {
            int row = i * inSize;
            for (int o = i * outSize, end = o + outSize; o < end; o++) {
                z.data[o] = a.data[row + idx[o]];
            }
        }
    }

    /**
     * dst row q (overwritten) gets src row q's entries added at the argmax positions of sample q % n.
     * Row by row, so each row is cleared and scattered while it sits in cache; rows in parallel.
     */
    private void route(int[] idx, int n, double[] src, double[] dst) {
        int rows = src.length / outSize;
        ParallelRanges.run(rows, 1, (long) rows * inSize, (from, to) -> {
            for (int q = from; q < to; q++) {
                int base = (q % n) * outSize;
                int in = q * inSize;
                int out = q * outSize;
                Arrays.fill(dst, in, in + inSize, 0.0);
                for (int o = 0; o < outSize; o++) {
                    dst[in + idx[base + o]] += src[out + o];
                }
            }
        });
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
