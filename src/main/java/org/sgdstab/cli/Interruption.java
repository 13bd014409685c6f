package org.sgdstab.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Turns Ctrl-C (SIGINT/SIGTERM) into a polite stop: the JVM's shutdown hook raises a flag, the
 * running loop sees it, saves its state and returns, and the hook waits for that before the JVM exits.
 */
final class Interruption implements BooleanSupplier, AutoCloseable {
    /** How long the shutdown hook waits for the run to save its state. */
    private static final long SAVE_GRACE_SECONDS = 60;

    private volatile boolean requested;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private Interruption() {
        hook = new Thread(() -> {
            requested = true;
            try {
                finished.await(SAVE_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sgdstab-stop");
    }

    static Interruption install() {
        Interruption i = new Interruption();
        Runtime.getRuntime().addShutdownHook(i.hook);
        return i;
    }

    @Override
    public boolean getAsBoolean() {
        return requested;
    }

    @Override
    public void close() {
        finished.countDown();
        if (!requested) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutdown already under way: the hook is running and will see the latch.
            }
        }
    }
}
