package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * A layer that is a fixed linear map {@code z = M a} without parameters (average pooling, flatten).
 * Backward applies Mᵀ, the R-operator passes are M and Mᵀ again (f″ = 0) and there is no Gram
 * contribution, so an implementation supplies only M and Mᵀ; the layer operations are written once here.
 */
sealed interface FixedLinear extends Layer permits AvgPool2d, GlobalAvgPool, Flatten {
    /**
     * dst = M · src, row by row, for every (stacked) row of src.
     *
     * @param src rows of {@link #inputSize()}. Not modified.
     * @param dst as many rows of {@link #outputSize()}. Modified (overwritten).
     */
    void apply(double[] src, double[] dst);

    /**
     * dst = Mᵀ · src, row by row, for every (stacked) row of src.
     *
     * @param src rows of {@link #outputSize()}. Not modified.
     * @param dst as many rows of {@link #inputSize()}. Modified (overwritten).
     */
    void applyTranspose(double[] src, double[] dst);

    @Override
    default List<ParamTensor> parameters() {
        return List.of();
    }

    @Override
    default boolean trainable() {
        return false;
    }

    @Override
    default void forward(Matrix a, double[] w, int off, Matrix z) {
        apply(a.data, z.data);
    }

    @Override
    default void backward(Matrix a, Matrix z, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            applyTranspose(gOut.data, gIn.data);
        }
    }

    @Override
    default void addGram(Matrix a, Matrix z, double[] w, int off, Matrix sens, Matrix gram) {
        // No parameters, no contribution.
    }

    @Override
    default void rForward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn == null) {
            dOut.zeroInPlace();
        } else {
            apply(dIn.data, dOut.data);
        }
    }

    @Override
    default void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                           Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        if (rgIn != null) {
            applyTranspose(rgOut.data, rgIn.data);
        }
    }
}
