package org.sgdstab.linalg;

/** Small vector kernels on {@code double[]}; outputs are the first argument where one is modified. */
public final class Vectors {
    private Vectors() {
    }

    /** Dot product of x and y. */
    public static double dot(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("length mismatch: " + x.length + " vs " + y.length);
        }
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /** Euclidean norm, scaled so that it neither overflows nor underflows (as LAPACK's dnrm2). */
    public static double norm2(double[] x) {
        double scale = 0;
        for (double v : x) {
            scale = Math.max(scale, Math.abs(v));
        }
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (double v : x) {
            double t = v / scale;
            s += t * t;
        }
        return scale * Math.sqrt(s);
    }

    /** y += a * x. Modifies y. */
    public static void axpy(double a, double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("length mismatch: " + x.length + " vs " + y.length);
        }
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    /** x *= a. Modifies x. */
    public static void scale(double a, double[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= a;
        }
    }
}
