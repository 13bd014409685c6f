package org.sgdstab.nn;

import java.util.Arrays;

/**
 * The sliding-window geometry shared by convolution and pooling: an input (C, H, W), a kernel
 * kh × kw, strides sh, sw and zero padding ph, pw, giving H_out = ⌊(H + 2ph − kh)/sh⌋ + 1 and
 * likewise W_out. Also the im2col / col2im kernels of the convolution.
 *
 * <p>im2col layout: the patch matrix of one sample is (C·kh·kw) × (H_out·W_out), row
 * {@code r = (c·kh + u)·kw + v} (PyTorch's weight order), column {@code s = oy·W_out + ox} (the
 * output's spatial order), entry x[c, oy·sh − ph + u, ox·sw − pw + v] or 0 in the padding.
 * Several samples sit side by side in one matrix of leading dimension {@code ld}.
 */
record Window(ImageShape input, int kh, int kw, int sh, int sw, int ph, int pw) {
    Window {
        if (kh < 1 || kw < 1) {
            throw new IllegalArgumentException("kernel size must be ≥ 1, got " + kh + "x" + kw);
        }
        if (sh < 1 || sw < 1) {
            throw new IllegalArgumentException("stride must be ≥ 1, got " + sh + "x" + sw);
        }
        if (ph < 0 || pw < 0) {
            throw new IllegalArgumentException("padding must be ≥ 0, got " + ph + "x" + pw);
        }
        if (input.height() + 2 * ph < kh || input.width() + 2 * pw < kw) {
            throw new IllegalArgumentException("kernel " + kh + "x" + kw + " is larger than the padded input "
                    + (input.height() + 2 * ph) + "x" + (input.width() + 2 * pw));
        }
    }

    int outHeight() {
        return (input.height() + 2 * ph - kh) / sh + 1;
    }

    int outWidth() {
        return (input.width() + 2 * pw - kw) / sw + 1;
    }

    /** H_out·W_out. */
    int outPositions() {
        return outHeight() * outWidth();
    }

    /** C·kh·kw, the length of one patch. */
    int patchSize() {
        return input.channels() * kh * kw;
    }

    /** First output column whose input column ox·sw − pw + v is inside the image (kernel column v). */
    private int firstValidColumn(int v) {
        int need = pw - v;
        return need <= 0 ? 0 : Math.min(outWidth(), (need + sw - 1) / sw);
    }

    /** One past the last output column whose input column is inside the image (kernel column v). */
    private int endValidColumn(int v) {
        int span = input.width() - 1 + pw - v;
        return span < 0 ? 0 : Math.min(outWidth(), span / sw + 1);
    }

    /**
     * Writes the patch matrix of one sample: {@code cols[colOff + r·ld + s]} for r < patchSize,
     * s < outPositions. Modifies {@code cols} only.
     */
    void im2col(double[] x, int xOff, double[] cols, int colOff, int ld) {
        int h = input.height();
        int w = input.width();
        int ho = outHeight();
        int wo = outWidth();
        int r = 0;
        for (int c = 0; c < input.channels(); c++) {
            int plane = xOff + c * h * w;
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, r++) {
                    // The valid output columns form one range; padding outside it is zero.
                    int lo = firstValidColumn(v);
                    int hi = Math.max(lo, endValidColumn(v));
                    int row = colOff + r * ld;
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * sh - ph + u;
                        int dst = row + oy * wo;
                        if (iy < 0 || iy >= h) {
                            Arrays.fill(cols, dst, dst + wo, 0.0);
                            continue;
                        }
                        Arrays.fill(cols, dst, dst + lo, 0.0);
                        Arrays.fill(cols, dst + hi, dst + wo, 0.0);
                        int src = plane + iy * w + lo * sw - pw + v;
                        if (hi == lo) {
                            continue;
                        }
                        if (sw == 1) {
                            System.arraycopy(x, src, cols, dst + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, src += sw) {
                                cols[dst + ox] = x[src];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col}: adds every patch entry back to the input position it was
     * read from (padding entries are dropped). Modifies {@code x} only.
     */
    void col2imAdd(double[] cols, int colOff, int ld, double[] x, int xOff) {
        int h = input.height();
        int w = input.width();
        int ho = outHeight();
        int wo = outWidth();
        int r = 0;
        for (int c = 0; c < input.channels(); c++) {
            int plane = xOff + c * h * w;
            for (int u = 0; u < kh; u++) {
                for (int v = 0; v < kw; v++, r++) {
                    int lo = firstValidColumn(v);
                    int hi = endValidColumn(v);
                    int row = colOff + r * ld;
                    for (int oy = 0; oy < ho; oy++) {
                        int iy = oy * sh - ph + u;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int src = row + oy * wo + lo;
                        int dst = plane + iy * w + lo * sw - pw + v;
                        int len = hi - lo;
                        for (int t = 0; t < len; t++) {
                            x[dst + t * sw] += cols[src + t];
                        }
                    }
                }
            }
        }
    }
}
