package org.sgdstab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static NdArray arr(int[] shape, double... data) {
        return new NdArray(shape, data);
    }

    /**
     * The bytes the reference implementation (safetensors.numpy.save_file, serde_json) writes for
     * {"a": float64 [[1, 2], [3, 4.5]], "b": float64 [-1]} with metadata {"format": "np"}: compact JSON,
     * __metadata__ first, fields dtype/shape/data_offsets, padded with spaces to 8 bytes.
     * Built by hand here, independently of the writer.
     */
    private static byte[] referenceFile() {
        String json = "{\"__metadata__\":{\"format\":\"np\"},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[32,40]}}";
        int pad = (8 - json.length() % 8) % 8;
        byte[] header = (json + " ".repeat(pad)).getBytes(StandardCharsets.US_ASCII);
        return Fixtures.safetensors(header.length, header, Fixtures.f64(1, 2, 3, 4.5, -1));
    }

    private static LinkedHashMap<String, NdArray> referenceTensors() {
        LinkedHashMap<String, NdArray> t = new LinkedHashMap<>();
        t.put("a", arr(new int[] {2, 2}, 1, 2, 3, 4.5));
        t.put("b", arr(new int[] {1}, -1));
        return t;
    }

    @Test
    void readsReferenceLayout() throws IOException {
        Path f = dir.resolve("ref.safetensors");
        Files.write(f, referenceFile());
        SafetensorsFile st = Safetensors.read(f);
        assertEquals(referenceTensors(), st.tensors());
        assertEquals(Map.of("format", "np"), st.metadata());
    }

    @Test
    void writesReferenceBytes() throws IOException {
        Path f = dir.resolve("out.safetensors");
        Safetensors.write(f, referenceTensors(), Map.of("format", "np"));
        assertArrayEquals(referenceFile(), Files.readAllBytes(f));
    }

    /** The example file in the reference implementation's documentation, with F32 in place of I32. */
    @Test
    void readsFloat32WithoutPaddingOrMetadata() throws IOException {
        Path f = dir.resolve("f32.safetensors");
        Files.write(f, Fixtures.safetensors("{\"test\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}",
                Fixtures.f32(0.5f, -1.25f, 3f, 1e-3f)));
        SafetensorsFile st = Safetensors.read(f);
        assertArrayEquals(new double[] {0.5, -1.25, 3, (double) 1e-3f}, st.tensors().get("test").data(), 0.0);
        assertEquals(Map.of(), st.metadata());
    }

    @Test
    void keepsFileOrderNotOffsetOrder() throws IOException {
        // Tensors listed z, a, m in the header but stored m, z, a in the buffer.
        String json = "{\"z\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[8,16]},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[0,5],\"data_offsets\":[16,16]},"
                + "\"m\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
        Path f = dir.resolve("order.safetensors");
        Files.write(f, Fixtures.safetensors(json, Fixtures.f64(7, 9)));
        SafetensorsFile st = Safetensors.read(f);
        assertEquals(List.of("z", "a", "m"), List.copyOf(st.tensors().keySet()));
        assertArrayEquals(new double[] {9}, st.tensors().get("z").data(), 0.0);
        assertArrayEquals(new int[] {0, 5}, st.tensors().get("a").shape());
        assertArrayEquals(new double[] {7}, st.tensors().get("m").data(), 0.0);
    }

    @Test
    void readsHalfAndBfloat16() throws IOException {
        // 0x3c00 = 1.0 and 0xc000 = -2.0 in binary16; 0x3f80 = 1.0 and 0xc040 = -3.0 in bfloat16
        String json = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        byte[] data = {0x00, 0x3c, 0x00, (byte) 0xc0, (byte) 0x80, 0x3f, 0x40, (byte) 0xc0};
        Path f = dir.resolve("half.safetensors");
        Files.write(f, Fixtures.safetensors(json, data));
        SafetensorsFile st = Safetensors.read(f);
        assertArrayEquals(new double[] {1, -2}, st.tensors().get("h").data(), 0.0);
        assertArrayEquals(new double[] {1, -3}, st.tensors().get("b").data(), 0.0);
    }

    static Stream<Arguments> dtypes() {
        return Stream.of(
                Arguments.of(Safetensors.Dtype.F64),
                Arguments.of(Safetensors.Dtype.F32),
                Arguments.of(Safetensors.Dtype.F16),
                Arguments.of(Safetensors.Dtype.BF16));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void roundTrips(Safetensors.Dtype dtype) throws IOException {
        SplittableRandom rng = new SplittableRandom(3);
        LinkedHashMap<String, NdArray> t = new LinkedHashMap<>();
        int[][] shapes = {{4, 3}, {}, {0}, {2, 3, 5}, {600_000}}; // the last spans two read chunks for F64
        for (int i = 0; i < shapes.length; i++) {
            int n = 1;
            for (int s : shapes[i]) {
                n *= s;
            }
            double[] d = new double[n];
            for (int k = 0; k < n; k++) {
                d[k] = rng.nextDouble(-4, 4);
            }
            t.put("t" + (shapes.length - i) + "/é", new NdArray(shapes[i], d)); // names not sorted, non-ASCII
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("seed", "3");
        meta.put("quote\"s", "line\nbreak");
        Path f = dir.resolve("rt.safetensors");
        Safetensors.write(f, t, meta, dtype);
        SafetensorsFile st = Safetensors.read(f);
        assertEquals(List.copyOf(t.keySet()), List.copyOf(st.tensors().keySet()));
        assertEquals(meta, st.metadata());
        for (String name : t.keySet()) {
            double[] expected = t.get(name).data().clone();
            for (int k = 0; k < expected.length; k++) {
                expected[k] = switch (dtype) { // the stored value is the correctly rounded one
                    case F64 -> expected[k];
                    case F32 -> (float) expected[k];
                    case F16 -> SmallFloats.halfToDouble(SmallFloats.doubleToHalf(expected[k]));
                    case BF16 -> SmallFloats.bfloat16ToDouble(SmallFloats.doubleToBfloat16(expected[k]));
                };
            }
            assertArrayEquals(t.get(name).shape(), st.tensors().get(name).shape(), name);
            assertArrayEquals(expected, st.tensors().get(name).data(), 0.0, name);
        }
    }

    @Test
    void headerIsPaddedToEightBytes() throws IOException {
        for (int len = 1; len <= 9; len++) {
            byte[] h = Safetensors.header(Map.of("x".repeat(len), arr(new int[] {1}, 1)), Map.of(), Safetensors.Dtype.F64);
            assertEquals(0, h.length % 8, "name length " + len);
        }
    }

    @Test
    void refusesTensorNamedMetadata() {
        assertThrows(IllegalArgumentException.class, () -> Safetensors.write(dir.resolve("x.safetensors"),
                Map.of("__metadata__", arr(new int[] {1}, 1)), Map.of()));
    }
}
