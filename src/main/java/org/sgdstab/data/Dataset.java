package org.sgdstab.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.sgdstab.io.InputException;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.linalg.Matrix;

/**
 * Inputs and square-loss targets: X is n × d (images are flattened C·H·W in C order, their shape
 * kept in {@code inputShape}), Y is n × K.
 *
 * @param x          n × d inputs
 * @param y          n × K targets
 * @param inputShape the per-sample shape of X as stored (e.g. [d] or [C, H, W])
 */
public record Dataset(Matrix x, Matrix y, int[] inputShape) {
    public Dataset {
        if (x.rows != y.rows) {
            throw new IllegalArgumentException("X has " + x.rows + " rows but Y has " + y.rows);
        }
        inputShape = inputShape.clone();
    }

    /** A dataset of 2-d X and Y. */
    public Dataset(Matrix x, Matrix y) {
        this(x, y, new int[] {x.cols});
    }

    public int size() {
        return x.rows;
    }

    public int inputSize() {
        return x.cols;
    }

    public int outputs() {
        return y.cols;
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Loads X.npy and Y.npy and validates them (shapes, row counts, finiteness). */
    public static Dataset load(Path xFile, Path yFile) {
        NdArray xa = Npy.read(xFile);
        NdArray ya = Npy.read(yFile);
        if (xa.ndim() < 2) {
            throw new InputException(xFile + ": X must have shape (n, d) or (n, C, H, W), got " + xa.shapeString());
        }
        if (ya.ndim() != 1 && ya.ndim() != 2) {
            throw new InputException(yFile + ": Y must have shape (n,) or (n, K), got " + ya.shapeString());
        }
        if (xa.dim(0) != ya.dim(0)) {
            throw new InputException(yFile + ": Y has " + ya.dim(0) + " rows but " + xFile.getFileName() + " has " + xa.dim(0));
        }
        if (xa.dim(0) == 0) {
            throw new InputException(xFile + ": X has no samples");
        }
        requireFinite(xa, xFile);
        requireFinite(ya, yFile);
        int[] shape = xa.shape();
        return new Dataset(xa.asMatrix(), ya.asMatrix(), Arrays.copyOfRange(shape, 1, shape.length));
    }

    private static void requireFinite(NdArray a, Path file) {
        double[] d = a.data();
        for (int i = 0; i < d.length; i++) {
            if (!Double.isFinite(d[i])) {
                throw new InputException(file + ": element " + i + " is " + d[i] + " (data must be finite)");
            }
        }
    }

    /** Throws an {@link InputException} unless the data fit a model with the given input and output sizes. */
    public void requireFits(int modelInputs, int modelOutputs, String xName, String yName) {
        if (x.cols != modelInputs) {
            throw new InputException(xName + ": X has " + x.cols + " features per sample, the model expects " + modelInputs);
        }
        if (y.cols != modelOutputs) {
            throw new InputException(yName + ": Y has " + y.cols + " targets per sample, the model has " + modelOutputs + " outputs");
        }
    }

    /** The rows at the given indices, copied. */
    public Dataset subset(int[] rows) {
        Matrix xs = new Matrix(rows.length, x.cols);
        Matrix ys = new Matrix(rows.length, y.cols);
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(x.data, rows[r] * x.cols, xs.data, r * x.cols, x.cols);
            System.arraycopy(y.data, rows[r] * y.cols, ys.data, r * y.cols, y.cols);
        }
        return new Dataset(xs, ys, inputShape);
    }

    /**
     * The probe set for diagnostics: the whole dataset when n ≤ maxSize, otherwise a seeded
     * uniformly random subset of maxSize rows (in increasing row order).
     */
    public Dataset probe(int maxSize, SplittableRandom rng) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("probe size must be positive, got " + maxSize);
        }
        int n = size();
        if (n <= maxSize) {
            return this;
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < maxSize; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] chosen = Arrays.copyOf(perm, maxSize);
        Arrays.sort(chosen);
        return subset(chosen);
    }
}
