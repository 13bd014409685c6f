package org.sgdstab.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.geometry.CurvatureSummary.Method;
import org.sgdstab.io.InputException;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;

class CurvatureSummaryTest {
    /** Dense path and Lanczos (tolerance 1e-8, isolated top) agree to round-off-level in ‖A‖ units. */
    private static final double EIG_RTOL = 1e-10;
    /** Hutchinson estimates lie within 4 of their standard errors (fails with probability < 1e-4). */
    private static final double Z_BOUND = 4.0;

    private static final KnownSpectrum S = KnownSpectrum.of(KnownSpectrum.concat(
            new double[] {9, 6, 4}, KnownSpectrum.uniform(57, -1, 2, 51)), 401);

    @Test
    void exactPathIsExact() {
        CurvatureSummary c = CurvatureSummary.compute(S.operator(), Method.EXACT, 10, 3, 8, new SplittableRandom(1));
        assertEquals(Method.EXACT, c.method());
        assertEquals(0, c.probes());
        assertEquals(S.trace(), c.trace(), EIG_RTOL * 9 * S.dim());
        assertEquals(Math.sqrt(S.frobeniusSquared()), c.frobenius(), EIG_RTOL * 9 * S.dim());
        assertEquals(0.0, c.traceStdErr());
        assertEquals(0.0, c.frobeniusStdErr());
        assertEquals(9.0, c.lambdaMax(), EIG_RTOL * 9);
        assertArrayEquals(new double[] {9, 6, 4}, c.topEigenvalues(), EIG_RTOL * 9);
    }

    @Test
    void stochasticPathAgreesWithinItsErrors() {
        CurvatureSummary c = CurvatureSummary.compute(S.operator(), Method.STOCHASTIC, 50, 3, 8, new SplittableRandom(2));
        assertEquals(Method.STOCHASTIC, c.method());
        assertEquals(50, c.probes());
        assertEquals(S.trace(), c.trace(), Z_BOUND * c.traceStdErr());
        assertEquals(Math.sqrt(S.frobeniusSquared()), c.frobenius(), Z_BOUND * c.frobeniusStdErr());
        assertTrue(c.traceStdErr() > 0 && c.frobeniusStdErr() > 0);
        assertEquals(9.0, c.lambdaMax(), EIG_RTOL * 9);
        assertTrue(c.lambdaMaxResidual() <= 1e-6, "residual " + c.lambdaMaxResidual());
        assertArrayEquals(new double[] {9, 6, 4}, c.topEigenvalues(), EIG_RTOL * 9);
    }

    @Test
    void autoIsExactUpToTheThreshold() {
        CurvatureSummary c = CurvatureSummary.compute(S.operator(), Method.AUTO, 10, 1, 8, new SplittableRandom(3));
        assertEquals(Method.EXACT, c.method());
        assertEquals(Method.EXACT, Method.AUTO.resolve(CurvatureSummary.AUTO_EXACT_MAX_DIM));
        assertEquals(Method.STOCHASTIC, Method.AUTO.resolve(CurvatureSummary.AUTO_EXACT_MAX_DIM + 1));
        assertEquals(Method.EXACT, Method.EXACT.resolve(1_000_000));
        assertEquals(Method.STOCHASTIC, Method.STOCHASTIC.resolve(1));
    }

    @Test
    void methodNamesParse() {
        for (Method m : Method.values()) {
            assertEquals(m, Method.parse(m.cliName()));
        }
        assertEquals(Method.AUTO, Method.parse("auto"));
        assertThrows(InputException.class, () -> Method.parse("EXACT"));
        assertThrows(InputException.class, () -> Method.parse(""));
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("probes=0", Method.STOCHASTIC, 0, 1, 1),
                Arguments.of("probes=1 on the exact path", Method.EXACT, 1, 1, 1),
                Arguments.of("topK=0", Method.AUTO, 4, 0, 1),
                Arguments.of("block=0", Method.EXACT, 4, 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputsAreRejected(String name, Method method, int probes, int topK, int block) {
        LinearOperator op = LinearOperator.of(Matrix.identity(3));
        assertThrows(IllegalArgumentException.class,
                () -> CurvatureSummary.compute(op, method, probes, topK, block, new SplittableRandom(1)));
    }
}
