package org.sgdstab.experiments;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Runs sweep jobs on a fixed pool of threads in this process, taking them in plan order. */
public final class LocalPoolExecutor implements SweepExecutor {
    private final int threads;

    /** @param threads pool size ≥ 1 */
    public LocalPoolExecutor(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("need at least one thread, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public void execute(List<SweepJob> jobs, Runner runner, Consumer<SweepOutcome> sink, BooleanSupplier stop) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable body = () -> {
            for (int i = next.getAndIncrement(); i < jobs.size() && failure.get() == null && !stop.getAsBoolean();
                 i = next.getAndIncrement()) {
                try {
                    sink.accept(runner.run(jobs.get(i), stop));
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int n = Math.min(threads, Math.max(1, jobs.size()));
        TrajectoryPool.onThreads(n, false, "sgdstab-sweep-", "sweep runs", body);
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
