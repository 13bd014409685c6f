package org.sgdstab.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.data.Dataset;
import org.sgdstab.data.ImageFixtures;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.report.Json;

/** {@code sgdstab data import}: writes X.npy, Y.npy and meta.json, or exits 2 writing nothing. */
class DataImportCommandTest {
    @TempDir
    Path dir;

    private static final int[] LABELS = ImageFixtures.labels(120, 21);

    record Result(int code, String err) {
    }

    static Result run(List<String> args, Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] a = args.stream().map(s -> s.replace("{DIR}", dir.toString())).toArray(String[]::new);
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), a);
        return new Result(code, err.toString());
    }

    @BeforeEach
    void writeSources() {
        ImageFixtures.writeIdx(dir.resolve("idx"), LABELS, Arrays.copyOf(LABELS, 30), 7, 4, true);
        ImageFixtures.writeCifar(dir.resolve("cifar"), Arrays.copyOf(LABELS, 40), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    }

    static final List<String> IDX = List.of("data", "import", "--format", "idx", "--path", "{DIR}/idx", "--classes", "3,7",
            "--n", "10", "--targets", "pm1", "--normalize", "--seed", "1", "--out", "{DIR}/out");

    @Test
    void idxImportWritesImagesTargetsAndMeta() throws IOException {
        Result r = run(IDX, dir);
        assertEquals(0, r.code(), r.err());
        NdArray x = Npy.read(dir.resolve("out/X.npy"));
        NdArray y = Npy.read(dir.resolve("out/Y.npy"));
        assertArrayEquals(new int[] {10, 1, 7, 4}, x.shape());
        assertArrayEquals(new int[] {10, 1}, y.shape());
        assertEquals(5, Arrays.stream(y.data()).filter(v -> v == 1.0).count(), "balanced ±1 targets");
        assertEquals(5, Arrays.stream(y.data()).filter(v -> v == -1.0).count(), "balanced ±1 targets");
        Dataset d = Dataset.load(dir.resolve("out/X.npy"), dir.resolve("out/Y.npy"));
        assertArrayEquals(new int[] {1, 7, 4}, d.inputShape(), "the rest of the tool reads it as any .npy data");
        JsonNode meta = Json.MAPPER.readTree(dir.resolve("out/meta.json").toFile());
        assertEquals(3, meta.get("classes").get(0).get("source_label").asInt());
        assertEquals(7, meta.get("classes").get(1).get("source_label").asInt());
        assertTrue(meta.get("normalization").get("standardized").asBoolean());
        assertEquals("data import", meta.get("provenance").get("command").asText());
        assertEquals(10, meta.get("source_index").size());
    }

    @Test
    void cifarImportWritesChannelsFirst() {
        Result r = run(List.of("data", "import", "--format", "cifar10", "--path", "{DIR}/cifar", "--split", "test",
                "--seed", "2", "--out", "{DIR}/out"), dir);
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(new int[] {10, 3, 32, 32}, Npy.read(dir.resolve("out/X.npy")).shape());
        assertArrayEquals(new int[] {10, 10}, Npy.read(dir.resolve("out/Y.npy")).shape());
        assertTrue(Files.exists(dir.resolve("out/meta.json")));
    }

    static List<String> with(List<String> base, String option, String value) {
        List<String> a = new ArrayList<>(base);
        int i = a.indexOf(option);
        if (value == null) {
            a.remove(i + 1);
            a.remove(i);
        } else if (i >= 0) {
            a.set(i + 1, value);
        } else {
            a.add(option);
            a.add(value);
        }
        return a;
    }

    static void overwrite(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Arguments> badInputs() {
        Consumer<Path> none = d -> { };
        return Stream.of(
                Arguments.of("bad magic", (Consumer<Path>) d -> overwrite(d.resolve("idx/train-images-idx3-ubyte.gz"),
                        ImageFixtures.gzip(ImageFixtures.idxLabels(LABELS))), IDX, "bad magic number"),
                Arguments.of("truncated images", (Consumer<Path>) d -> overwrite(d.resolve("idx/train-images-idx3-ubyte.gz"),
                        ImageFixtures.gzip(Arrays.copyOf(ImageFixtures.idxImages(120, 7, 4), 100))), IDX, "truncated"),
                Arguments.of("label out of range", (Consumer<Path>) d -> {
                    int[] bad = LABELS.clone();
                    bad[5] = 12;
                    overwrite(d.resolve("idx/train-labels-idx1-ubyte.gz"), ImageFixtures.gzip(ImageFixtures.idxLabels(bad)));
                }, IDX, "label 12 of item 5 is out of range 0..9"),
                Arguments.of("corrupt gzip", (Consumer<Path>) d -> overwrite(d.resolve("idx/train-labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8}),
                        IDX, "gzip"),
                Arguments.of("n not divisible", none, with(IDX, "--n", "11"), "--n 11 is not divisible"),
                Arguments.of("not enough images", none, with(IDX, "--n", "1000"), "needed per class"),
                Arguments.of("unknown format", none, with(IDX, "--format", "png"), "--format: unknown value 'png'"),
                Arguments.of("unknown targets", none, with(IDX, "--targets", "softmax"), "--targets: unknown value 'softmax'"),
                Arguments.of("unknown split", none, with(IDX, "--split", "val"), "--split: unknown value 'val'"),
                Arguments.of("classes not integers", none, with(IDX, "--classes", "3,seven"), "--classes: 'seven' is not an integer"),
                Arguments.of("cifar without path", none, with(with(IDX, "--format", "cifar10"), "--path", null), "--path is required"),
                Arguments.of("seed missing", none, with(IDX, "--seed", null), "--seed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputExitsTwoWithOneLineAndWritesNothing(String name, Consumer<Path> breakIt, List<String> args, String expected) {
        breakIt.accept(dir);
        Result r = run(args, dir);
        assertEquals(2, r.code(), name + ": " + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("sgdstab: error: "), name + ": " + r.err());
        assertTrue(first.contains(expected), name + ": '" + first + "' should contain '" + expected + "'");
        assertFalse(r.err().contains("\tat "), name + ": no stack trace");
        assertFalse(Files.exists(dir.resolve("out")), name + ": nothing written");
    }
}
