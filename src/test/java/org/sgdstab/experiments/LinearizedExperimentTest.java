package org.sgdstab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Tanh;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;
import org.sgdstab.train.Sampling;

class LinearizedExperimentTest {
    @TempDir
    Path dir;

    static LinearizedConfig config(int jobs, int[] sizes) {
        return new LinearizedConfig(0.3, 2, Sampling.WITH_REPLACEMENT, List.of(NoiseModel.values()), 300, 25, 1e-4, 3, 1e6, jobs, sizes,
                LinearizedConfig.DEFAULT_MAX_APPLICATIONS);
    }

    @Test
    void outputsDoNotDependOnJobsAndModelSizesAreCompared() throws IOException {
        Problems.Case c = Problems.make("mlp", List.of(new Dense(3, 8, true, true), new Tanh(8), new Dense(8, 1, true, true)), 10, 31);
        for (int jobs : new int[] {1, 2}) {
            LinearizedExperiment.execute(c.model(), c.data(), config(jobs, jobs == 1 ? new int[] {2, 16, 128} : new int[0]),
                    new Initializer.TorchDefault(), dir.resolve("j" + jobs), Provenance.now("t", 3, "x"), () -> false);
        }
        assertEquals(-1, Files.mismatch(dir.resolve("j1/curves.csv"), dir.resolve("j2/curves.csv")));
        assertEquals(1 + 4 * 26, Files.readAllLines(dir.resolve("j1/curves.csv")).size());
        JsonNode s = Json.MAPPER.readTree(dir.resolve("j1/summary.json").toFile());
        assertTrue(s.get("minibatch_check").get("agrees").asBoolean(), s.get("minibatch_check").toString());
        List<String> sizes = Files.readAllLines(dir.resolve("j1/model_sizes.csv"));
        assertEquals(4, sizes.size());
        // η·λ_max is the same at every size, so the GD margin is fixed; the geometry noise's ρ stays of order one
        // while the isotropic noise's falls towards the deterministic contraction as p grows.
        JsonNode rows = s.get("model_sizes");
        double firstIso = rows.get(0).get("rho_isotropic").asDouble();
        double lastIso = rows.get(2).get("rho_isotropic").asDouble();
        assertTrue(lastIso < firstIso, "isotropic instability fades with p: " + firstIso + " -> " + lastIso);
        for (String f : List.of("linearized.png", "linearized.svg", "model_sizes.png")) {
            assertTrue(Files.exists(dir.resolve("j1").resolve(f)), f);
        }
    }
}
