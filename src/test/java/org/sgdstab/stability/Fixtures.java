package org.sgdstab.stability;

import java.util.SplittableRandom;
import org.sgdstab.linalg.Matrix;

/** Test-only references built with plain loops, independent of Blas and of the code under test. */
final class Fixtures {
    private Fixtures() {
    }

    /** J (nK × p) with i.i.d. uniform(−1, 1)/sqrt(p) entries, so Θ = JJᵀ has O(1) entries. */
    static Matrix jacobian(int rows, int p, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix j = new Matrix(rows, p);
        double s = 1.0 / Math.sqrt(p);
        for (int i = 0; i < j.data.length; i++) {
            j.data[i] = rng.nextDouble(-1, 1) * s;
        }
        return j;
    }

    static Matrix multiply(Matrix a, Matrix b) {
        Matrix c = new Matrix(a.rows, b.cols);
        for (int i = 0; i < a.rows; i++) {
            for (int j = 0; j < b.cols; j++) {
                double s = 0;
                for (int k = 0; k < a.cols; k++) {
                    s += a.get(i, k) * b.get(k, j);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    /** Θ = J Jᵀ, exactly symmetric. */
    static Matrix gram(Matrix j) {
        Matrix t = multiply(j, j.transpose());
        for (int r = 0; r < t.rows; r++) {
            for (int c = 0; c < r; c++) {
                t.set(r, c, t.get(c, r));
            }
        }
        return t;
    }

    /** Θ = JJᵀ for a random J with nK rows and p columns. */
    static Matrix theta(int n, int k, int p, long seed) {
        return gram(jacobian(n * k, p, seed));
    }

    /** y = M x. */
    static double[] times(Matrix m, double[] x) {
        double[] y = new double[m.rows];
        for (int i = 0; i < m.rows; i++) {
            double s = 0;
            for (int j = 0; j < m.cols; j++) {
                s += m.get(i, j) * x[j];
            }
            y[i] = s;
        }
        return y;
    }

    static double maxAbs(Matrix m) {
        double s = 0;
        for (double v : m.data) {
            s = Math.max(s, Math.abs(v));
        }
        return s;
    }
}
