package org.sgdstab.nn;

/**
 * PyTorch's {@code nn.Flatten}: (C, H, W) → C·H·W. Samples are already stored flattened in C
 * order, so this copies its input; it exists so that specs mirror PyTorch's module indices (and
 * hence the weight keys of the layers after it).
 */
public final class Flatten implements FixedLinear {
    private final int size;

    /** @param size C·H·W */
    public Flatten(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("flatten needs a positive width, got " + size);
        }
        this.size = size;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public String typeName() {
        return "flatten";
    }

    /** A copy. */
    @Override
    public void apply(double[] src, double[] dst) {
        System.arraycopy(src, 0, dst, 0, src.length);
    }

    /** A copy. */
    @Override
    public void applyTranspose(double[] src, double[] dst) {
        System.arraycopy(src, 0, dst, 0, src.length);
    }
}
