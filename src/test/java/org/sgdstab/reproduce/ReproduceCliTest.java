package org.sgdstab.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.cli.Main;

/** Bad input to {@code reproduce}: exit status 2, one line naming the problem, nothing written. */
class ReproduceCliTest {
    @TempDir
    Path tmp;

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("unknown figure", new String[] {"reproduce", "fig9"}, "fig9"),
                Arguments.of("unknown scale", new String[] {"reproduce", "fig1", "--scale", "huge"}, "--scale"),
                Arguments.of("two scales", new String[] {"reproduce", "fig1", "--quick", "--full"}, "mutually exclusive"),
                Arguments.of("zero jobs", new String[] {"reproduce", "fig1", "--tiny", "--jobs", "0"}, "--jobs"),
                Arguments.of("bad seed", new String[] {"reproduce", "fig1", "--seed", "x"}, "--seed"),
                Arguments.of("no figure", new String[] {"reproduce"}, "FIGURE"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputExitsTwoAndWritesNothing(String name, String[] args, String mentioned) throws IOException {
        Path out = tmp.resolve("out");
        String[] full = java.util.Arrays.copyOf(args, args.length + 2);
        full[args.length] = "--out";
        full[args.length + 1] = out.toString();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), full);
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains(mentioned), err.toString());
        assertFalse(err.toString().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out), "nothing written");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("existing")
    void existingReproductionNeedsResume(String name, String marker) throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve(marker));
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "reproduce", "fig2", "--tiny", "--out", out.toString());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("--resume"), err.toString());
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(1, s.count(), "nothing added");
        }
    }

    static Stream<Arguments> existing() {
        return Stream.of(Arguments.of("run cache", "runs"), Arguments.of("manifest", Reproduce.MANIFEST));
    }
}
