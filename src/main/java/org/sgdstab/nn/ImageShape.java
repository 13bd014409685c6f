package org.sgdstab.nn;

/**
 * The per-sample shape (C, H, W) of an image-like activation. Samples are stored flattened in C
 * order (PyTorch's NCHW with the batch axis as the matrix row): feature {@code (c·H + y)·W + x}.
 *
 * @param channels C ≥ 1
 * @param height   H ≥ 1
 * @param width    W ≥ 1
 */
public record ImageShape(int channels, int height, int width) {
    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape needs C, H, W ≥ 1, got " + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("image shape " + channels + "x" + height + "x" + width + " is too large");
        }
    }

    /** C·H·W, the number of features per sample. */
    public int size() {
        return channels * height * width;
    }

    /** H·W, the number of spatial positions. */
    public int positions() {
        return height * width;
    }

    /** As a [C, H, W] array. */
    public int[] toArray() {
        return new int[] {channels, height, width};
    }

    @Override
    public String toString() {
        return "[" + channels + ", " + height + ", " + width + "]";
    }
}
