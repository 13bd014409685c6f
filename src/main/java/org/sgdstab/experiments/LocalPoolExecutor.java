package org.sgdstab.experiments;

import java.util.ArrayList;
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
        if (n == 1) {
            body.run();
        } else {
            List<Thread> pool = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                Thread th = new Thread(body, "sgdstab-sweep-" + t);
                th.setDaemon(true);
                pool.add(th);
                th.start();
            }
            for (Thread th : pool) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for sweep runs", e);
                }
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
