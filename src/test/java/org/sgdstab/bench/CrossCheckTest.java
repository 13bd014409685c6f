package org.sgdstab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;

class CrossCheckTest {
    private static final double NAN = Double.NaN;

    static NdArray v(double... x) {
        return new NdArray(new int[] {x.length}, x);
    }

    static Stream<Arguments> cases() {
        double tol = CrossCheck.RELATIVE_TOLERANCE;
        return Stream.of(
                Arguments.of("identical", v(1, 2, 3), v(1, 2, 3), true),
                Arguments.of("normwise within tolerance", v(1e-20, 1), v(2e-20, 1), true),
                Arguments.of("just inside", v(1 + 0.5 * tol), v(1), true),
                Arguments.of("just outside", v(1 + 2 * tol), v(1), false),
                Arguments.of("scalar", new NdArray(new int[0], new double[] {3}), new NdArray(new int[0], new double[] {3}), true),
                Arguments.of("shape differs", new NdArray(new int[0], new double[] {3}), v(3), false),
                Arguments.of("NaN on both sides", v(NAN, 1), v(NAN, 1), true),
                Arguments.of("NaN on one side", v(NAN, 1), v(0, 1), false),
                Arguments.of("zero reference, absolute", v(1e-300), v(0), true),
                Arguments.of("zero reference, large", v(1), v(0), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void agreement(String name, NdArray a, NdArray b, boolean ok) {
        assertEquals(ok, CrossCheck.compare(name, a, b).ok());
    }

    @Test
    void missingReferenceArrayFails(@TempDir Path dir) throws Exception {
        Path ours = dir.resolve("ours");
        Path ref = dir.resolve("ref");
        java.nio.file.Files.createDirectories(ours);
        java.nio.file.Files.createDirectories(ref);
        Npy.write(ours.resolve("a.npy"), v(1));
        Npy.write(ours.resolve("b.npy"), v(2));
        Npy.write(ref.resolve("a.npy"), v(1));
        List<CrossCheck.Entry> entries = CrossCheck.compare(ours, ref);
        assertEquals(List.of(true, false), entries.stream().map(CrossCheck.Entry::ok).toList());
    }

    static NdArray rows(int r, int c, double... x) {
        return new NdArray(new int[] {r, c}, x);
    }

    static Stream<Arguments> blockCases() {
        return Stream.of(
                Arguments.of("first row of a block of 2 matches", rows(2, 2, 1, 2, 9, 9), rows(1, 2, 1, 2), true),
                Arguments.of("first row of a block of 2 differs", rows(2, 2, 1, 3, 1, 2), rows(1, 2, 1, 2), false),
                Arguments.of("block not calls × reference rows", rows(3, 2, 1, 2, 1, 2, 1, 2), rows(1, 2, 1, 2), false),
                Arguments.of("trailing shape differs", rows(2, 2, 1, 2, 1, 2), rows(1, 3, 1, 2, 3), false));
    }

    /** A block of 2 results against a one-at-a-time reference: only the first half of the rows counts. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("blockCases")
    void blockAgainstSingle(String name, NdArray ours, NdArray ref, boolean ok, @TempDir Path dir) throws Exception {
        Path o = dir.resolve("ours");
        Path r = dir.resolve("ref");
        java.nio.file.Files.createDirectories(o);
        java.nio.file.Files.createDirectories(r);
        Npy.write(o.resolve("hv.npy"), ours);
        Npy.write(r.resolve("hv.npy"), ref);
        assertEquals(List.of(ok), CrossCheck.compare(o, r, 2).stream().map(CrossCheck.Entry::ok).toList());
    }
}
