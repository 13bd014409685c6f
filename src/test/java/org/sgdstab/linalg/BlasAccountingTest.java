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
        // Per shape: one entry each, most time first, adding up to the totals.
        assertEquals(java.util.Set.of("gemm NN 6×5×4", "syrk N 6×4", "gemv N 6×4"),
                t.shapes().stream().map(s -> s.call().label()).collect(java.util.stream.Collectors.toSet()));
        assertEquals(t.flops(), t.shapes().stream().mapToDouble(BlasAccounting.ShapeTotals::flops).sum());
        assertEquals(t.seconds(), t.shapes().stream().mapToDouble(BlasAccounting.ShapeTotals::seconds).sum(), 1e-12);
        for (int i = 1; i < t.shapes().size(); i++) {
            assertTrue(t.shapes().get(i - 1).seconds() >= t.shapes().get(i).seconds());
        }
        blas.gemm(false, false, 6, 5, 4, 1.0, a, 0, 4, b, 0, 5, 0.0, c, 0, 5);
        BlasAccounting.start();
        assertEquals(0, BlasAccounting.stop().calls());
    }

    /** Repeated calls of one shape add up under one entry; a transposed operand is another shape. */
    @Test
    void groupsCallsByShape() {
        Blas blas = Blas.get();
        double[] a = new double[4 * 3];
        double[] c = new double[4 * 4];
        BlasAccounting.start();
        for (int i = 0; i < 3; i++) {
            blas.gemm(false, true, 4, 4, 3, 1.0, a, 0, 3, a, 0, 3, 0.0, c, 0, 4);
        }
        blas.gemm(true, false, 3, 3, 4, 1.0, a, 0, 3, a, 0, 3, 0.0, c, 0, 3);
        BlasAccounting.Totals t = BlasAccounting.stop();
        java.util.Map<String, Long> calls = t.shapes().stream()
                .collect(java.util.stream.Collectors.toMap(s -> s.call().label(), BlasAccounting.ShapeTotals::calls));
        assertEquals(java.util.Map.of("gemm NT 4×4×3", 3L, "gemm TN 3×3×4", 1L), calls);
    }
}
