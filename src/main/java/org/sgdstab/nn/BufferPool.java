package org.sgdstab.nn;

import java.lang.ref.SoftReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.sgdstab.linalg.Matrix;

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

    /** Scratch for one call, given back to this pool when the lease is closed. */
    Lease lease() {
        return new Lease();
    }

    /**
     * The scratch arrays of one call: taken from the pool and all given back by {@link #close};
     * arrays the call has finished with ({@link #release}) are reused within it first. One call,
     * one thread.
     */
    final class Lease implements AutoCloseable {
        private final List<double[]> taken = new ArrayList<>();
        private final List<double[]> dead = new ArrayList<>();

        private Lease() {
        }

        /**
         * A rows × cols matrix over a released array of that size, else one from the pool; its
         * contents are unspecified unless {@code overwritten} is false, then zeros.
         */
        Matrix matrix(int rows, int cols, boolean overwritten) {
            int size = Math.multiplyExact(rows, cols);
            double[] a = null;
            for (int i = 0; i < dead.size(); i++) {
                if (dead.get(i).length == size) {
                    a = dead.remove(i);
                    break;
                }
            }
            if (a == null) {
                a = take(size);
                taken.add(a);
            }
            if (!overwritten) {
                java.util.Arrays.fill(a, 0.0);
            }
            return new Matrix(rows, cols, a);
        }

        /** Marks m's array as finished with: later {@link #matrix} calls of this lease may reuse it. */
        void release(Matrix m) {
            dead.add(m.data);
        }

        /** Gives every array this lease took back to the pool. */
        @Override
        public void close() {
            for (double[] a : taken) {
                give(a);
            }
            taken.clear();
            dead.clear();
        }
    }
}
