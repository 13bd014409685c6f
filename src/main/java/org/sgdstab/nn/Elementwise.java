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
        double[] a = in.data;
        double[] z = out.data;
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = derivative(a[i], z[i]);
        }
        return d;
    }

    @Override
    public final void backward(Matrix in, Matrix out, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            multiplyStacked(derivatives(in, out), gOut.data, gIn.data);
        }
    }

    @Override
    public final void addGram(Matrix in, Matrix out, double[] w, int off, Matrix sens, Matrix gram) {
        // No parameters, no contribution.
    }

    @Override
    public final void rForward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn == null) {
            dOut.zeroInPlace();
        } else {
            multiplyStacked(derivatives(in, out), dIn.data, dOut.data);
        }
    }

    @Override
    public final void rBackward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff,
                                Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        if (rgIn == null) {
            return;
        }
        multiplyStacked(derivatives(in, out), rgOut.data, rgIn.data);
        if (gOut == null || dIn == null || secondDerivativeIsZero()) {
            return;
        }
        // R{g_in} also has g_out ∘ f″(a) ∘ R{a}.
        double[] a = in.data;
        double[] z = out.data;
        double[] g2 = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            g2[i] = gOut.data[i] * secondDerivative(a[i], z[i]);
        }
        double[] t = dIn.data;
        double[] r = rgIn.data;
        int block = a.length;
        for (int base = 0; base < r.length; base += block) {
            for (int i = 0; i < block; i++) {
                r[base + i] += g2[i] * t[base + i];
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
