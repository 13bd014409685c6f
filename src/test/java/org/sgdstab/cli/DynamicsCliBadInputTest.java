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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input to escape, linearized and sweep: exit status 2, one line naming the problem, nothing written. */
class DynamicsCliBadInputTest {
    @TempDir
    Path dir;

    CliBadInputTest valid = new CliBadInputTest();

    @BeforeEach
    void files() throws IOException {
        valid.dir = dir;
        valid.writeValidFiles();
        Files.writeString(dir.resolve("spec.json"), "{\"command\": \"train\", \"base\": {\"model\": \"m.json\", \"x\": \"X.npy\", \"y\": \"Y.npy\", "
                + "\"steps\": 5}, \"axes\": {\"lr\": [0.1], \"seed\": [1, 2]}}");
    }

    static final List<String> ESCAPE = List.of("escape", "--model", "{DIR}/m.json", "--x", "{DIR}/X.npy", "--y", "{DIR}/Y.npy",
            "--lr", "0.1", "--batch-size", "2", "--steps", "5", "--trajectories", "4", "--seed", "1", "--out", "{DIR}/out");
    static final List<String> LINEARIZED = List.of("linearized", "--model", "{DIR}/m.json", "--weights", "{DIR}/w.safetensors",
            "--x", "{DIR}/X.npy", "--y", "{DIR}/Y.npy", "--lr", "0.1", "--batch-size", "2", "--steps", "5", "--trajectories", "4",
            "--seed", "1", "--out", "{DIR}/out");
    static final List<String> SWEEP = List.of("sweep", "{DIR}/spec.json", "--out", "{DIR}/out");

    static List<String> with(List<String> base, String option, String value) {
        return CliBadInputTest.with(base, option, value);
    }

    static List<String> without(List<String> base, String option) {
        java.util.ArrayList<String> a = new java.util.ArrayList<>(base);
        int i = a.indexOf(option);
        a.remove(i + 1);
        a.remove(i);
        return a;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("escape lr zero", with(ESCAPE, "--lr", "0"), "--lr"),
                Arguments.of("escape no trajectories", with(ESCAPE, "--trajectories", "0"), "--trajectories"),
                Arguments.of("escape zero steps", with(ESCAPE, "--steps", "0"), "--steps"),
                Arguments.of("escape bad levels", with(ESCAPE, "--levels", "1,0.1"), "--levels"),
                Arguments.of("escape levels not numbers", with(ESCAPE, "--levels", "1,x"), "--levels"),
                Arguments.of("escape skip-gd without weights", with(ESCAPE, "--skip-gd", "--quiet"), "--skip-gd needs --weights"),
                Arguments.of("escape fit window too long", with(ESCAPE, "--fit-window", "9"), "--fit-window"),
                Arguments.of("escape gd diverges", with(ESCAPE, "--lr", "1e4"), "gradient descent diverged"),
                Arguments.of("escape missing X", with(ESCAPE, "--x", "{DIR}/nope.npy"), "no such file"),
                Arguments.of("escape unknown sampling", with(ESCAPE, "--sampling", "often"), "sampling"),
                Arguments.of("linearized without weights", without(LINEARIZED, "--weights"), "--weights is required"),
                Arguments.of("linearized unknown noise", with(LINEARIZED, "--noise", "minibatch,pink"), "--noise: unknown noise model 'pink'"),
                Arguments.of("linearized repeated noise", with(LINEARIZED, "--noise", "geometry,geometry"), "--noise names a noise model twice"),
                Arguments.of("linearized negative init loss", with(LINEARIZED, "--init-loss", "-1"), "--init-loss"),
                Arguments.of("linearized bad model sizes", with(LINEARIZED, "--model-sizes", "8,0"), "--model-sizes"),
                Arguments.of("linearized one trajectory", with(LINEARIZED, "--trajectories", "1"), "--trajectories"),
                Arguments.of("sweep missing spec", with(SWEEP, "--out", "{DIR}/out").stream().map(a -> a.replace("spec.json", "none.json")).toList(),
                        "no such file"),
                Arguments.of("sweep zero jobs", with(SWEEP, "--jobs", "0"), "--jobs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInput(String name, List<String> args) {
        String[] a = args.stream().map(s -> s.replace("{DIR}", dir.toString())).toArray(String[]::new);
        CliBadInputTest.Result r = CliBadInputTest.run(a);
        assertEquals(2, r.code(), name + ": exit code; stderr: " + r.err());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.get(0).startsWith("sgdstab: error: "), name + ": " + r.err());
        assertFalse(r.err().contains("\tat "), name + ": no stack trace");
        assertFalse(Files.exists(dir.resolve("out")), name + ": nothing written");
    }

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of("escape skip-gd", with(ESCAPE, "--skip-gd", "--quiet"), "--skip-gd needs --weights"),
                Arguments.of("linearized noise", with(LINEARIZED, "--noise", "pink"), "--noise: unknown noise model 'pink'"),
                Arguments.of("sweep bad spec field", SWEEP, "spec.json: unknown field \"axis\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void messageNamesTheProblem(String name, List<String> args, String expected) throws IOException {
        Files.writeString(dir.resolve("spec.json"), "{\"command\": \"train\", \"axis\": {}}");
        String[] a = args.stream().map(s -> s.replace("{DIR}", dir.toString())).toArray(String[]::new);
        CliBadInputTest.Result r = CliBadInputTest.run(a);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().lines().findFirst().orElse("").contains(expected), r.err());
        assertFalse(Files.exists(dir.resolve("out")));
    }
}
