package org.sgdstab.io;

import java.util.Arrays;
import org.sgdstab.linalg.Matrix;

/**
 * An n-dimensional array of doubles in C (row-major) order, as read from or written to
 * {@code .npy} and safetensors files.
 *
 * @param shape the dimensions; an empty shape is a scalar
 * @param data  the elements, {@code product(shape)} of them, C order
 */
public record NdArray(int[] shape, double[] data) {

    public NdArray {
        long size = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            size *= s;
        }
        if (size != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + size + " elements, got " + data.length);
        }
        shape = shape.clone();
    }

    /** Wraps a matrix (data shared, not copied) as a 2-d array. */
    public static NdArray of(Matrix m) {
        return new NdArray(new int[] {m.rows, m.cols}, m.data);
    }

    /** Number of dimensions. */
    public int ndim() {
        return shape.length;
    }

    /** Copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }

    /** Size of dimension i. */
    public int dim(int i) {
        return shape[i];
    }

    /**
     * This array as an (shape[0] × rest) matrix sharing the data: 1-d arrays become a column,
     * higher-dimensional arrays are flattened after the first axis.
     */
    public Matrix asMatrix() {
        if (shape.length == 0) {
            return new Matrix(1, 1, data);
        }
        int rows = shape[0];
        int cols = shape.length == 1 ? 1 : data.length / Math.max(1, rows);
        if (rows == 0) {
            cols = 1;
            for (int i = 1; i < shape.length; i++) {
                cols *= shape[i];
            }
        }
        return new Matrix(rows, cols, data);
    }

    /** The shape as "(a, b, c)", as NumPy prints it. */
    public String shapeString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdArray a && Arrays.equals(a.shape, shape) && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NdArray" + shapeString();
    }
}
