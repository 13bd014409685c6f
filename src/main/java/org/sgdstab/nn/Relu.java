package org.sgdstab.nn;

import org.sgdstab.linalg.VectorMath;

/**
 * max(0, x), with f′(0) = 0 and f″ = 0 almost everywhere. As in PyTorch, NaN propagates through f
 * (Math.max) but f′(NaN) = 0.
 */
public final class Relu extends Elementwise {
    public Relu(int dim) {
        super(dim);
    }

    @Override
    public String typeName() {
        return "relu";
    }

    @Override
    protected double value(double x) {
        return Math.max(x, 0.0);
    }

    @Override
    protected double derivative(double x, double y) {
        return x > 0 ? 1.0 : 0.0;
    }

    @Override
    protected double secondDerivative(double x, double y) {
        return 0.0;
    }

    // The two loops below restate value and derivative so that they vectorise: the shared generic
    // loops call them through a call site that several activations make megamorphic.
    @Override
    protected void values(double[] a, double[] z) {
        for (int i = 0; i < a.length; i++) {
            z[i] = Math.max(a[i], 0.0);
        }
    }

    @Override
    protected void derivatives(double[] a, double[] z, int from, double[] d, int len) {
        VectorMath.positiveIndicator(a, from, d, 0, len);
    }

    @Override
    protected boolean secondDerivativeIsZero() {
        return true;
    }
}
