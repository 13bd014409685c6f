package org.sgdstab.train;

import java.util.SplittableRandom;

/**
 * Draws mini-batch indices from {0..n−1} by one of the three {@link Sampling} schemes, from its
 * own seeded stream. Not thread-safe: one sampler per trajectory.
 */
public final class BatchSampler {
    private final Sampling sampling;
    private final int n;
    private final int batch;
    private final SplittableRandom rng;
    private final int[] perm;
    private int cursor;

    /**
     * @throws IllegalArgumentException if B > n without replacement
     */
    public BatchSampler(Sampling sampling, int n, int batch, SplittableRandom rng) {
        if (batch < 1 || n < 1) {
            throw new IllegalArgumentException("need n ≥ 1 and B ≥ 1, got n=" + n + ", B=" + batch);
        }
        if (sampling != Sampling.WITH_REPLACEMENT && batch > n) {
            throw new IllegalArgumentException("batch size " + batch + " exceeds n = " + n + " without replacement");
        }
        this.sampling = sampling;
        this.n = n;
        this.batch = batch;
        this.rng = rng;
        this.perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        this.cursor = n;
    }

    /**
     * Draws the next batch.
     *
     * @param out length B. Modified.
     */
    public void next(int[] out) {
        if (out.length != batch) {
            throw new IllegalArgumentException("index buffer has length " + out.length + ", batch size is " + batch);
        }
        switch (sampling) {
            case WITH_REPLACEMENT -> {
                for (int b = 0; b < batch; b++) {
                    out[b] = rng.nextInt(n);
                }
            }
            case WITHOUT_REPLACEMENT -> {
                // Partial Fisher–Yates: the first B entries become a uniform random subset.
                for (int b = 0; b < batch; b++) {
                    int j = b + rng.nextInt(n - b);
                    swap(b, j);
                    out[b] = perm[b];
                }
            }
            case EPOCH -> {
                for (int b = 0; b < batch; b++) {
                    if (cursor == n) {
                        shuffle();
                        cursor = 0;
                    }
                    out[b] = perm[cursor++];
                }
            }
        }
    }

    private void shuffle() {
        for (int i = n - 1; i > 0; i--) {
            swap(i, rng.nextInt(i + 1));
        }
    }

    private void swap(int i, int j) {
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
}
