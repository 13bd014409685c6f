package org.sgdstab.nn;

/** tanh, with f′ = 1 − y² and f″ = −2y(1 − y²). */
public final class Tanh extends Elementwise {
    public Tanh(int dim) {
        super(dim);
    }

    @Override
    public String typeName() {
        return "tanh";
    }

    @Override
    protected double value(double x) {
        return Math.tanh(x);
    }

    /** SIMD tanh: the forward pass of small tanh networks is otherwise dominated by {@link Math#tanh}. */
    @Override
    protected void values(double[] a, double[] z) {
        org.sgdstab.linalg.VectorMath.tanh(a, z, a.length);
    }

    @Override
    protected double derivative(double x, double y) {
        return 1.0 - y * y;
    }

    @Override
    protected double secondDerivative(double x, double y) {
        return -2.0 * y * (1.0 - y * y);
    }

    /** f″ = −2y·f′, so R-backward can work from the output tangent (see {@link Elementwise#hasCurvatureRatio()}). */
    @Override
    protected boolean hasCurvatureRatio() {
        return true;
    }

    @Override
    protected double curvatureRatio(double x, double y) {
        return -2.0 * y;
    }
}
