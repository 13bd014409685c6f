package org.sgdstab.bench;

import java.nio.file.Path;

/**
 * Entry point of the child JVM that {@link ScalingStudy} starts for each point, so that its peak
 * RSS and heap are its own. Arguments: sweep n width d seed warmup repeats resultFile. Exit status
 * 0 on success, 1 with a stack trace on stderr otherwise.
 */
public final class ForkedScalingPoint {
    private ForkedScalingPoint() {
    }

    public static void main(String[] args) {
        try {
            if (args.length != 8) {
                throw new IllegalArgumentException("usage: ForkedScalingPoint sweep n width d seed warmup repeats resultFile");
            }
            ScalingStudy.Point p = ScalingStudy.measure(ScalingStudy.Sweep.valueOf(args[0]), Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]));
            ScalingStudy.writePoint(Path.of(args[7]), p);
        } catch (Exception | Error e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
