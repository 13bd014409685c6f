package org.sgdstab.bench;

import java.nio.file.Path;

/**
 * Entry point of the child JVM that {@link Benchmark} starts for each workload, so that its peak
 * RSS and JIT state are its own. Arguments: id scale seed warmup repeats dir. Exit status 0 on
 * success, 1 with a stack trace on stderr otherwise.
 */
public final class ForkedWorkload {
    private ForkedWorkload() {
    }

    public static void main(String[] args) {
        try {
            if (args.length != 6) {
                throw new IllegalArgumentException("usage: ForkedWorkload id scale seed warmup repeats dir");
            }
            Workload w = Workloads.create(args[0], Scale.parse(args[1]), Long.parseLong(args[2]));
            JavaSide.measure(w, Path.of(args[5]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
