package org.sgdstab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ParallelRangesTest {
    static Stream<Arguments> splits() {
        long big = ParallelRanges.MIN_PARALLEL_WORK;
        return Stream.of(
                Arguments.of("serial", 37, 1, 10L),
                Arguments.of("parallel, unit alignment", 16, 1, big),
                Arguments.of("parallel, odd length", 7, 1, big),
                Arguments.of("parallel, chunk alignment", 5000, 1024, big),
                Arguments.of("shorter than one chunk", 300, 1024, big),
                Arguments.of("single element", 1, 1, big));
    }

    /** Every index is visited exactly once, and every range but the last starts on the alignment. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("splits")
    void rangesCoverEveryIndexOnce(String name, int length, int align, long work) {
        AtomicIntegerArray visits = new AtomicIntegerArray(length);
        ParallelRanges.run(length, align, work, (from, to) -> {
            assertTrue(from % align == 0 && from < to && to <= length, name + ": range [" + from + ", " + to + ")");
            for (int i = from; i < to; i++) {
                visits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < length; i++) {
            assertEquals(1, visits.get(i), name + ": index " + i);
        }
    }
}
