package org.sgdstab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code sgdstab stability}: bad input exits with 2, one line naming the option, and no output
 * directory; good input writes every file. Uses {@link CliBadInputTest}'s valid files (n = 10).
 */
class StabilityCommandTest {
    @TempDir
    Path dir;

    static final List<String> STABILITY = List.of("stability", "--model", "{DIR}/m.json", "--weights", "{DIR}/w.safetensors",
            "--x", "{DIR}/X.npy", "--y", "{DIR}/Y.npy", "--batch-sizes", "1,2,5,10", "--rho-points", "3", "--out", "{DIR}/stab");

    @BeforeEach
    void writeValidFiles() throws IOException {
        CliBadInputTest.writeValidFiles(dir);
    }

    private String[] args(List<String> a) {
        return a.stream().map(s -> s.replace("{DIR}", dir.toString())).toArray(String[]::new);
    }

    static Stream<Arguments> badInputs() {
        List<String> s = STABILITY;
        return Stream.of(
                Arguments.of("batch size zero", CliBadInputTest.with(s, "--batch-sizes", "0,2"), "--batch-sizes"),
                Arguments.of("batch size negative", CliBadInputTest.with(s, "--batch-sizes", "1,-2"), "--batch-sizes"),
                Arguments.of("batch size not an integer", CliBadInputTest.with(s, "--batch-sizes", "1,2.5"), "--batch-sizes"),
                Arguments.of("batch size list empty", CliBadInputTest.with(s, "--batch-sizes", ""), "--batch-sizes"),
                Arguments.of("batch size listed twice", CliBadInputTest.with(s, "--batch-sizes", "2,4,2"), "listed twice"),
                Arguments.of("batch larger than n without replacement", CliBadInputTest.with(
                        CliBadInputTest.with(s, "--batch-sizes", "1,11"), "--sampling", "without-replacement"), "exceeds n = 10"),
                Arguments.of("probes zero", CliBadInputTest.with(s, "--probes", "0"), "--probes"),
                Arguments.of("probe set zero", CliBadInputTest.with(s, "--probe", "0"), "--probe"),
                Arguments.of("unknown hessian method", CliBadInputTest.with(s, "--hessian", "none"), "curvature method"),
                Arguments.of("unknown sampling", CliBadInputTest.with(s, "--sampling", "sometimes"), "sampling"),
                Arguments.of("rho points one", CliBadInputTest.with(s, "--rho-points", "1"), "--rho-points"),
                Arguments.of("rho span one", CliBadInputTest.with(s, "--rho-span", "1"), "--rho-span"),
                Arguments.of("lr zero", CliBadInputTest.with(s, "--lr", "0"), "--lr"),
                Arguments.of("lr not a number", CliBadInputTest.with(s, "--lr", "fast"), "--lr"),
                Arguments.of("missing Y file", CliBadInputTest.with(s, "--y", "{DIR}/nothing.npy"), "no such file"),
                Arguments.of("batch sizes missing", List.of("stability", "--model", "{DIR}/m.json", "--x", "{DIR}/X.npy",
                        "--y", "{DIR}/Y.npy", "--out", "{DIR}/stab"), "--batch-sizes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputExitsWithTwoAndOneLineAndWritesNothing(String name, List<String> a, String expected) {
        CliBadInputTest.Result r = CliBadInputTest.run(args(a));
        assertEquals(2, r.code(), name + ": exit code; stderr: " + r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith("sgdstab: error: "), name + ": " + r.err());
        assertTrue(first.contains(expected), name + ": message should contain '" + expected + "': " + first);
        assertFalse(r.err().contains("\tat "), name + ": no stack trace without --debug");
        assertFalse(Files.exists(dir.resolve("stab")), name + ": the output directory must not be created");
    }

    @Test
    void outputPathThatIsAFileIsBadInputAndStaysUntouched() throws IOException {
        Files.writeString(dir.resolve("stab"), "keep");
        CliBadInputTest.Result r = CliBadInputTest.run(args(STABILITY));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("sgdstab: error: --out"), r.err());
        assertEquals("keep", Files.readString(dir.resolve("stab")));
    }

    @Test
    void writesEveryFileWithOneRowPerBatchSize() throws IOException {
        CliBadInputTest.Result r = CliBadInputTest.run(args(CliBadInputTest.with(
                CliBadInputTest.with(STABILITY, "--sampling", "without-replacement"), "--lr", "0.1")));
        assertEquals(0, r.code(), r.err());
        Path out = dir.resolve("stab");
        for (String f : new String[] {"stability.csv", "rho.csv", "critical_lr.png", "critical_lr.svg", "rho.png", "rho.svg",
            "summary.json"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        List<String> rows = Files.readAllLines(out.resolve("stability.csv"));
        assertEquals(5, rows.size());
        assertTrue(rows.get(0).endsWith(",rho_at_lr,rho_at_lr_residual"), rows.get(0));
        // B = n = 10 without replacement is gradient descent: η* equals the GD threshold (columns 2 and 6).
        String[] last = rows.get(4).split(",");
        assertEquals(Double.parseDouble(last[5]), Double.parseDouble(last[1]), 1e-9 * Double.parseDouble(last[5]));
        assertEquals(1 + 4 * 3, Files.readAllLines(out.resolve("rho.csv")).size());
        assertTrue(r.out().contains("complete: 4 of 4 batch sizes"), r.out());
    }
}
