package org.sgdstab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.report.Json;

/** The documented workflow end to end through the CLI: generate, train, analyze. */
class CliWorkflowTest {
    @TempDir
    Path dir;

    static final List<String> ANALYZE_KEYS = List.of("n", "d", "K", "p", "loss", "grad_norm", "fisher_trace", "fisher_frobenius",
            "fisher_lambda_max", "tr_sigma_g", "sigma_frobenius", "alpha", "beta", "mu", "mu1", "mu2", "gamma", "tau",
            "bound_thm33", "bound_prop34", "gd_bound_lambda", "hessian_frobenius", "hessian_trace", "hessian_lambda_max",
            "hessian_method", "critical_lr", "gd_critical_lr", "rho_at_lr", "escape_factor_gamma0", "bound_gd_frobenius",
            "bound_isotropic_trace", "provenance");

    @Test
    void generateTrainAnalyze() throws IOException {
        var gen = CliBadInputTest.run("data", "generate", "--kind", "sphere", "--n", "40", "--d", "5", "--teacher", "mlp-relu",
                "--noise", "0.1", "--seed", "3", "--out", dir.resolve("data").toString());
        assertEquals(0, gen.code(), gen.err());
        NdArray x = Npy.read(dir.resolve("data/X.npy"));
        assertEquals(40, x.dim(0));
        for (int i = 0; i < 40; i++) {
            double s = 0;
            for (int j = 0; j < 5; j++) {
                s += x.data()[i * 5 + j] * x.data()[i * 5 + j];
            }
            assertEquals(1.0, s, 1e-12, "sphere inputs have unit norm");
        }
        assertEquals(3, Json.MAPPER.readTree(dir.resolve("data/meta.json").toFile()).get("provenance").get("seed").asInt());
        Files.writeString(dir.resolve("m.json"), "{\"layers\": [{\"type\":\"linear\",\"in\":5,\"out\":8}, {\"type\":\"gelu\"},"
                + " {\"type\":\"linear\",\"in\":8,\"out\":1}]}");
        String xs = dir.resolve("data/X.npy").toString();
        String ys = dir.resolve("data/Y.npy").toString();
        var train = CliBadInputTest.run("train", "--model", dir.resolve("m.json").toString(), "--x", xs, "--y", ys, "--lr", "0.1",
                "--batch-size", "4", "--steps", "50", "--diagnostics-every", "25", "--seed", "1", "--quiet",
                "--out", dir.resolve("run").toString());
        assertEquals(0, train.code(), train.err());
        assertTrue(train.out().startsWith("completed after 50 steps"), train.out());
        var analyze = CliBadInputTest.run("analyze", "--model", dir.resolve("m.json").toString(), "--weights",
                dir.resolve("run/final.safetensors").toString(), "--x", xs, "--y", ys, "--lr", "0.1", "--batch-size", "4",
                "--out", dir.resolve("a.json").toString());
        assertEquals(0, analyze.code(), analyze.err());
        JsonNode json = Json.MAPPER.readTree(analyze.out());
        for (String k : ANALYZE_KEYS) {
            assertTrue(json.has(k), "analyze JSON lacks " + k);
        }
        assertEquals(Files.readString(dir.resolve("a.json")), analyze.out());
        assertEquals("exact", json.get("hessian_method").asText());
        var text = CliBadInputTest.run("analyze", "--model", dir.resolve("m.json").toString(), "--weights",
                dir.resolve("run/final.safetensors").toString(), "--x", xs, "--y", ys, "--lr", "0.1", "--batch-size", "4",
                "--format", "text", "--hessian", "stochastic", "--probes", "8");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("hessian_trace_stderr"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"demo", "data", "train", "analyze"})
    void everyCommandHasHelp(String command) {
        var r = CliBadInputTest.run(command, "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: sgdstab " + command), r.out());
    }
}
