package org.sgdstab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParallelTest {
    static Stream<Arguments> ranges() {
        return Stream.of(
                Arguments.of("empty", 0, 1),
                Arguments.of("one index", 1, 1),
                Arguments.of("fewer indices than a chunk", 5, 16),
                Arguments.of("exactly two chunks", 32, 16),
                Arguments.of("uneven split", 1001, 7),
                Arguments.of("many small chunks", 10_000, 1));
    }

    /** Every index is visited exactly once, whatever the split. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ranges")
    void visitsEveryIndexOnce(String name, int n, int minChunk) {
        AtomicIntegerArray visits = new AtomicIntegerArray(n);
        Parallel.forRange(n, minChunk, (from, to) -> {
            for (int i = from; i < to; i++) {
                visits.incrementAndGet(i);
            }
        });
        int[] expected = new int[n];
        Arrays.fill(expected, 1);
        int[] actual = new int[n];
        for (int i = 0; i < n; i++) {
            actual[i] = visits.get(i);
        }
        assertArrayEquals(expected, actual);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(-1, 1, (a, b) -> { }));
        assertThrows(IllegalArgumentException.class, () -> Parallel.forRange(4, 0, (a, b) -> { }));
    }
}
