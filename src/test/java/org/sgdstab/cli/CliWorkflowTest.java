package org.sgdstab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;
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

    /**
     * Weights that fit their labels exactly (Y is the model's own output, so the loss is 0): µ and the
     * bounds built on it are undefined; analyze and escape still succeed and report them as such.
     */
    @Test
    void analyzeAndEscapeAtAnExactFit() throws IOException {
        Files.writeString(dir.resolve("m.json"), CliBadInputTest.MODEL);
        Model m = new Initializer.TorchDefault().initialize(ModelSpec.parse(CliBadInputTest.MODEL, "m.json"), new SplittableRandom(2));
        SplittableRandom rng = new SplittableRandom(1);
        int n = 10;
        Matrix x = new Matrix(n, 3);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = rng.nextGaussian();
        }
        Npy.write(dir.resolve("X.npy"), new NdArray(new int[] {n, 3}, x.data));
        Npy.write(dir.resolve("Y.npy"), new NdArray(new int[] {n}, m.predict(x).data));
        ModelWeights.write(dir.resolve("w.safetensors"), m, Map.of());
        String[] files = {"--model", dir.resolve("m.json").toString(), "--weights", dir.resolve("w.safetensors").toString(),
            "--x", dir.resolve("X.npy").toString(), "--y", dir.resolve("Y.npy").toString(), "--lr", "0.1", "--batch-size", "2"};

        var analyze = CliBadInputTest.run(concat(files, "analyze", "--out", dir.resolve("a.json").toString()));
        assertEquals(0, analyze.code(), analyze.err());
        JsonNode json = Json.MAPPER.readTree(dir.resolve("a.json").toFile());
        assertEquals(0.0, json.get("loss").asDouble(), 0.0, "the fit is exact");
        for (String k : List.of("mu", "mu1", "bound_thm33", "bound_prop34", "escape_factor_gamma0")) {
            assertTrue(json.get(k).isNull(), k + " is undefined: " + json.get(k));
        }
        for (String k : List.of("hessian_frobenius", "hessian_trace", "hessian_lambda_max", "critical_lr", "gd_bound_lambda")) {
            assertTrue(json.get(k).isNumber(), k + " is reported: " + json.get(k));
        }
        var text = CliBadInputTest.run(concat(files, "analyze", "--format", "text"));
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("undefined: µ is undefined"), text.out());
        assertTrue(text.out().contains("the loss is exactly 0"), text.out());

        Path out = dir.resolve("escape");
        var escape = CliBadInputTest.run(concat(files, "escape", "--skip-gd", "--steps", "5", "--trajectories", "4", "--seed", "1",
                "--out", out.toString()));
        assertEquals(0, escape.code(), escape.err());
        assertTrue(escape.out().contains("γ0 = undefined"), escape.out());
        JsonNode summary = Json.MAPPER.readTree(out.resolve("summary.json").toFile());
        JsonNode predicted = summary.get("predicted");
        for (String k : List.of("mu", "gamma0")) {
            assertTrue(predicted.get(k).isNull(), k + " is undefined: " + predicted.get(k));
        }
        assertTrue(predicted.get("theorem33").get("bound").isNull());
        assertTrue(predicted.get("theorem33").get("violated").isNull(), "an undefined bound is not violated");
        assertTrue(predicted.get("hessian_frobenius").isNumber());
        for (String f : List.of("trajectories.csv", "curves.csv", "minimum.safetensors", "escape.png")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
    }

    /** The command name, then {@code files}, then {@code more}. */
    private static String[] concat(String[] files, String command, String... more) {
        String[] a = new String[1 + files.length + more.length];
        a[0] = command;
        System.arraycopy(files, 0, a, 1, files.length);
        System.arraycopy(more, 0, a, 1 + files.length, more.length);
        return a;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"demo", "data", "train", "analyze"})
    void everyCommandHasHelp(String command) {
        var r = CliBadInputTest.run(command, "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("Usage: sgdstab " + command), r.out());
    }
}
