package org.sgdstab.experiments;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Where a sweep's runs execute. The local implementation is {@link LocalPoolExecutor}; a cluster
 * backend implements the same contract by shipping each {@link SweepJob} (plain data) to a worker that
 * calls {@link SweepTasks#run} and sending the {@link SweepOutcome} back.
 */
public interface SweepExecutor {
    /** Runs one job; must be callable from several threads at once. */
    @FunctionalInterface
    interface Runner {
        SweepOutcome run(SweepJob job, BooleanSupplier stop);
    }

    /**
     * Runs every job, handing each outcome to {@code sink} as it finishes. Returns when all jobs are done,
     * or, once {@code stop} is raised, when the running ones have returned (jobs not started are skipped).
     *
     * @param sink thread-safe; called once per finished job, from any thread
     * @throws RuntimeException if a job's runner throws (the sweep's finished rows are already safe)
     */
    void execute(List<SweepJob> jobs, Runner runner, Consumer<SweepOutcome> sink, BooleanSupplier stop);
}
