package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;

/**
 * The diagonal layer of a diagonal linear network: z_j = (u_j² − v_j²)·a_j, parameters u then v.
 * Followed by a frozen all-ones linear layer it gives f(x) = Σ_j (u_j² − v_j²) x_j.
 *
 * <p>Per-sample gradient of δ·z: ∂/∂u_j = 2u_j a_j δ_j and ∂/∂v_j = −2v_j a_j δ_j, so the Gram
 * contribution is Z·Zᵀ with Z_qj = a_{q%n, j} δ_qj · 2·sqrt(u_j² + v_j²).
 */
public final class Diagonal implements Layer {
    private final int dim;
    private final boolean trainable;

    public Diagonal(int dim, boolean trainable) {
        if (dim < 1) {
            throw new IllegalArgumentException("diagonal layer needs dim ≥ 1, got " + dim);
        }
        this.dim = dim;
        this.trainable = trainable;
    }

    @Override
    public int inputSize() {
        return dim;
    }

    @Override
    public int outputSize() {
        return dim;
    }

    @Override
    public String typeName() {
        return "diagonal";
    }

    @Override
    public boolean trainable() {
        return trainable;
    }

    @Override
    public List<ParamTensor> parameters() {
        return List.of(new ParamTensor("u", new int[] {dim}), new ParamTensor("v", new int[] {dim}));
    }

    private double[] effectiveWeights(double[] w, int off) {
        double[] e = new double[dim];
        for (int j = 0; j < dim; j++) {
            double u = w[off + j];
            double v = w[off + dim + j];
            e[j] = u * u - v * v;
        }
        return e;
    }

    @Override
    public void forward(Matrix in, double[] w, int off, Matrix out) {
        multiplyColumns(effectiveWeights(w, off), in.data, out.data);
    }

    @Override
    public void backward(Matrix in, Matrix out, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            multiplyColumns(effectiveWeights(w, off), gOut.data, gIn.data);
        }
        if (grad != null) {
            double[] s = stackedProductSums(in.data, gOut.data);
            for (int j = 0; j < dim; j++) {
                grad[gradOff + j] += 2.0 * w[off + j] * s[j];
                grad[gradOff + dim + j] -= 2.0 * w[off + dim + j] * s[j];
            }
        }
    }

    @Override
    public void addGram(Matrix in, Matrix out, double[] w, int off, Matrix sens, Matrix gram) {
        int rows = sens.rows;
        int block = in.data.length;
        double[] scale = new double[dim];
        for (int j = 0; j < dim; j++) {
            double u = w[off + j];
            double v = w[off + dim + j];
            scale[j] = 2.0 * Math.sqrt(u * u + v * v);
        }
        double[] z = new double[rows * dim];
        for (int q = 0; q < z.length; q++) {
            z[q] = in.data[q % block] * sens.data[q] * scale[q % dim];
        }
        Matrix zz = new Matrix(rows, rows);
        Blas.get().syrk(false, rows, dim, 1.0, z, 0, dim, 0.0, zz.data, 0, rows);
        gram.addInPlace(1.0, zz);
    }

    /** Rw_j = 2u_j·Ru_j − 2v_j·Rv_j for direction j of the block. */
    private double[] effectiveTangent(double[] w, int off, Matrix dirs, int dirOff, int j) {
        double[] r = new double[dim];
        int base = j * dirs.cols + dirOff;
        for (int c = 0; c < dim; c++) {
            r[c] = 2.0 * w[off + c] * dirs.data[base + c] - 2.0 * w[off + dim + c] * dirs.data[base + dim + c];
        }
        return r;
    }

    @Override
    public void rForward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn != null) {
            multiplyColumns(effectiveWeights(w, off), dIn.data, dOut.data);
        } else {
            dOut.zeroInPlace();
        }
        if (dirs != null) {
            int block = in.data.length;
            for (int j = 0; j < dOut.data.length / block; j++) {
                double[] rw = effectiveTangent(w, off, dirs, dirOff, j);
                int base = j * block;
                for (int i = 0; i < block; i++) {
                    dOut.data[base + i] += rw[i % dim] * in.data[i];
                }
            }
        }
    }

    @Override
    public void rBackward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff,
                          Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        int block = in.data.length;
        int m = rgOut.data.length / block;
        if (rgIn != null) {
            multiplyColumns(effectiveWeights(w, off), rgOut.data, rgIn.data);
            if (gOut != null && dirs != null) {
                for (int j = 0; j < m; j++) {
                    double[] rw = effectiveTangent(w, off, dirs, dirOff, j);
                    int base = j * block;
                    for (int i = 0; i < block; i++) {
                        rgIn.data[base + i] += gOut.data[i] * rw[i % dim];
                    }
                }
            }
        }
        if (hv == null) {
            return;
        }
        double[] s = gOut == null ? new double[dim] : stackedProductSums(in.data, gOut.data);
        int p = hv.cols;
        for (int j = 0; j < m; j++) {
            // Rs_c = Σ_i (R{g}_ic·a_ic + g_ic·R{a}_ic) for direction j.
            double[] rs = new double[dim];
            int base = j * block;
            for (int i = 0; i < block; i++) {
                double t = rgOut.data[base + i] * in.data[i];
                if (gOut != null && dIn != null) {
                    t += gOut.data[i] * dIn.data[base + i];
                }
                rs[i % dim] += t;
            }
            int h = j * p + dirOff;
            int d = dirs == null ? -1 : j * dirs.cols + dirOff;
            for (int c = 0; c < dim; c++) {
                double ru = d < 0 ? 0.0 : dirs.data[d + c];
                double rv = d < 0 ? 0.0 : dirs.data[d + dim + c];
                hv.data[h + c] += 2.0 * ru * s[c] + 2.0 * w[off + c] * rs[c];
                hv.data[h + dim + c] -= 2.0 * rv * s[c] + 2.0 * w[off + dim + c] * rs[c];
            }
        }
    }

    /** dst[q] = weights[q % dim] · src[q]. */
    private void multiplyColumns(double[] weights, double[] src, double[] dst) {
        for (int q = 0; q < src.length; q++) {
            dst[q] = weights[q % dim] * src[q];
        }
    }

    /** s_c = Σ_q a_{q%n, c} · g_qc over a stacked batch g. */
    private double[] stackedProductSums(double[] a, double[] g) {
        double[] s = new double[dim];
        int block = a.length;
        for (int q = 0; q < g.length; q++) {
            s[q % dim] += a[q % block] * g[q];
        }
        return s;
    }
}
