package org.sgdstab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlasAccountingTest {
    /** Counts every call and its useful flops while on, and nothing once stopped. */
    @Test
    void countsCallsAndFlopsWhileOn() {
        Blas blas = Blas.get();
        double[] a = new double[6 * 4];
        double[] b = new double[4 * 5];
        double[] c = new double[6 * 5];
        double[] g = new double[6 * 6];
        double[] y = new double[6];
        BlasAccounting.start();
        blas.gemm(false, false, 6, 5, 4, 1.0, a, 0, 4, b, 0, 5, 0.0, c, 0, 5);
        blas.syrk(false, 6, 4, 1.0, a, 0, 4, 0.0, g, 0, 6);
        blas.gemv(false, 6, 4, 1.0, a, 0, 4, b, 0, 0.0, y, 0);
        BlasAccounting.Totals t = BlasAccounting.stop();
        assertEquals(3, t.calls());
        assertEquals(2.0 * 6 * 5 * 4 + 6.0 * 6 * 4 + 2.0 * 6 * 4, t.flops());
        assertTrue(t.seconds() > 0);
        blas.gemm(false, false, 6, 5, 4, 1.0, a, 0, 4, b, 0, 5, 0.0, c, 0, 5);
        BlasAccounting.start();
        assertEquals(0, BlasAccounting.stop().calls());
    }
}
