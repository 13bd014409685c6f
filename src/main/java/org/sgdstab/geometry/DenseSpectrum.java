package org.sgdstab.geometry;

import java.util.Arrays;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.SymmetricEigen;

/**
 * Exact curvature of a small operator: the matrix is formed with dim applications and handed to
 * the dense symmetric eigensolver (theory.md §4, "for small p compute H exactly").
 *
 * @param eigenvalues all eigenvalues, ascending
 * @param trace       Tr A, summed from the formed diagonal
 * @param frobenius   ‖A‖_F of the formed matrix
 */
public record DenseSpectrum(double[] eigenvalues, double trace, double frobenius) {

    /**
     * Forms {@code op} densely ({@link LinearOperator#toDense}) and decomposes it.
     *
     * @param op        symmetric operator, dim ≥ 1. Not modified.
     * @param blockSize unit vectors per operator application, ≥ 1
     */
    public static DenseSpectrum of(LinearOperator op, int blockSize) {
        if (op == null) {
            throw new IllegalArgumentException("operator is required");
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be ≥ 1, got " + blockSize);
        }
        if (op.dim() < 1) {
            throw new IllegalArgumentException("operator dimension must be ≥ 1, got " + op.dim());
        }
        Matrix a = op.toDense(blockSize);
        return new DenseSpectrum(SymmetricEigen.values(a), a.trace(), a.frobeniusNorm());
    }

    /** Dimension of the operator. */
    public int dim() {
        return eigenvalues.length;
    }

    /** The largest eigenvalue. */
    public double lambdaMax() {
        return eigenvalues[eigenvalues.length - 1];
    }

    /**
     * The min(k, dim) largest eigenvalues, descending.
     *
     * @param k ≥ 1
     * @return a new array
     */
    public double[] top(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be ≥ 1, got " + k);
        }
        int n = Math.min(k, eigenvalues.length);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = eigenvalues[eigenvalues.length - 1 - i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "DenseSpectrum[dim=" + dim() + ", trace=" + trace + ", frobenius=" + frobenius
                + ", top=" + Arrays.toString(top(Math.min(5, Math.max(1, dim())))) + "]";
    }
}
