package org.sgdstab.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.sgdstab.data.Dataset;
import org.sgdstab.experiments.EscapeConfig;
import org.sgdstab.experiments.EscapeExperiment;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;
import org.sgdstab.train.Sampling;

/**
 * Times the trajectory phase of {@code sgdstab escape} (not a unit test: surefire runs only *Test
 * classes). Usage, after {@code ./mvnw -q -B -o test-compile}:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *     org.sgdstab.bench.EscapeBenchmark M.json W.safetensors X.npy Y.npy LR B R T JOBS REPEATS
 * </pre>
 * Each repeat runs R trajectories of T steps from the given minimum (GD skipped) and prints the
 * wall time of the trajectory phase; the first repeats include JIT warm-up.
 */
public final class EscapeBenchmark {
    private EscapeBenchmark() {
    }

    public static void main(String[] args) {
        if (args.length != 10) {
            System.err.println("usage: EscapeBenchmark M.json W.safetensors X.npy Y.npy LR B R T JOBS REPEATS");
            System.exit(2);
        }
        Model model = ModelWeights.read(ModelSpec.read(Path.of(args[0])), Path.of(args[1]));
        Dataset data = Dataset.load(Path.of(args[2]), Path.of(args[3]));
        double lr = Double.parseDouble(args[4]);
        int b = Integer.parseInt(args[5]);
        int r = Integer.parseInt(args[6]);
        int t = Integer.parseInt(args[7]);
        int jobs = Integer.parseInt(args[8]);
        int repeats = Integer.parseInt(args[9]);
        EscapeConfig cfg = new EscapeConfig(lr, b, Sampling.WITH_REPLACEMENT, r, t, 1, 1e-8, 0, true, 1e6, jobs, 0,
                new double[] {1}, null, 2048);
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < repeats; i++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            double[][] losses = EscapeExperiment.trajectories(model, data, cfg, new java.util.SplittableRandom(1), () -> false);
            double wall = (System.nanoTime() - t0) * 1e-9;
            double cpu = (mx.getCurrentThreadCpuTime() - cpu0) * 1e-9;
            long steps = 0;
            for (double[] row : losses) {
                for (int s = 1; s < row.length; s++) {
                    steps += Double.isNaN(row[s]) ? 0 : 1;
                }
            }
            System.out.printf(Locale.ROOT, "{\"repeat\": %d, \"trajectory_seconds\": %.4f, \"caller_thread_cpu_seconds\": %.4f, "
                    + "\"sgd_steps\": %d, \"us_per_step\": %.2f, \"jobs\": %d}%n", i, wall, cpu, steps, 1e6 * wall / Math.max(1, steps), jobs);
        }
    }
}
