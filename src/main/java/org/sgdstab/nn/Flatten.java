package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * PyTorch's {@code nn.Flatten}: (C, H, W) → C·H·W. Samples are already stored flattened in C
 * order, so this copies its input; it exists so that specs mirror PyTorch's module indices (and
 * hence the weight keys of the layers after it).
 */
public final class Flatten implements Layer {
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

    @Override
    public List<ParamTensor> parameters() {
        return List.of();
    }

    @Override
    public boolean trainable() {
        return false;
    }

    @Override
    public void forward(Matrix a, double[] w, int off, Matrix z) {
        System.arraycopy(a.data, 0, z.data, 0, a.data.length);
    }

    @Override
    public void backward(Matrix a, Matrix z, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            System.arraycopy(gOut.data, 0, gIn.data, 0, gOut.data.length);
        }
    }

    @Override
    public void addGram(Matrix a, Matrix z, double[] w, int off, Matrix sens, Matrix gram) {
        // No parameters, no contribution.
    }

    @Override
    public void rForward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn == null) {
            dOut.zeroInPlace();
        } else {
            System.arraycopy(dIn.data, 0, dOut.data, 0, dIn.data.length);
        }
    }

    @Override
    public void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                          Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        if (rgIn != null) {
            System.arraycopy(rgOut.data, 0, rgIn.data, 0, rgOut.data.length);
        }
    }
}
