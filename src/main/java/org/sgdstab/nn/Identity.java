package org.sgdstab.nn;

/** f(x) = x, useful to spell out deep linear networks layer by layer. */
public final class Identity extends Elementwise {
    public Identity(int dim) {
        super(dim);
    }

    @Override
    public String typeName() {
        return "identity";
    }

    @Override
    protected double value(double x) {
        return x;
    }

    @Override
    protected double derivative(double x, double y) {
        return 1.0;
    }

    @Override
    protected double secondDerivative(double x, double y) {
        return 0.0;
    }

    @Override
    protected boolean secondDerivativeIsZero() {
        return true;
    }
}
