package org.sgdstab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BatchSamplerTest {
    /** Inclusion frequencies over 60,000 draws have a standard error below 0.003; 0.02 is > 6 standard errors. */
    private static final double FREQ_TOL = 0.02;

    static Stream<Arguments> schemes() {
        return Stream.of(Arguments.of("with-replacement", Sampling.WITH_REPLACEMENT),
                Arguments.of("without-replacement", Sampling.WITHOUT_REPLACEMENT), Arguments.of("epoch", Sampling.EPOCH));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemes")
    void everyIndexIsEquallyLikely(String name, Sampling s) {
        int n = 7;
        int b = 3;
        BatchSampler sampler = new BatchSampler(s, n, b, new SplittableRandom(3));
        int[] idx = new int[b];
        double[] counts = new double[n];
        int draws = 20000;
        for (int t = 0; t < draws; t++) {
            sampler.next(idx);
            for (int i : idx) {
                assertTrue(i >= 0 && i < n);
                counts[i]++;
            }
        }
        for (double c : counts) {
            assertEquals(1.0 / n, c / (draws * (double) b), FREQ_TOL, name);
        }
    }

    @Test
    void withoutReplacementNeverRepeatsWithinABatch() {
        BatchSampler sampler = new BatchSampler(Sampling.WITHOUT_REPLACEMENT, 5, 5, new SplittableRandom(1));
        int[] idx = new int[5];
        for (int t = 0; t < 100; t++) {
            sampler.next(idx);
            int[] sorted = idx.clone();
            Arrays.sort(sorted);
            assertTrue(Arrays.equals(sorted, new int[] {0, 1, 2, 3, 4}));
        }
    }

    @Test
    void epochVisitsEverySampleOncePerEpoch() {
        BatchSampler sampler = new BatchSampler(Sampling.EPOCH, 6, 2, new SplittableRandom(2));
        int[] idx = new int[2];
        for (int epoch = 0; epoch < 10; epoch++) {
            int[] seen = new int[6];
            for (int b = 0; b < 3; b++) {
                sampler.next(idx);
                for (int i : idx) {
                    seen[i]++;
                }
            }
            assertTrue(Arrays.stream(seen).allMatch(c -> c == 1), "epoch " + epoch);
        }
    }

    @Test
    void withReplacementRepeatsSometimes() {
        // Proves the test above could fail: i.i.d. draws do repeat.
        BatchSampler sampler = new BatchSampler(Sampling.WITH_REPLACEMENT, 5, 5, new SplittableRandom(1));
        int[] idx = new int[5];
        boolean repeated = false;
        for (int t = 0; t < 100 && !repeated; t++) {
            sampler.next(idx);
            repeated = Arrays.stream(idx).distinct().count() < 5;
        }
        assertTrue(repeated);
    }

    @Test
    void batchLargerThanNWithoutReplacementIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new BatchSampler(Sampling.WITHOUT_REPLACEMENT, 3, 4, new SplittableRandom(1)));
    }
}
