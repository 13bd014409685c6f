package org.sgdstab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NpyTest {
    @TempDir
    Path dir;

    // ---------------------------------------------------------------- NumPy-written fixtures

    /** Fixtures written by make_npy_fixtures.py whose data is the ramp k/4 - 1 in C order. */
    static Stream<Arguments> rampFixtures() {
        return Stream.of(
                Arguments.of("f8_le_2d.npy", new int[] {3, 4}),
                Arguments.of("f4_le_2d.npy", new int[] {3, 4}),
                Arguments.of("f8_be_2d.npy", new int[] {3, 4}),
                Arguments.of("f4_be_2d.npy", new int[] {3, 4}),
                Arguments.of("f2_le_1d.npy", new int[] {6}),
                Arguments.of("f8_1d.npy", new int[] {5}),
                Arguments.of("f8_3d.npy", new int[] {2, 3, 4}),
                Arguments.of("f8_4d.npy", new int[] {2, 3, 4, 5}),
                Arguments.of("f8_fortran_2d.npy", new int[] {3, 4}),
                Arguments.of("f8_fortran_3d.npy", new int[] {2, 3, 4}),
                Arguments.of("f8_v2.npy", new int[] {2, 3}),
                Arguments.of("f8_v3.npy", new int[] {2, 3}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rampFixtures")
    void readsNumpyFixture(String name, int[] shape) {
        NdArray a = Npy.read(Fixtures.resource(name));
        assertArrayEquals(shape, a.shape(), name);
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        // the ramp values are exact in every float width used, so the match is exact
        assertArrayEquals(Fixtures.ramp(n), a.data(), 0.0, name);
    }

    @Test
    void fortranFixtureIsStoredColumnMajorOnDisk() throws IOException {
        // Guards the fixture itself: if NumPy had written C order, the test above would prove nothing.
        byte[] bytes = Files.readAllBytes(Fixtures.resource("f8_fortran_2d.npy"));
        String header = new String(bytes, 10, 100, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'fortran_order': True"), header);
        double second = java.nio.ByteBuffer.wrap(bytes, 128 + 8, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble();
        assertEquals(Fixtures.ramp(12)[4], second, 0.0, "element (1, 0) follows (0, 0) on disk");
    }

    @Test
    void readsFortranOrderIntegers() {
        NdArray a = Npy.read(Fixtures.resource("i4_fortran_2d.npy"));
        assertArrayEquals(new int[] {2, 5}, a.shape());
        assertArrayEquals(new double[] {-4, -3, -2, -1, 0, 1, 2, 3, 4, 5}, a.data(), 0.0);
    }

    static Stream<Arguments> integerFixtures() {
        return Stream.of(
                Arguments.of("i8_le.npy", new double[] {-3, 0, 7, 0x1p53, -0x1p53, 0x1p62, -0x1p63}),
                Arguments.of("u8_le.npy", new double[] {0, 5, 0x1p63, 0x1p64 - 0x1p11}),
                Arguments.of("i1.npy", new double[] {-128, -1, 0, 127}),
                Arguments.of("u1.npy", new double[] {0, 1, 200, 255}),
                Arguments.of("i2_be.npy", new double[] {-32768, -2, 3, 32767}),
                Arguments.of("u2_le.npy", new double[] {0, 65535, 40000}),
                Arguments.of("i4_be.npy", new double[] {-2147483648.0, -5, 9, 2147483647.0}),
                Arguments.of("u4_le.npy", new double[] {0, 4294967295.0, 3000000000.0}),
                Arguments.of("b1.npy", new double[] {1, 0, 0, 1}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("integerFixtures")
    void readsIntegerFixtureExactly(String name, double[] expected) {
        assertArrayEquals(expected, Npy.read(Fixtures.resource(name)).data(), 0.0, name);
    }

    @Test
    void readsScalarAndEmpty() {
        NdArray scalar = Npy.read(Fixtures.resource("f8_scalar.npy"));
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new double[] {3.5}, scalar.data(), 0.0);
        NdArray empty = Npy.read(Fixtures.resource("f8_empty.npy"));
        assertArrayEquals(new int[] {0, 3}, empty.shape());
        assertEquals(0, empty.data().length);
    }

    // ---------------------------------------------------------------- writing

    /** What numpy.save wrote for these arrays; our writer must produce the same bytes. */
    static Stream<Arguments> numpyWrittenFloat64() {
        return Stream.of(
                Arguments.of("f8_le_2d.npy", new NdArray(new int[] {3, 4}, Fixtures.ramp(12))),
                Arguments.of("f8_1d.npy", new NdArray(new int[] {5}, Fixtures.ramp(5))),
                Arguments.of("f8_3d.npy", new NdArray(new int[] {2, 3, 4}, Fixtures.ramp(24))),
                Arguments.of("f8_4d.npy", new NdArray(new int[] {2, 3, 4, 5}, Fixtures.ramp(120))),
                Arguments.of("f8_scalar.npy", new NdArray(new int[0], new double[] {3.5})),
                Arguments.of("f8_empty.npy", new NdArray(new int[] {0, 3}, new double[0])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("numpyWrittenFloat64")
    void writesTheBytesNumpyWrites(String name, NdArray a) throws IOException {
        Path out = dir.resolve(name);
        Npy.write(out, a);
        assertArrayEquals(Files.readAllBytes(Fixtures.resource(name)), Files.readAllBytes(out), name);
    }

    @Test
    void dataStartsOnA64ByteBoundary() throws IOException {
        for (int ndim = 0; ndim < 12; ndim++) {
            int[] shape = new int[ndim];
            java.util.Arrays.fill(shape, 1);
            byte[] h = Npy.header(shape);
            assertEquals(0, h.length % 64, "ndim " + ndim);
            assertEquals('\n', h[h.length - 1]);
        }
    }

    @Test
    void roundTripsSpecialValuesAndLargeArrays() throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        double[] d = new double[3 * 300_007]; // spans several read chunks, not a multiple of one
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextDouble(-1e300, 1e300);
        }
        d[0] = Double.NaN;
        d[1] = Double.NEGATIVE_INFINITY;
        d[2] = -0.0;
        d[3] = Double.MIN_VALUE;
        NdArray a = new NdArray(new int[] {3, 300_007}, d);
        Path f = dir.resolve("big.npy");
        Npy.write(f, a);
        NdArray b = Npy.read(f);
        assertEquals(a, b); // exact, bitwise (Arrays.equals on doubles)
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(b.data()[2]));
    }

    // ---------------------------------------------------------------- header parsing

    static Stream<Arguments> acceptedHeaders() {
        return Stream.of(
                Arguments.of("python 2 long suffix", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 1L), }\n"),
                Arguments.of("double quotes, no trailing comma", 1, "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 1)}"),
                Arguments.of("keys in other order", 2, "{'shape': (2, 1), 'fortran_order': False, 'descr': '<f8'}   \n"),
                Arguments.of("no spaces", 3, "{'descr':'<f8','fortran_order':False,'shape':(2,1,),}"),
                Arguments.of("native byte order", 1, "{'descr': '=f8', 'fortran_order': False, 'shape': (2, 1), }"),
                Arguments.of("fortran order 2x1", 1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 1), }"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedHeaders")
    void acceptsHeaderVariants(String name, int major, String header) throws IOException {
        Path f = dir.resolve("h.npy");
        Files.write(f, Fixtures.npy(major, header, Fixtures.f64(1.5, -2.5)));
        NdArray a = Npy.read(f);
        assertArrayEquals(new int[] {2, 1}, a.shape(), name);
        assertArrayEquals(new double[] {1.5, -2.5}, a.data(), 0.0, name);
    }

    @Test
    void parsesPythonLiterals() {
        Object v = new Npy.PyLiteralParser("{'a': (1,), 'b': (2), 'c': [True, None, 'x\\'y'], 'd': ()}").parseAll();
        assertEquals("{'a': (1,), 'b': 2, 'c': [True, None, 'x'y'], 'd': ()}", Npy.PyLiteralParser.repr(v));
        assertThrows(IllegalArgumentException.class, () -> new Npy.PyLiteralParser("{'a': 1} x").parseAll());
        assertThrows(IllegalArgumentException.class, () -> new Npy.PyLiteralParser("{'a': 1.5}").parseAll());
        assertThrows(IllegalArgumentException.class, () -> new Npy.PyLiteralParser("{'a': __import__}").parseAll());
        assertThrows(IllegalArgumentException.class, () -> new Npy.PyLiteralParser("[".repeat(100)).parseAll());
    }

    /** Reference: index arithmetic on the Fortran offset, written out directly. */
    @Test
    void fortranToCMatchesIndexFormula() {
        int[] shape = {3, 1, 4, 2};
        int n = 24;
        double[] f = new double[n];
        for (int k = 0; k < n; k++) {
            f[k] = k;
        }
        double[] c = Npy.fortranToC(shape, f);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 1; j++) {
                for (int k = 0; k < 4; k++) {
                    for (int l = 0; l < 2; l++) {
                        int fOff = i + 3 * (j + 1 * (k + 4 * l));
                        int cOff = ((i * 1 + j) * 4 + k) * 2 + l;
                        assertEquals(fOff, c[cOff], 0.0);
                    }
                }
            }
        }
    }
}
