package org.sgdstab.geometry;

import org.sgdstab.linalg.Matrix;

/**
 * Extreme eigenpairs from {@link Lanczos}. The arrays and the matrix are freshly allocated and
 * belong to the caller.
 *
 * @param values     Ritz values, descending (by value for {@link Lanczos#topEigenvalues}, by
 *                   magnitude for {@link Lanczos#topByMagnitude})
 * @param residuals  true residual norms ‖A x_i − θ_i x_i‖ of the returned unit Ritz vectors,
 *                   computed with one extra application of the operator
 * @param iterations Lanczos steps taken (operator applications to single vectors), not counting
 *                   the final residual check
 * @param vectors    the unit Ritz vectors as rows, values.length × dim
 */
public record LanczosResult(double[] values, double[] residuals, int iterations, Matrix vectors) {
    public LanczosResult {
        if (values.length != residuals.length || vectors.rows != values.length) {
            throw new IllegalArgumentException("inconsistent Lanczos result: " + values.length + " values, "
                    + residuals.length + " residuals, " + vectors.rows + " vectors");
        }
    }

    /** Number of eigenpairs returned: min(k, dim). */
    public int count() {
        return values.length;
    }
}
