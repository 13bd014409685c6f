package org.sgdstab.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed input is an InputException with one line naming the file and the problem. */
class BadInputTest {
    /** Creates the bad file (or not) in a fresh directory and returns its path. */
    @FunctionalInterface
    interface Maker {
        Path make(Path dir) throws IOException;
    }

    private static final Consumer<Path> NPY = Npy::read;
    private static final Consumer<Path> ST = Safetensors::read;

    private static Maker bytes(String name, byte[] content) {
        return dir -> Files.write(dir.resolve(name), content);
    }

    private static Maker fixture(String name) {
        return dir -> Files.copy(Fixtures.resource(name), dir.resolve(name));
    }

    /** f8_le_2d.npy (3×4 float64, 128-byte header) with its length changed by {@code delta}. */
    private static Maker resizedNpy(int delta) {
        return dir -> {
            byte[] good = Files.readAllBytes(Fixtures.resource("f8_le_2d.npy"));
            return Files.write(dir.resolve("X.npy"), Arrays.copyOf(good, good.length + delta));
        };
    }

    private static Maker npyHeader(String header, int dataBytes) {
        return bytes("h.npy", Fixtures.npy(1, header, new byte[dataBytes]));
    }

    private static String npyHeaderWithShape(String shape) {
        return "{'descr': '<f8', 'fortran_order': False, 'shape': " + shape + ", }";
    }

    private static Maker st(String json, int dataBytes) {
        return bytes("m.safetensors", Fixtures.safetensors(json, new byte[dataBytes]));
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // ---- .npy
                Arguments.of("npy: missing file", (Maker) dir -> dir.resolve("X.npy"), NPY, "no such file"),
                Arguments.of("npy: directory", (Maker) dir -> Files.createDirectory(dir.resolve("d.npy")), NPY, "is a directory"),
                Arguments.of("npy: truncated data", resizedNpy(-56), NPY, "truncated: expected 96 data bytes, found 40"),
                Arguments.of("npy: trailing garbage", resizedNpy(3), NPY, "trailing garbage: expected 96 data bytes, found 99"),
                Arguments.of("npy: empty file", bytes("e.npy", new byte[0]), NPY, "bad magic"),
                Arguments.of("npy: bad magic", bytes("m.npy", "PK\3\4 this is a zip".getBytes(StandardCharsets.ISO_8859_1)), NPY, "bad magic"),
                Arguments.of("npy: file ends in preamble", resizedNpy(-(224 - 9)), NPY, "truncated: file ends inside the header length"),
                Arguments.of("npy: header length beyond file", resizedNpy(-(224 - 60)), NPY, "truncated: header length is 118 bytes but only 50 follow"),
                Arguments.of("npy: unsupported version", (Maker) dir -> {
                    byte[] b = Files.readAllBytes(Fixtures.resource("f8_le_2d.npy"));
                    b[6] = 4;
                    return Files.write(dir.resolve("v.npy"), b);
                }, NPY, "unsupported .npy format version 4.0"),
                Arguments.of("npy: object dtype (pickled)", fixture("object.npy"), NPY, "object dtype '|O'"),
                Arguments.of("npy: complex dtype", fixture("c16.npy"), NPY, "complex dtype '<c16' is not supported"),
                Arguments.of("npy: string dtype", fixture("unicode.npy"), NPY, "string dtype '<U2'"),
                Arguments.of("npy: structured dtype", fixture("structured.npy"), NPY, "structured dtype"),
                Arguments.of("npy: long double", fixture("f16_longdouble.npy"), NPY, "long double dtype '<f16'"),
                Arguments.of("npy: inexact int64", fixture("i8_inexact.npy"), NPY, "element 1 (9007199254740993) of dtype <i8 cannot be represented exactly"),
                Arguments.of("npy: ambiguous byte order", npyHeader("{'descr': '|f8', 'fortran_order': False, 'shape': (1,), }", 8), NPY, "has no byte order"),
                Arguments.of("npy: negative dimension", npyHeader(npyHeaderWithShape("(-1, 3)"), 0), NPY, "negative dimension -1 in shape (-1, 3)"),
                Arguments.of("npy: overflowing dimension", npyHeader(npyHeaderWithShape("(99999999999999999999, 1)"), 0), NPY, "dimension 99999999999999999999 in shape"),
                Arguments.of("npy: too many elements", npyHeader(npyHeaderWithShape("(100000, 100000)"), 0), NPY, "more than 2147483639 elements"),
                Arguments.of("npy: shape is a list", npyHeader(npyHeaderWithShape("[3]"), 24), NPY, "shape is not a tuple of ints: [3]"),
                Arguments.of("npy: shape holds a string", npyHeader(npyHeaderWithShape("('3',)"), 24), NPY, "shape is not a tuple of ints"),
                Arguments.of("npy: fortran_order not bool", npyHeader("{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }", 8), NPY, "fortran_order is not True or False: 0"),
                Arguments.of("npy: missing key", npyHeader("{'descr': '<f8', 'shape': (1,), }", 8), NPY, "header keys are ['descr', 'shape']"),
                Arguments.of("npy: extra key", npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", 8), NPY, "header keys are"),
                Arguments.of("npy: header not a dict", npyHeader("[1, 2]", 8), NPY, "not a dictionary"),
                Arguments.of("npy: header syntax error", npyHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)\n", 8), NPY, "malformed header (expected '}'"),
                Arguments.of("npy: header is code", npyHeader("{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,)}", 8), NPY, "malformed header (unexpected name '__import__'"),
                Arguments.of("npy: unknown dtype", npyHeader("{'descr': '<q8', 'fortran_order': False, 'shape': (1,), }", 8), NPY, "unknown dtype '<q8'"),
                // ---- safetensors
                Arguments.of("st: missing file", (Maker) dir -> dir.resolve("X.safetensors"), ST, "no such file"),
                Arguments.of("st: shorter than length field", bytes("s.safetensors", new byte[5]), ST, "too short for the 8-byte header length"),
                Arguments.of("st: truncated data", st("{" + entry("w", "F64", "[6]", 0, 48) + "}", 40), ST, "tensor 'w': data_offsets [0,48] exceed the 40-byte data buffer"),
                Arguments.of("st: header length larger than file", bytes("l.safetensors", Fixtures.safetensors(1000, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0])), ST, "header length 1000 exceeds the file size (10 bytes)"),
                Arguments.of("st: header length over the cap", bytes("c.safetensors", Fixtures.safetensors(200L << 20, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0])), ST, "header length 209715200 exceeds the limit of 104857600 bytes"),
                Arguments.of("st: header length beyond signed range", bytes("c.safetensors", Fixtures.safetensors(-1L, new byte[0], new byte[0])), ST, "header length 18446744073709551615 exceeds the limit"),
                Arguments.of("st: header not JSON", st("{\"w\": nonsense}", 0), ST, "header is not valid JSON"),
                Arguments.of("st: header not UTF-8", bytes("u.safetensors", Fixtures.safetensors(2, new byte[] {'{', (byte) 0xff}, new byte[0])), ST, "header is not valid UTF-8"),
                Arguments.of("st: header is an array", st("[]", 0), ST, "header is not a JSON object"),
                Arguments.of("st: duplicate tensor", st("{" + entry("w", "F64", "[1]", 0, 8) + "," + entry("w", "F64", "[1]", 8, 16) + "}", 16), ST, "header is not valid JSON: Duplicate field 'w'"),
                Arguments.of("st: trailing JSON", st("{}{}", 0), ST, "header is not valid JSON"),
                Arguments.of("st: offsets out of bounds", st("{" + entry("w", "F64", "[2]", 8, 24) + "}", 16), ST, "tensor 'w': data_offsets [8,24] exceed the 16-byte data buffer"),
                Arguments.of("st: offsets reversed", st("{" + entry("w", "F64", "[0]", 8, 0) + "}", 8), ST, "tensor 'w': data_offsets [8,0] end before they begin"),
                Arguments.of("st: negative offset", st("{" + entry("w", "F64", "[1]", -8, 0) + "}", 8), ST, "tensor 'w': data_offsets [-8,0] is not a pair of non-negative ints"),
                Arguments.of("st: overlapping offsets", st("{" + entry("a", "F64", "[3]", 0, 24) + "," + entry("b", "F64", "[2]", 16, 32) + "}", 32), ST, "tensor 'b': data_offsets [16, 32] overlap tensor 'a' [0, 24]"),
                Arguments.of("st: offsets not matching shape x dtype", st("{" + entry("w", "F64", "[3]", 0, 16) + "}", 16), ST, "tensor 'w': data_offsets [0,16] span 16 bytes but shape [3] of F64 needs 24"),
                Arguments.of("st: offsets sized for another dtype", st("{" + entry("w", "F32", "[4]", 0, 32) + "}", 32), ST, "tensor 'w': data_offsets [0,32] span 32 bytes but shape [4] of F32 needs 16"),
                Arguments.of("st: unknown dtype", st("{" + entry("w", "Q7", "[1]", 0, 8) + "}", 8), ST, "tensor 'w': unsupported dtype Q7"),
                Arguments.of("st: integer dtype", st("{" + entry("w", "I64", "[1]", 0, 8) + "}", 8), ST, "tensor 'w': unsupported dtype I64"),
                Arguments.of("st: uncovered bytes at end", st("{" + entry("w", "F64", "[1]", 0, 8) + "}", 12), ST, "bytes [8, 12) at the end of the data buffer are not covered by any tensor"),
                Arguments.of("st: gap between tensors", st("{" + entry("a", "F64", "[1]", 0, 8) + "," + entry("b", "F64", "[1]", 16, 24) + "}", 24), ST, "bytes [8, 16) of the data buffer, before tensor 'b', are not covered"),
                Arguments.of("st: negative dimension", st("{" + entry("w", "F64", "[-1]", 0, 0) + "}", 0), ST, "tensor 'w': shape [-1] is not a list of non-negative ints"),
                Arguments.of("st: fractional dimension", st("{" + entry("w", "F64", "[1.5]", 0, 8) + "}", 8), ST, "tensor 'w': shape [1.5] is not a list"),
                Arguments.of("st: missing data_offsets", st("{\"w\":{\"dtype\":\"F64\",\"shape\":[1]}}", 8), ST, "tensor 'w': entry needs dtype, shape and data_offsets"),
                Arguments.of("st: metadata value not a string", st("{\"__metadata__\":{\"k\":1}}", 0), ST, "__metadata__ value for 'k' is not a string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsWithOneLineNamingFileAndProblem(String name, Maker maker, Consumer<Path> reader, String problem,
            @TempDir Path dir) throws IOException {
        Path file = maker.make(dir);
        InputException e = assertThrows(InputException.class, () -> reader.accept(file), name);
        String msg = e.getMessage();
        assertTrue(msg.startsWith(file + ": "), "names the file: " + msg);
        assertTrue(msg.contains(problem), "expected \"" + problem + "\" in: " + msg);
        assertFalse(msg.contains("\n") || msg.contains("\r"), "one line: " + msg);
    }
}
