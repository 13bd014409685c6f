package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/** One cacheable run of the reproduction: training with diagnostics, or an escape experiment. */
public sealed interface RunTask permits TrainTask, EscapeTask {
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
