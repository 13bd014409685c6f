package org.sgdstab.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;

class DenseSpectrumTest {
    /** Backward-stable dense eigensolver on ‖A‖ ≤ 10, n ≤ 50: errors ~ n·ε·‖A‖. */
    private static final double RTOL = 1e-12;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("psd block 1", KnownSpectrum.of(KnownSpectrum.uniform(30, 0, 10, 41), 301), 1),
                Arguments.of("indefinite block 7", KnownSpectrum.of(KnownSpectrum.uniform(50, -5, 5, 42), 302), 7),
                Arguments.of("degenerate block 100", KnownSpectrum.of(new double[] {2, 2, 2, -1, -1, 0}, 303), 100),
                Arguments.of("1x1", KnownSpectrum.of(new double[] {-3}, 304), 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheKnownSpectrum(String name, KnownSpectrum s, int block) {
        DenseSpectrum d = DenseSpectrum.of(s.operator(), block);
        double scale = Math.max(1, s.spectralNorm());
        double[] ascending = s.lambda.clone();
        Arrays.sort(ascending);
        assertArrayEquals(ascending, d.eigenvalues(), RTOL * scale * s.dim(), name);
        assertEquals(s.trace(), d.trace(), RTOL * scale * s.dim(), name);
        assertEquals(Math.sqrt(s.frobeniusSquared()), d.frobenius(), RTOL * scale * s.dim(), name);
        assertEquals(ascending[ascending.length - 1], d.lambdaMax(), RTOL * scale * s.dim(), name);
        double[] top = d.top(3);
        double[] desc = s.descending();
        assertArrayEquals(Arrays.copyOf(desc, Math.min(3, s.dim())), top, RTOL * scale * s.dim(), name);
    }

    @Test
    void topIsCappedAtTheDimension() {
        DenseSpectrum d = DenseSpectrum.of(LinearOperator.of(Matrix.identity(2)), 1);
        assertArrayEquals(new double[] {1, 1}, d.top(5), 0.0);
        assertThrows(IllegalArgumentException.class, () -> d.top(0));
    }

    @Test
    void badInputsAreRejected() {
        LinearOperator op = LinearOperator.of(Matrix.identity(3));
        assertThrows(IllegalArgumentException.class, () -> DenseSpectrum.of(op, 0));
        assertThrows(IllegalArgumentException.class, () -> DenseSpectrum.of(op, -1));
        assertThrows(IllegalArgumentException.class, () -> DenseSpectrum.of(LinearOperator.of(new Matrix(0, 0)), 1));
    }
}
