package org.sgdstab.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs independent trajectories on a fixed pool of threads. Trajectory r always gets stream r, split
 * from the root in order before any thread starts, and writes only its own row, so the results are
 * the same for any number of threads.
 */
public final class TrajectoryPool {
    private TrajectoryPool() {
    }

    /** One thread's worker; it may keep buffers between trajectories. */
    public interface Worker {
        /**
         * Runs trajectory {@code r}.
         *
         * @param rng  its own stream
         * @param loss its row, length T + 1, pre-filled with NaN; the worker writes the steps it reaches. Modified.
         */
        void run(int r, SplittableRandom rng, double[] loss);
    }

    /**
     * Runs {@code count} trajectories of {@code steps + 1} recorded losses each.
     *
     * @param root    the root stream; {@code count} streams are split from it. Modified (advanced).
     * @param jobs    threads (at least 1; at most {@code count} are started)
     * @param workers makes one worker per thread
     * @return loss[r][t], NaN where nothing was recorded
     */
    public static double[][] run(int count, int steps, SplittableRandom root, int jobs, Supplier<? extends Worker> workers) {
        if (count < 0 || steps < 0 || jobs < 1) {
            throw new IllegalArgumentException("need count ≥ 0, steps ≥ 0 and jobs ≥ 1, got " + count + ", " + steps + ", " + jobs);
        }
        SplittableRandom[] streams = new SplittableRandom[count];
        for (int r = 0; r < count; r++) {
            streams[r] = root.split();
        }
        double[][] loss = new double[count][steps + 1];
        for (double[] row : loss) {
            java.util.Arrays.fill(row, Double.NaN);
        }
        int threads = Math.min(jobs, Math.max(count, 1));
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable body = () -> {
            try {
                Worker w = workers.get();
                for (int r = next.getAndIncrement(); r < count && failure.get() == null; r = next.getAndIncrement()) {
                    w.run(r, streams[r], loss[r]);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        onThreads(threads, false, "sgdstab-trajectory-", "trajectories", body);
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
        return loss;
    }

    /**
     * Runs {@code body} on {@code threads} threads at once and waits for all of them. One thread (or
     * fewer) runs it on the caller alone. Otherwise daemon threads named {@code namePrefix + i} are
     * started: i = 0..threads−1, or, when {@code callerRuns}, i = 1..threads−1 with the caller running
     * {@code body} too before it waits. {@code body} handles its own failures.
     *
     * @param waitingFor what the threads do, for the message of the {@link IllegalStateException} thrown
     *                   (interrupt status restored) when the caller is interrupted while waiting
     */
    public static void onThreads(int threads, boolean callerRuns, String namePrefix, String waitingFor, Runnable body) {
        if (threads <= 1) {
            body.run();
            return;
        }
        List<Thread> pool = new ArrayList<>();
        for (int i = callerRuns ? 1 : 0; i < threads; i++) {
            Thread t = new Thread(body, namePrefix + i);
            t.setDaemon(true);
            pool.add(t);
            t.start();
        }
        if (callerRuns) {
            body.run();
        }
        for (Thread t : pool) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + waitingFor, e);
            }
        }
    }
}
