package org.sgdstab.nn;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Large scratch arrays kept between calls, so that repeated block Hessian-vector products (Lanczos,
 * Hutchinson) do not allocate and zero their m·n × width tangent buffers on every call: a fresh
 * 32 MB array costs several times a pass over a reused one (G1 humongous allocation, zeroing,
 * page faults). Arrays are held through soft references, so the collector may reclaim them under
 * memory pressure, and at most {@link #CAPACITY} are kept. Thread-safe; an array is handed to one
 * caller at a time. Contents of a taken array are unspecified: callers overwrite or zero it.
 */
final class BufferPool {
    /** Arrays below this length are allocated directly: pooling them saves nothing measurable. */
    static final int MIN_POOLED = 1 << 16;
    private static final int CAPACITY = 8;

    private final ArrayDeque<SoftReference<double[]>> free = new ArrayDeque<>();

    /** An array of exactly {@code length} elements with unspecified contents (zeros if newly allocated). */
    double[] take(int length) {
        if (length >= MIN_POOLED) {
            synchronized (this) {
                for (Iterator<SoftReference<double[]>> it = free.iterator(); it.hasNext(); ) {
                    double[] a = it.next().get();
                    if (a == null) {
                        it.remove();
                    } else if (a.length == length) {
                        it.remove();
                        return a;
                    }
                }
            }
        }
        return new double[length];
    }

    /** Returns an array taken from (or fit for) this pool; the caller must not use it afterwards. */
    void give(double[] a) {
        if (a.length < MIN_POOLED) {
            return;
        }
        synchronized (this) {
            for (SoftReference<double[]> r : free) {
                if (r.get() == a) {
                    throw new IllegalStateException("array returned to the pool twice");
                }
            }
            free.addFirst(new SoftReference<>(a));
            while (free.size() > CAPACITY) {
                free.removeLast();
            }
        }
    }
}
