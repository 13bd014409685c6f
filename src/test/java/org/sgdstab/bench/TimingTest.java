package org.sgdstab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
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
}
