package org.sgdstab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.io.InputException;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.report.Provenance;

class SweepTest {
    @TempDir
    Path dir;

    static final String SPEC = """
            {"command": "train",
             "base": {"model": "m.json", "x": "X.npy", "y": "Y.npy", "steps": 20, "batch-size": 2},
             "axes": {"width": [3, 5], "lr": [0.05, 0.1], "seed": [1, 2, 3]},
             "metrics": ["final_loss", "diverged"]}
            """;

    @BeforeEach
    void files() throws IOException {
        Files.writeString(dir.resolve("m.json"),
                "{\"layers\": [{\"type\":\"linear\",\"in\":3,\"out\":4}, {\"type\":\"tanh\"}, {\"type\":\"linear\",\"in\":4,\"out\":1}]}");
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
    }

    SweepSpec spec() {
        return SweepSpec.parse(SPEC, "spec.json", dir);
    }

    /** Runs the first {@code survive} jobs, then dies as a kill -9 would: no further rows, no cleanup. */
    record CrashingExecutor(int survive) implements SweepExecutor {
        @Override
        public void execute(List<SweepJob> jobs, Runner runner, Consumer<SweepOutcome> sink, BooleanSupplier stop) {
            for (int i = 0; i < survive; i++) {
                sink.accept(runner.run(jobs.get(i), stop));
            }
            throw new IllegalStateException("simulated crash");
        }
    }

    @Test
    void crashThenResumeEqualsUninterrupted() throws IOException {
        Path full = dir.resolve("full");
        Sweep.Summary s = Sweep.run(spec(), full, new LocalPoolExecutor(2), false, () -> false, Provenance.now("t", 0, "x"));
        assertEquals(12, s.planned());
        assertEquals(12, s.ok());
        Path crashed = dir.resolve("crashed");
        assertThrows(IllegalStateException.class,
                () -> Sweep.run(spec(), crashed, new CrashingExecutor(5), false, () -> false, Provenance.now("t", 0, "x")));
        assertEquals(5, Files.readAllLines(crashed.resolve("results.jsonl")).size(), "the finished runs survive the crash");
        Sweep.Summary r = Sweep.run(spec(), crashed, new LocalPoolExecutor(3), true, () -> false, Provenance.now("t", 0, "x"));
        assertEquals(5, r.skipped());
        assertEquals(7, r.ok());
        assertEquals(-1, Files.mismatch(full.resolve("results.jsonl"), crashed.resolve("results.jsonl")));
        assertEquals(-1, Files.mismatch(full.resolve("aggregate.csv"), crashed.resolve("aggregate.csv")));
        List<String> agg = Files.readAllLines(full.resolve("aggregate.csv"));
        assertEquals("width,lr,runs,final_loss_mean,final_loss_std,diverged_mean,diverged_std", agg.get(0));
        assertEquals(5, agg.size(), "4 settings of (width, lr), each over 3 seeds");
        assertTrue(agg.get(1).startsWith("3,0.05,3,"), agg.get(1));
        Sweep.Summary again = Sweep.run(spec(), crashed, new LocalPoolExecutor(1), true, () -> false, Provenance.now("t", 0, "x"));
        assertEquals(12, again.skipped(), "a finished sweep resumes to nothing");
    }

    @Test
    void existingSweepNeedsResumeAndTheSameSpec() {
        Path out = dir.resolve("s");
        Sweep.run(spec(), out, new LocalPoolExecutor(1), false, () -> true, Provenance.now("t", 0, "x"));
        InputException e = assertThrows(InputException.class,
                () -> Sweep.run(spec(), out, new LocalPoolExecutor(1), false, () -> false, Provenance.now("t", 0, "x")));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        SweepSpec other = SweepSpec.parse(SPEC.replace("0.05", "0.07"), "spec.json", dir);
        InputException e2 = assertThrows(InputException.class,
                () -> Sweep.run(other, out, new LocalPoolExecutor(1), true, () -> false, Provenance.now("t", 0, "x")));
        assertTrue(e2.getMessage().contains("different spec"), e2.getMessage());
    }

    @Test
    void planIsStableAndLastAxisFastest() {
        List<SweepJob> plan = spec().plan();
        assertEquals(12, plan.size());
        assertEquals(1, plan.get(0).options().get("seed").asInt());
        assertEquals(2, plan.get(1).options().get("seed").asInt());
        assertEquals(0.1, plan.get(3).options().get("lr").asDouble());
        assertEquals(plan.get(7).id(), spec().plan().get(7).id());
        assertEquals(12, plan.stream().map(SweepJob::id).distinct().count());
    }

    static Stream<Arguments> badSpecs() {
        String ok = SPEC;
        return Stream.of(
                Arguments.of("invalid JSON", "{\"command\": ", "not valid JSON"),
                Arguments.of("unknown top-level field", ok.replace("\"metrics\"", "\"metric\""), "unknown field \"metric\""),
                Arguments.of("unknown command", ok.replace("\"train\"", "\"fly\""), "unknown command \"fly\""),
                Arguments.of("unknown option in base", ok.replace("\"steps\"", "\"stepz\""), "base.\"stepz\": \"stepz\" is not an option of train"),
                Arguments.of("wrong type in base", ok.replace("\"steps\": 20", "\"steps\": \"many\""), "base.\"steps\" must be an integer"),
                Arguments.of("wrong type in an axis value", ok.replace("[0.05, 0.1]", "[0.05, \"0.1\"]"), "axes.\"lr\"[1] must be a number"),
                Arguments.of("axis not an array", ok.replace("[1, 2, 3]", "3"), "axes.\"seed\" must be a non-empty array"),
                Arguments.of("empty axis", ok.replace("[1, 2, 3]", "[]"), "axes.\"seed\" must be a non-empty array"),
                Arguments.of("repeated axis value", ok.replace("[1, 2, 3]", "[1, 2, 1]"), "axes.\"seed\"[2] repeats"),
                Arguments.of("option in base and axes", ok.replace("\"batch-size\": 2", "\"batch-size\": 2, \"lr\": 0.1"), "axes.\"lr\" is also given in base"),
                Arguments.of("missing required option", ok.replace("\"steps\": 20, ", ""), "missing option \"steps\""),
                Arguments.of("unknown metric", ok.replace("\"diverged\"", "\"accuracy\""), "metrics[1]: unknown metric \"accuracy\""),
                Arguments.of("weights with width", ok.replace("\"batch-size\": 2", "\"batch-size\": 2, \"weights\": \"w.safetensors\""),
                        "\"weights\" cannot be combined with \"width\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecsAreRejectedNamingTheField(String name, String json, String expected) {
        InputException e = assertThrows(InputException.class, () -> SweepSpec.parse(json, "spec.json", dir));
        assertTrue(e.getMessage().startsWith("spec.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), name + ": " + e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
    }

    @Test
    void failedRunsAreRecordedAndRetried() throws IOException {
        SweepSpec s = SweepSpec.parse(SPEC.replace("\"X.npy\"", "\"missing.npy\""), "spec.json", dir);
        Path out = dir.resolve("fail");
        Sweep.Summary r = Sweep.run(s, out, new LocalPoolExecutor(2), false, () -> false, Provenance.now("t", 0, "x"));
        assertEquals(12, r.failed());
        String first = Files.readAllLines(out.resolve("results.jsonl")).get(0);
        assertTrue(first.contains("\"status\":\"failed\"") && first.contains("no such file"), first);
        assertEquals(0, Sweep.run(s, out, new LocalPoolExecutor(2), true, () -> false, Provenance.now("t", 0, "x")).skipped());
    }
}
