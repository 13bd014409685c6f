package org.sgdstab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    /** The kernel's own error bound (about 3 ulp by its analysis). */
    static final double MAX_ULPS = VectorMath.TANH_MAX_ULPS;

    @Test
    void tanhMatchesStrictMath() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] x = new double[1003];
        for (int i = 0; i < x.length; i++) {
            double scale = Math.pow(10, rng.nextInt(-12, 3));
            x[i] = scale * rng.nextGaussian();
        }
        x[0] = 0.0;
        x[1] = -0.0;
        x[2] = 1e-300;
        x[3] = 40;
        x[4] = -710;
        x[5] = Double.POSITIVE_INFINITY;
        x[6] = Double.NEGATIVE_INFINITY;
        x[7] = Double.NaN;
        double[] y = new double[x.length];
        VectorMath.tanh(x, y, x.length);
        for (int i = 0; i < x.length; i++) {
            double e = StrictMath.tanh(x[i]);
            if (Double.isNaN(e)) {
                assertTrue(Double.isNaN(y[i]), "tanh(NaN)");
            } else {
                assertEquals(e, y[i], MAX_ULPS * Math.ulp(e), "tanh(" + x[i] + ") on " + VectorMath.backend());
            }
        }
        double[] inPlace = x.clone();
        VectorMath.tanh(inPlace, inPlace, inPlace.length);
        for (int i = 8; i < x.length; i++) {
            assertEquals(y[i], inPlace[i], 0.0, "in place");
        }
    }

    /** The SIMD lanes, the scalar tail and the single-value entry point agree bit for bit, hot or cold. */
    @Test
    void everyPathGivesTheSameBits() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] x = new double[1027];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.pow(10, rng.nextInt(-10, 2)) * rng.nextGaussian();
        }
        double[] first = new double[x.length];
        VectorMath.tanh(x, first, x.length);
        // Warm the JIT so the kernels get compiled, then compare with the cold results.
        double[] hot = new double[x.length];
        for (int rep = 0; rep < 20000; rep++) {
            VectorMath.tanh(x, hot, x.length);
        }
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToRawLongBits(first[i]), Double.doubleToRawLongBits(hot[i]), "cold vs hot at " + x[i]);
            assertEquals(Double.doubleToRawLongBits(first[i]), Double.doubleToRawLongBits(VectorMath.tanh(x[i])), "scalar at " + x[i]);
        }
        // Every offset exercises a different split between lanes and tail.
        for (int len = 0; len < 20; len++) {
            double[] part = new double[len];
            VectorMath.tanh(x, part, len);
            for (int i = 0; i < len; i++) {
                assertEquals(Double.doubleToRawLongBits(first[i]), Double.doubleToRawLongBits(part[i]));
            }
        }
    }

    @Test
    void signedZeroAndSaturation() {
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(VectorMath.tanh(-0.0)));
        assertEquals(1.0, VectorMath.tanh(25.0));
        assertEquals(-1.0, VectorMath.tanh(-1e300));
    }

    /**
     * multiply and multiplyAdd equal the plain loops bit for bit (products and a sum, each rounded once)
     * at every offset and length (lanes and scalar tail), in place included.
     */
    @Test
    void productKernelsEqualPlainLoopsBitForBit() {
        SplittableRandom rng = new SplittableRandom(3);
        int size = 300;
        double[] a = new double[size];
        double[] x = new double[size];
        double[] b = new double[size];
        double[] y = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = rng.nextGaussian();
            x[i] = rng.nextGaussian() * 1e3;
            b[i] = rng.nextGaussian() * 1e-3;
            y[i] = rng.nextGaussian();
        }
        for (int len = 0; len < 40; len++) {
            for (int off : new int[] {0, 1, 5, 13}) {
                double[] prod = new double[size];
                double[] sum = new double[size];
                VectorMath.multiply(a, off, x, 2 * off, prod, 3, len);
                VectorMath.multiplyAdd(a, off, x, 2 * off, b, 0, y, off + 7, sum, 3, len);
                double[] inPlace = y.clone();
                VectorMath.multiplyAdd(a, 0, inPlace, off, b, 1, x, off, inPlace, off, len);
                for (int i = 0; i < len; i++) {
                    assertEquals(Double.doubleToRawLongBits(a[off + i] * x[2 * off + i]), Double.doubleToRawLongBits(prod[3 + i]));
                    double expected = a[off + i] * x[2 * off + i] + b[i] * y[off + 7 + i];
                    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(sum[3 + i]));
                    double expectedInPlace = a[i] * y[off + i] + b[1 + i] * x[off + i];
                    assertEquals(Double.doubleToRawLongBits(expectedInPlace), Double.doubleToRawLongBits(inPlace[off + i]));
                }
            }
        }
    }

    /** ReLU's derivative on SIMD lanes equals the plain select, at every offset and tail length, incl. ±0, NaN and ±∞. */
    @Test
    void positiveIndicatorEqualsThePlainSelect() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE};
        double[] a = new double[200];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 5 == 0 ? special[(i / 5) % special.length] : rng.nextGaussian();
        }
        for (int len = 0; len < 40; len++) {
            for (int off : new int[] {0, 1, 7, 30}) {
                double[] out = new double[len + 2];
                VectorMath.positiveIndicator(a, off, out, 2, len);
                for (int i = 0; i < len; i++) {
                    assertEquals(a[off + i] > 0 ? 1.0 : 0.0, out[2 + i]);
                }
            }
        }
    }
}
