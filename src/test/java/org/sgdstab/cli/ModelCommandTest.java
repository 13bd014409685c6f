package org.sgdstab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;

/** `model` writes a spec (and weights) that the rest of the tool reads back unchanged. */
class ModelCommandTest {
    @TempDir
    Path dir;

    static Stream<Arguments> presets() {
        return Stream.of(
                Arguments.of("mlp", List.of("--preset", "mlp", "--input-shape", "6", "--widths", "8,8", "--activation", "gelu", "--outputs", "3"), 6 * 8 + 8 + 72 + 27),
                Arguments.of("deep-linear", List.of("--preset", "deep-linear", "--input-shape", "5", "--widths", "4,4"), 20 + 16 + 4),
                Arguments.of("diagonal-linear", List.of("--preset", "diagonal-linear", "--input-shape", "7"), 14),
                Arguments.of("random-features", List.of("--preset", "random-features", "--input-shape", "4", "--features", "30", "--outputs", "2"), 60),
                Arguments.of("small-cnn", List.of("--preset", "small-cnn", "--input-shape", "1,8,8", "--outputs", "10"), -1),
                Arguments.of("vgg-11", List.of("--preset", "vgg", "--depth", "11", "--width-multiplier", "0.125", "--input-shape", "3,8,8"), -1),
                Arguments.of("resnet-8", List.of("--preset", "resnet", "--depth", "8", "--width-multiplier", "0.25", "--input-shape", "3,8,8"), -1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("presets")
    void writesSpecAndWeightsThatReadBack(String name, List<String> options, int expectedP) throws IOException {
        List<String> args = new ArrayList<>(List.of("model"));
        args.addAll(options);
        args.addAll(List.of("--seed", "3", "--out", dir.resolve("m.json").toString(), "--weights-out", dir.resolve("w.safetensors").toString()));
        var r = CliBadInputTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        List<Layer> layers = ModelSpec.read(dir.resolve("m.json"));
        assertEquals(Files.readString(dir.resolve("m.json")), ModelSpec.toJson(layers), "the spec round-trips");
        Model m = ModelWeights.read(layers, dir.resolve("w.safetensors"));
        if (expectedP > 0) {
            assertEquals(expectedP, m.parameterCount());
        }
        assertTrue(r.out().contains("p = " + m.parameterCount()), r.out());
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of("unknown preset", List.of("--preset", "transformer", "--input-shape", "4"), "unknown family"),
                Arguments.of("image family with a vector shape", List.of("--preset", "vgg", "--input-shape", "4"), "needs C,H,W"),
                Arguments.of("bad resnet depth", List.of("--preset", "resnet", "--depth", "9", "--input-shape", "3,8,8"), "6m + 2"),
                Arguments.of("random features without weights", List.of("--preset", "random-features", "--input-shape", "4", "--features", "3"), "--weights-out"),
                Arguments.of("zero width", List.of("--preset", "mlp", "--input-shape", "4", "--widths", "0"), "--widths"),
                Arguments.of("unknown init", List.of("--preset", "mlp", "--input-shape", "4", "--init", "xavier"), "--init"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badOptionsExitTwoAndWriteNothing(String name, List<String> options, String expected) {
        List<String> args = new ArrayList<>(List.of("model"));
        args.addAll(options);
        args.addAll(List.of("--out", dir.resolve("m.json").toString()));
        var r = CliBadInputTest.run(args.toArray(String[]::new));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(Files.exists(dir.resolve("m.json")));
    }
}
