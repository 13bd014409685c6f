package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * An elementwise activation z = f(a) without parameters. A subclass supplies only f, f′ and f″;
 * backward, the R-operator pair and the (empty) Gram contribution are written once here.
 */
public abstract sealed class Elementwise implements Layer permits Tanh, Relu, Sigmoid, Gelu, Identity {
    private final int dim;

    protected Elementwise(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("activation needs a positive width, got " + dim);
        }
        this.dim = dim;
    }

    /** f(x). */
    protected abstract double value(double x);

    /** f′(x), given also y = f(x) so that tanh and sigmoid need no second evaluation. */
    protected abstract double derivative(double x, double y);

    /** f″(x), given also y = f(x). */
    protected abstract double secondDerivative(double x, double y);

    /** True when f″ vanishes almost everywhere (ReLU, identity), so R-backward can skip it. */
    protected boolean secondDerivativeIsZero() {
        return false;
    }

    @Override
    public final int inputSize() {
        return dim;
    }

    @Override
    public final int outputSize() {
        return dim;
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
    public final void forward(Matrix in, double[] w, int off, Matrix out) {
        values(in.data, out.data);
    }

    /** z[i] = f(a[i]) for every i; a subclass may override with a vectorised kernel. Modifies z. */
    protected void values(double[] a, double[] z) {
        for (int i = 0; i < a.length; i++) {
            z[i] = value(a[i]);
        }
    }

    /** f′ at every forward input, n × dim. */
    private double[] derivatives(Matrix in, Matrix out) {
        double[] d = new double[in.data.length];
        derivatives(in.data, out.data, d);
        return d;
    }

    /**
     * d[i] = f′(a[i]) given z[i] = f(a[i]); a subclass may override with a specialised loop (the
     * generic one calls {@link #derivative} per entry, which the JIT cannot inline once several
     * activations share this loop). Modifies d.
     */
    protected void derivatives(double[] a, double[] z, double[] d) {
        for (int i = 0; i < a.length; i++) {
            d[i] = derivative(a[i], z[i]);
        }
    }

    @Override
    public final void backward(Matrix in, Matrix out, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            multiplyStacked(derivatives(in, out), gOut.data, gIn.data);
        }
    }

    /** Each entry of gIn depends only on the same entry of gOut. */
    @Override
    public final boolean backwardInPlace() {
        return true;
    }

    @Override
    public final void addGram(Matrix in, Matrix out, double[] w, int off, Matrix sens, Matrix gram) {
        // No parameters, no contribution.
    }

    @Override
    public final void rForward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn == null) {
            dOut.zeroInPlace();
            return;
        }
        // f′ is computed once per chunk of the per-sample block and applied to every stacked block,
        // so no n × dim derivative array is allocated and each tangent is read and written once.
        double[] a = in.data;
        double[] z = out.data;
        double[] t = dIn.data;
        double[] r = dOut.data;
        int block = a.length;
        double[] d = new double[Math.min(CHUNK, block)];
        for (int start = 0; start < block; start += CHUNK) {
            int len = Math.min(CHUNK, block - start);
            for (int i = 0; i < len; i++) {
                d[i] = derivative(a[start + i], z[start + i]);
            }
            for (int base = start; base < r.length; base += block) {
                for (int i = 0; i < len; i++) {
                    r[base + i] = d[i] * t[base + i];
                }
            }
        }
    }

    /** Elements per chunk of the fused R-passes: the chunk's f′ and f″ stay in L1 while all blocks use them. */
    private static final int CHUNK = 1024;

    @Override
    public final void rBackward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff,
                                Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        if (rgIn == null) {
            return;
        }
        boolean second = gOut != null && dIn != null && !secondDerivativeIsZero();
        if (!second) {
            multiplyStacked(derivatives(in, out), rgOut.data, rgIn.data);
            return;
        }
        // One fused pass: R{g_in} = f′(a) ∘ R{g_out} + g_out ∘ f″(a) ∘ R{a}, with f′ and g_out ∘ f″
        // computed once per chunk and applied to every stacked block.
        double[] a = in.data;
        double[] z = out.data;
        double[] g = gOut.data;
        double[] rgo = rgOut.data;
        double[] t = dIn.data;
        double[] r = rgIn.data;
        int block = a.length;
        int chunk = Math.min(CHUNK, block);
        double[] d1 = new double[chunk];
        double[] g2 = new double[chunk];
        for (int start = 0; start < block; start += CHUNK) {
            int len = Math.min(CHUNK, block - start);
            for (int i = 0; i < len; i++) {
                double x = a[start + i];
                double y = z[start + i];
                d1[i] = derivative(x, y);
                g2[i] = g[start + i] * secondDerivative(x, y);
            }
            for (int base = start; base < r.length; base += block) {
                for (int i = 0; i < len; i++) {
                    r[base + i] = d1[i] * rgo[base + i] + g2[i] * t[base + i];
                }
            }
        }
    }

    /** dst[q] = perSample[q % (n·dim)] · src[q] over a stacked batch. */
    private static void multiplyStacked(double[] perSample, double[] src, double[] dst) {
        int block = perSample.length;
        for (int base = 0; base < src.length; base += block) {
            for (int i = 0; i < block; i++) {
                dst[base + i] = perSample[i] * src[base + i];
            }
        }
    }
}
