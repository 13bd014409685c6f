package org.sgdstab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.io.Safetensors;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;

/**
 * Bad input reaches the user as exit status 2 and one line naming the problem, with no stack
 * trace and nothing written. Each case starts from valid files and breaks one thing.
 */
class CliBadInputTest {
    @TempDir
    Path dir;

    static final String MODEL = "{\"layers\": [{\"type\":\"linear\",\"in\":3,\"out\":4}, {\"type\":\"tanh\"}, {\"type\":\"linear\",\"in\":4,\"out\":1}]}";

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void writeValidFiles() throws IOException {
        writeValidFiles(dir);
    }

    /** m.json (3-4-1 tanh MLP), w.safetensors, and X.npy, Y.npy with n = 10 samples, in {@code dir}. */
    static void writeValidFiles(Path dir) throws IOException {
        Files.writeString(dir.resolve("m.json"), MODEL);
        SplittableRandom rng = new SplittableRandom(1);
        double[] x = new double[10 * 3];
        double[] y = new double[10];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextGaussian();
        }
        Npy.write(dir.resolve("X.npy"), new NdArray(new int[] {10, 3}, x));
        Npy.write(dir.resolve("Y.npy"), new NdArray(new int[] {10}, y));
        Model m = new Initializer.TorchDefault().initialize(ModelSpec.parse(MODEL, "m.json"), new SplittableRandom(2));
        ModelWeights.write(dir.resolve("w.safetensors"), m, Map.of());
    }

    /** A case: a name, a way to break the valid files, the command (with {DIR} substituted), and words the message must contain. */
    record Case(String name, Consumer<Path> breakIt, List<String> args, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static void unchecked(IoAction a) {
        try {
            a.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    interface IoAction {
        void run() throws IOException;
    }

    static final List<String> ANALYZE = List.of("analyze", "--model", "{DIR}/m.json", "--weights", "{DIR}/w.safetensors",
            "--x", "{DIR}/X.npy", "--y", "{DIR}/Y.npy", "--lr", "0.1", "--batch-size", "2", "--out", "{DIR}/out.json");
    static final List<String> TRAIN = List.of("train", "--model", "{DIR}/m.json", "--x", "{DIR}/X.npy", "--y", "{DIR}/Y.npy",
            "--lr", "0.1", "--batch-size", "2", "--steps", "5", "--seed", "1", "--quiet", "--out", "{DIR}/run");

    static List<String> with(List<String> base, String option, String value) {
        List<String> a = new ArrayList<>(base);
        int i = a.indexOf(option);
        if (i >= 0) {
            a.set(i + 1, value);
        } else {
            a.add(option);
            a.add(value);
        }
        return a;
    }

    static byte[] npyHeader(String descr, String shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    static void writeWeights(Path d, Consumer<Map<String, NdArray>> edit) {
        unchecked(() -> {
            var st = Safetensors.read(d.resolve("w.safetensors"));
            Map<String, NdArray> t = new LinkedHashMap<>(st.tensors());
            edit.accept(t);
            Safetensors.write(d.resolve("w.safetensors"), t, Map.of());
        });
    }

    static Stream<Arguments> cases() {
        List<Case> cases = List.of(
                new Case("missing X file", d -> unchecked(() -> Files.delete(d.resolve("X.npy"))), ANALYZE, "no such file"),
                new Case("truncated X file", d -> unchecked(() -> {
                    byte[] all = Files.readAllBytes(d.resolve("X.npy"));
                    Files.write(d.resolve("X.npy"), java.util.Arrays.copyOf(all, all.length - 16));
                }), ANALYZE, "truncated"),
                new Case("object npy", d -> unchecked(() -> Files.write(d.resolve("Y.npy"), npyHeader("|O", "(10,)"))), ANALYZE, "object"),
                new Case("complex npy", d -> unchecked(() -> {
                    byte[] h = npyHeader("<c16", "(10,)");
                    Files.write(d.resolve("Y.npy"), java.util.Arrays.copyOf(h, h.length + 160));
                }), ANALYZE, "complex"),
                new Case("NaN in X", d -> unchecked(() -> {
                    NdArray x = Npy.read(d.resolve("X.npy"));
                    x.data()[4] = Double.NaN;
                    Npy.write(d.resolve("X.npy"), x);
                }), ANALYZE, "NaN"),
                new Case("Inf in Y", d -> unchecked(() -> {
                    NdArray y = Npy.read(d.resolve("Y.npy"));
                    y.data()[0] = Double.POSITIVE_INFINITY;
                    Npy.write(d.resolve("Y.npy"), y);
                }), TRAIN, "Infinity"),
                new Case("row counts differ", d -> unchecked(() -> Npy.write(d.resolve("Y.npy"), new NdArray(new int[] {9}, new double[9]))),
                        ANALYZE, "rows"),
                new Case("X columns differ from model input", d -> unchecked(() ->
                        Npy.write(d.resolve("X.npy"), new NdArray(new int[] {10, 5}, new double[50]))), ANALYZE, "expects 3"),
                new Case("weights key missing", d -> writeWeights(d, t -> t.remove("2.bias")), ANALYZE, "missing tensor \"2.bias\""),
                new Case("weights key extra", d -> writeWeights(d, t -> t.put("7.weight", new NdArray(new int[] {1}, new double[1]))),
                        ANALYZE, "unexpected tensor \"7.weight\""),
                new Case("weights key mis-shaped", d -> writeWeights(d, t -> t.put("0.weight", new NdArray(new int[] {3, 4}, new double[12]))),
                        ANALYZE, "\"0.weight\" has shape"),
                new Case("safetensors header oversized", d -> unchecked(() -> {
                    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).putLong(0);
                    Files.write(d.resolve("w.safetensors"), b.array());
                }), ANALYZE, "header"),
                new Case("safetensors header lies about length", d -> unchecked(() -> {
                    byte[] ok = safetensors("{\"0.weight\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8);
                    ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putLong(0, ok.length + 100);
                    Files.write(d.resolve("w.safetensors"), ok);
                }), ANALYZE, "header"),
                new Case("safetensors offsets out of bounds", d -> unchecked(() -> Files.write(d.resolve("w.safetensors"),
                        safetensors("{\"0.weight\":{\"dtype\":\"F64\",\"shape\":[4,3],\"data_offsets\":[0,96]}}      ", 8))),
                        ANALYZE, "0.weight"),
                new Case("unknown layer type", d -> unchecked(() -> Files.writeString(d.resolve("m.json"),
                        MODEL.replace("tanh", "softplus"))), ANALYZE, "layer 1: unknown layer type \"softplus\""),
                new Case("missing layer field", d -> unchecked(() -> Files.writeString(d.resolve("m.json"),
                        MODEL.replace("\"in\":4,", ""))), ANALYZE, "layer 2 (linear): missing field \"in\""),
                new Case("lr zero", d -> { }, with(ANALYZE, "--lr", "0"), "--lr"),
                new Case("lr negative in train", d -> { }, with(TRAIN, "--lr", "-1"), "--lr"),
                new Case("batch size zero", d -> { }, with(TRAIN, "--batch-size", "0"), "--batch-size"),
                new Case("batch larger than n without replacement", d -> { },
                        with(with(TRAIN, "--batch-size", "11"), "--sampling", "without-replacement"), "exceeds n = 10"),
                new Case("probes zero", d -> { }, with(ANALYZE, "--probes", "0"), "--probes"),
                new Case("unknown sampling", d -> { }, with(TRAIN, "--sampling", "sometimes"), "sampling"),
                new Case("not a number", d -> { }, with(ANALYZE, "--lr", "fast"), "--lr"));
        return cases.stream().map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputExitsWithTwoAndOneLineAndWritesNothing(String name, Case c) {
        c.breakIt().accept(dir);
        String[] args = c.args().stream().map(a -> a.replace("{DIR}", dir.toString())).toArray(String[]::new);
        Result r = run(args);
        assertEquals(2, r.code(), name + ": exit code; stderr: " + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("sgdstab: error: "), name + ": " + r.err());
        assertTrue(first.contains(c.expected()), name + ": message should contain '" + c.expected() + "': " + first);
        assertFalse(r.err().contains("\tat "), name + ": no stack trace without --debug");
        assertFalse(Files.exists(dir.resolve("out.json")), name + ": analyze must not write output");
        assertFalse(Files.exists(dir.resolve("run")), name + ": train must not create its output directory");
    }
}
