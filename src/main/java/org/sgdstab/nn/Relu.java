package org.sgdstab.nn;

/** max(0, x), with f′(0) = 0 as in PyTorch and f″ = 0 almost everywhere. */
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
        return x > 0 ? x : 0.0;
    }

    @Override
    protected double derivative(double x, double y) {
        return x > 0 ? 1.0 : 0.0;
    }

    @Override
    protected double secondDerivative(double x, double y) {
        return 0.0;
    }

    // The two loops below restate value and derivative so that they inline: the shared generic loops
    // call them through a call site that several activations make megamorphic.
    @Override
    protected void values(double[] a, double[] z) {
        for (int i = 0; i < a.length; i++) {
            double x = a[i];
            z[i] = x > 0 ? x : 0.0;
        }
    }

    @Override
    protected void derivatives(double[] a, double[] z, double[] d) {
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] > 0 ? 1.0 : 0.0;
        }
    }

    @Override
    protected boolean secondDerivativeIsZero() {
        return true;
    }
}
