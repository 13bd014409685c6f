package org.sgdstab.bench;

import java.nio.file.Path;

/**
 * One scaling study ({@code sgdstab bench --scaling}).
 *
 * @param scale   FULL: n = 256 … 8,192 at width 512 and width = 64 … 4,096 at n = 1,024; SMOKE: tiny sizes
 * @param seed    root seed of every input
 * @param warmup  untimed runs per point and quantity
 * @param repeats timed runs per point and quantity (the median is fitted)
 * @param threads BLAS threads (pinned in each child JVM)
 * @param fork    measure each point in a fresh JVM with a heap sized to it (clean peak RSS)
 * @param out     output directory (scaling.csv, scaling.json, scaling.txt, the plots, one log per point)
 */
public record ScalingConfig(Scale scale, long seed, int warmup, int repeats, int threads, boolean fork, Path out) {
    public ScalingConfig {
        if (scale == null || out == null) {
            throw new IllegalArgumentException("scale and out are required");
        }
        if (warmup < 0 || repeats < 1 || threads < 1) {
            throw new IllegalArgumentException("need warmup ≥ 0, repeats ≥ 1 and threads ≥ 1");
        }
    }
}
