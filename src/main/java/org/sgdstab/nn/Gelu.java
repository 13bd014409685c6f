package org.sgdstab.nn;

/**
 * GELU in its exact form x·Φ(x) (PyTorch's default {@code approximate='none'}), with
 * f′ = Φ(x) + x·φ(x) and f″ = φ(x)·(2 − x²).
 */
public final class Gelu extends Elementwise {
    private static final double INV_SQRT_2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    public Gelu(int dim) {
        super(dim);
    }

    @Override
    public String typeName() {
        return "gelu";
    }

    @Override
    protected double value(double x) {
        return x * normalCdf(x);
    }

    @Override
    protected double derivative(double x, double y) {
        return normalCdf(x) + x * normalPdf(x);
    }

    @Override
    protected double secondDerivative(double x, double y) {
        return normalPdf(x) * (2.0 - x * x);
    }

    static double normalPdf(double x) {
        return INV_SQRT_2PI * Math.exp(-0.5 * x * x);
    }

    /** Φ(x) = erfc(−x/√2)/2, accurate in relative terms also in the far left tail. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT_2);
    }

    /**
     * The complementary error function to about 1e-15 relative accuracy: for |z| < 3 by the
     * series erf z = (2/√π)·e^{−z²}·Σ 2ⁿ z^{2n+1}/(1·3···(2n+1)), whose terms are all positive (no
     * cancellation); for z ≥ 3 by the continued fraction of erfc (modified Lentz).
     */
    static double erfc(double z) {
        if (Double.isNaN(z)) {
            return z;
        }
        if (z < 0) {
            return 2.0 - erfc(-z);
        }
        if (z < 3.0) {
            double z2 = z * z;
            double term = z;
            double sum = z;
            for (int k = 1; k < 200; k++) {
                term *= 2.0 * z2 / (2 * k + 1);
                sum += term;
                if (term < 1e-17 * sum) {
                    break;
                }
            }
            return 1.0 - 2.0 / Math.sqrt(Math.PI) * Math.exp(-z2) * sum;
        }
        if (z > 27.0) {
            return 0.0;
        }
        // erfc z = e^{−z²}/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...))))).
        double tiny = 1e-300;
        double f = z;
        double c = z;
        double d = 0.0;
        for (int k = 1; k < 500; k++) {
            double a = 0.5 * k;
            d = z + a * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = z + a / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return Math.exp(-z * z) / (Math.sqrt(Math.PI) * f);
    }
}
