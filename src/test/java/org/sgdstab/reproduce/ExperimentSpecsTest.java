package org.sgdstab.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.experiments.SweepSpec;
import org.sgdstab.nn.ModelSpec;

/** Every committed per-figure sweep spec (experiments/figN.json) parses, and the model files it names exist and parse. */
class ExperimentSpecsTest {
    private static final Path DIR = Path.of("experiments");

    static Stream<String> specs() {
        return Stream.of("fig1.json", "fig2.json", "fig3.json", "fig4.json", "fig5.json", "fig6.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void specParsesAndItsModelsExist(String name) {
        SweepSpec spec = SweepSpec.read(DIR.resolve(name));
        List<JsonNode> models = new ArrayList<>();
        if (spec.base().has("model")) {
            models.add(spec.base().get("model"));
        }
        models.addAll(spec.axes().getOrDefault("model", List.of()));
        assertFalse(models.isEmpty(), "a model in base or axes");
        for (JsonNode m : models) {
            Path file = spec.baseDir().resolve(m.asText());
            assertTrue(Files.isRegularFile(file), "model file " + file);
            assertFalse(ModelSpec.read(file).isEmpty(), "layers of " + file);
        }
    }

    @org.junit.jupiter.api.Test
    void everyFigureHasASpec() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            assertEquals(specs().toList(), s.map(p -> p.getFileName().toString()).filter(f -> f.matches("fig\\d\\.json")).sorted().toList());
        }
    }
}
