package org.sgdstab.nn;

/** The logistic function σ(x) = 1/(1 + e^{−x}), with f′ = y(1 − y) and f″ = y(1 − y)(1 − 2y). */
public final class Sigmoid extends Elementwise {
    public Sigmoid(int dim) {
        super(dim);
    }

    @Override
    public String typeName() {
        return "sigmoid";
    }

    @Override
    protected double value(double x) {
        // Two branches so that exp never overflows.
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    @Override
    protected double derivative(double x, double y) {
        return y * (1.0 - y);
    }

    @Override
    protected double secondDerivative(double x, double y) {
        return y * (1.0 - y) * (1.0 - 2.0 * y);
    }

    /** f″ = (1 − 2y)·f′, so R-backward can work from the output tangent (see {@link Elementwise#hasCurvatureRatio()}). */
    @Override
    protected boolean hasCurvatureRatio() {
        return true;
    }

    @Override
    protected double curvatureRatio(double x, double y) {
        return 1.0 - 2.0 * y;
    }
}
