package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** One cacheable run of the reproduction: training with diagnostics, or an escape experiment. */
public sealed interface RunTask permits TrainTask, EscapeTask {
    /** XORed into a run's seed to seed its model's initialisation, so that it differs from the run's SGD seed. */
    long MODEL_SEED_MASK = 0x5DEECE66DL;

    /** Short kind for the run's directory name. */
    String kind();

    /** Everything the run's result depends on (its cache key). */
    ObjectNode key();

    /** A short description for progress output. */
    String label();

    /**
     * Runs into {@code dir} (created) and returns the result to store in done.json (which holds the key
     * too), or null when {@code stop} cut it short.
     */
    ObjectNode execute(Problems problems, Path dir, BooleanSupplier stop);
}
