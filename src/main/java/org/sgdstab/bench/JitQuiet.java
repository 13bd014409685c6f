package org.sgdstab.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Tells when the JIT has stopped compiling, to end a variant's warm-up. Background compilation runs
 * on the second core, where OpenBLAS's second thread is: a 2-thread GEMM then waits for its
 * descheduled half, and a 16-HVP block ran 20–30 % slower in its first seconds (its narrow GEMMs up to
 * 10×) than once compilation was done. A fixed count of warm-up runs is too few for a 0.3 s variant and
 * needlessly many for a 30 s one.
 */
final class JitQuiet {
    /** Consecutive warm-up runs without a completed compilation that count as quiet. */
    static final int QUIET_RUNS = 2;
    /** Warm-up stops after this many runs even if the JIT is still busy. */
    static final int MAX_RUNS = 50;
    /** … or after this much warm-up time. */
    static final double MAX_SECONDS = 20;

    /** Total JIT compilation time in ms, or null when this JVM does not report it. */
    private final LongSupplier compileMillis;
    private long lastMillis = -1;
    private int quietRuns;

    /** This JVM's JIT. */
    JitQuiet() {
        this(thisJvm());
    }

    /** A JIT seen through its total compilation time (null: not reported). */
    JitQuiet(LongSupplier compileMillis) {
        this.compileMillis = compileMillis;
    }

    private static LongSupplier thisJvm() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : null;
    }

    /** Whether the compilation time is known; without it warm-up is the fixed count. */
    boolean supported() {
        return compileMillis != null;
    }

    /**
     * Called before the first warm-up run (to take the baseline) and after each: whether the last
     * {@link #QUIET_RUNS} runs completed no JIT compilation.
     */
    boolean quietAfterRun() {
        long now = compileMillis.getAsLong();
        quietRuns = lastMillis >= 0 && now == lastMillis ? quietRuns + 1 : 0;
        lastMillis = now;
        return quietRuns >= QUIET_RUNS;
    }
}
