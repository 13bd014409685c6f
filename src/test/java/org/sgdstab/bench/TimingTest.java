package org.sgdstab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.sgdstab.linalg.BlasAccounting;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TimingTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("one run", new double[] {5}, 5.0, 5.0, 5.0),
                Arguments.of("odd count", new double[] {3, 1, 2}, 2.0, 1.0, 3.0),
                Arguments.of("even count", new double[] {4, 1, 3, 2}, 2.5, 1.0, 4.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void medianMinMax(String name, double[] seconds, double median, double min, double max) {
        Timing t = new Timing("java", "v", seconds, -1);
        assertEquals(median, t.median());
        assertEquals(min, t.min());
        assertEquals(max, t.max());
    }

    /**
     * The hot-loop ceiling replaces each shape's time by its flops at the hot rate and keeps the
     * measured time of shapes without one: 2 GFLOP at 100 GF/s (0.02 s) plus 0.03 s measured.
     */
    @Test
    void hotCeilingUsesHotRatesWhereKnown() {
        BlasAccounting.Call big = new BlasAccounting.Call(BlasAccounting.Op.GEMM, false, false, 1000, 1000, 1000);
        BlasAccounting.Call small = new BlasAccounting.Call(BlasAccounting.Op.GEMV, false, false, 1000, 1000, 1);
        var totals = new BlasAccounting.Totals(11, 0.08, big.flops() + 10 * small.flops(), java.util.List.of(
                new BlasAccounting.ShapeTotals(big, 1, 0.05), new BlasAccounting.ShapeTotals(small, 10, 0.03)));
        Timing t = new Timing("java", "v", new double[] {0.1}, -1, totals, java.util.Map.of(big, 100.0));
        assertEquals((big.flops() + 10 * small.flops()) / (0.02 + 0.03) * 1e-9, t.hotCeilingGflops(), 1e-9);
        assertTrue(Double.isNaN(new Timing("java", "v", new double[] {0.1}, -1).hotCeilingGflops()));
    }

    /** Every routine replays at a finite, positive rate (tiny shapes: this checks the operand layouts, not speed). */
    @Test
    void hotLoopReplaysEveryRoutine() {
        for (BlasAccounting.Call call : java.util.List.of(
                new BlasAccounting.Call(BlasAccounting.Op.GEMM, true, true, 7, 5, 3),
                new BlasAccounting.Call(BlasAccounting.Op.GEMM, false, true, 7, 5, 3),
                new BlasAccounting.Call(BlasAccounting.Op.SYRK, true, false, 6, 6, 4),
                new BlasAccounting.Call(BlasAccounting.Op.GEMV, true, false, 7, 5, 1))) {
            double g = HotLoopRates.gflops(call);
            assertTrue(g > 0 && Double.isFinite(g), call.label() + ": " + g);
        }
    }
}
