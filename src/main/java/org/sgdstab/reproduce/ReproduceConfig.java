package org.sgdstab.reproduce;

import java.nio.file.Path;
import org.sgdstab.io.InputException;

/**
 * One invocation of {@code sgdstab reproduce}.
 *
 * @param scale  sizes of the runs
 * @param seed   root seed; every run's seed is derived from it and the run's own seed index
 * @param out    the output directory (figure folders, the run cache and report.html)
 * @param resume continue an earlier reproduction in {@code out}, skipping finished runs
 * @param quiet  no progress bar
 * @param jobs   runs executed at once (results do not depend on it)
 */
public record ReproduceConfig(Scale scale, long seed, Path out, boolean resume, boolean quiet, int jobs) {
    public ReproduceConfig {
        if (scale == null || out == null) {
            throw new IllegalArgumentException("scale and out are required");
        }
        if (jobs < 1) {
            throw new InputException("--jobs must be at least 1, got " + jobs);
        }
    }
}
