package org.sgdstab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorMathTest {
    /** SVML's tanh is accurate to a few ulp; 4 leaves room without accepting a real error. */
    static final double MAX_ULPS = 4;

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
}
