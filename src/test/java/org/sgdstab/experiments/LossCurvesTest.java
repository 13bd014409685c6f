package org.sgdstab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** Escaped trajectories count at the cap from their escape on; nothing is ever NaN once a trajectory contributes. */
class LossCurvesTest {
    static final double NAN = Double.NaN;

    @Test
    void escapedTrajectoriesAreCensoredAtTheCap() {
        double cap = 100;
        double[][] losses = {
                {1, 2, 4, 8},
                {1, 50, 1e9, NAN},
                {1, Double.POSITIVE_INFINITY, NAN, NAN},
                {1, 1, NAN, NAN}};
        LossCurves c = LossCurves.of(losses, cap);
        assertEquals(3, c.count()[2], "the unreached step of the non-escaped last trajectory is left out");
        assertEquals((4 + 100 + 100) / 3.0, c.mean()[2], 1e-12);
        assertEquals((8 + 100 + 100) / 3.0, c.mean()[3], 1e-12);
        assertEquals((2 + 50 + 100 + 1) / 4.0, c.mean()[1], 1e-12);
        assertEquals(0.25, c.escapedFraction()[1], 0);
        assertEquals(2.0 / 3, c.escapedFraction()[3], 1e-15);
        assertEquals(100, c.median()[3], 0);
        assertEquals((Math.log(2) + Math.log(50) + Math.log(100) + 0) / 4, c.meanLog()[1], 1e-12);
        for (double v : c.mean()) {
            assertFalse(Double.isNaN(v));
        }
        assertEquals(1, c.firstStepMeanReaches(10));
        assertEquals(-1, c.firstStepMeanReaches(1e3));
    }

    @Test
    void quantilesInterpolateLikeNumpy() {
        double[] sorted = {1, 2, 3, 4, 5};
        assertEquals(3, LossCurves.quantile(sorted, 0.5), 0);
        assertEquals(1.4, LossCurves.quantile(sorted, 0.1), 1e-15);
        assertEquals(4.6, LossCurves.quantile(sorted, 0.9), 1e-15);
    }
}
