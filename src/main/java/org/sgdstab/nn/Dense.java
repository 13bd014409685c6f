package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;

/**
 * A fully connected layer z = a·Wᵀ + b (PyTorch's {@code nn.Linear}); W is out × in, row-major,
 * followed by b when present.
 *
 * <p>Its NTK Gram contribution is the Hadamard product of two small Gram matrices,
 * {@code Θ_ab += (a_{a%n}·a_{b%n} + [bias]) · (δ_a·δ_b)}: O(n²(in + K²·out)) work instead of the
 * O(n²K²·in·out) of explicit per-sample gradients.
 */
public final class Dense implements Layer {
    private final int in;
    private final int out;
    private final boolean bias;
    private final boolean trainable;

    public Dense(int in, int out, boolean bias, boolean trainable) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("linear layer needs in ≥ 1 and out ≥ 1, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        this.bias = bias;
        this.trainable = trainable;
    }

    public boolean hasBias() {
        return bias;
    }

    @Override
    public int inputSize() {
        return in;
    }

    @Override
    public int outputSize() {
        return out;
    }

    @Override
    public String typeName() {
        return "linear";
    }

    @Override
    public boolean trainable() {
        return trainable;
    }

    @Override
    public List<ParamTensor> parameters() {
        ParamTensor weight = new ParamTensor("weight", new int[] {out, in});
        return bias ? List.of(weight, new ParamTensor("bias", new int[] {out})) : List.of(weight);
    }

    @Override
    public void forward(Matrix a, double[] w, int off, Matrix z) {
        int n = a.rows;
        // The bias is written first and the GEMM accumulates onto it: one pass over z instead of
        // BLAS's zeroing pass plus a read-modify-write bias pass.
        if (bias) {
            fillRows(w, off + in * out, z.data, 0, n);
        }
        Blas.get().gemm(false, true, n, out, in, 1.0, a.data, 0, in, w, off, in, bias ? 1.0 : 0.0, z.data, 0, out);
    }

    @Override
    public void backward(Matrix a, Matrix z, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        Blas blas = Blas.get();
        int rows = gOut.rows;
        if (gIn != null) {
            blas.gemm(false, false, rows, in, out, 1.0, gOut.data, 0, out, w, off, in, 0.0, gIn.data, 0, in);
        }
        if (grad != null) {
            int n = a.rows;
            for (int s = 0; s < rows / n; s++) {
                blas.gemm(true, false, out, in, n, 1.0, gOut.data, s * n * out, out, a.data, 0, in, 1.0, grad, gradOff, in);
                if (bias) {
                    addColumnSums(gOut.data, s * n * out, n, grad, gradOff + in * out);
                }
            }
        }
    }

    @Override
    public boolean overwritesOutputs() {
        return true;
    }

    @Override
    public void addGram(Matrix a, Matrix z, double[] w, int off, Matrix sens, Matrix gram) {
        int n = a.rows;
        int rows = sens.rows;
        Blas blas = Blas.get();
        Matrix inputGram = new Matrix(n, n);
        blas.syrk(false, n, in, 1.0, a.data, 0, in, 0.0, inputGram.data, 0, n);
        double shift = bias ? 1.0 : 0.0;
        double[] g = gram.data;
        double[] ig = inputGram.data;
        if (out == 1) {
            // A one-output layer's sensitivity Gram is the outer product s·sᵀ: formed on the fly, it
            // costs neither a rank-1 SYRK nor a rows × rows matrix written and read back.
            double[] sv = sens.data;
            for (int r = 0; r < rows; r++) {
                int ir = (r % n) * n;
                int base = r * rows;
                double sr = sv[r];
                for (int cb = 0; cb < rows; cb += n) {
                    int row = base + cb;
                    for (int c = 0; c < n; c++) {
                        g[row + c] += (ig[ir + c] + shift) * (sr * sv[cb + c]);
                    }
                }
            }
            return;
        }
        Matrix sensGram = new Matrix(rows, rows);
        blas.syrk(false, rows, out, 1.0, sens.data, 0, out, 0.0, sensGram.data, 0, rows);
        double[] sg = sensGram.data;
        // Column c of a row pairs with sample c % n: walk the row in blocks of n so that the inner
        // loop has no division and vectorises.
        for (int r = 0; r < rows; r++) {
            int ir = (r % n) * n;
            int base = r * rows;
            for (int cb = 0; cb < rows; cb += n) {
                int row = base + cb;
                for (int c = 0; c < n; c++) {
                    g[row + c] += (ig[ir + c] + shift) * sg[row + c];
                }
            }
        }
    }

    @Override
    public void rForward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        Blas blas = Blas.get();
        int n = a.rows;
        int rows = dOut.rows;
        boolean withDirs = dirs != null;
        int p = withDirs ? dirs.cols : 0;
        // The bias direction is written first (every row of block j gets b_j), so the GEMMs that
        // follow accumulate onto it: no separate zeroing pass and no read-modify-write bias pass.
        boolean prefilled = withDirs && bias;
        if (prefilled) {
            // Blocks split over the cores: a pure 32 MB write for the 512-wide layers of the benchmark.
            ParallelRanges.run(rows / n, 1, (long) rows * out, (from, to) -> {
                for (int j = from; j < to; j++) {
                    fillRows(dirs.data, j * p + dirOff + in * out, dOut.data, j * n * out, n);
                }
            });
        }
        if (dIn != null) {
            blas.gemm(false, true, rows, out, in, 1.0, dIn.data, 0, in, w, off, in, prefilled ? 1.0 : 0.0, dOut.data, 0, out);
        } else if (!prefilled) {
            dOut.zeroInPlace();
        }
        if (withDirs) {
            int m = rows / n;
            if (batchesDirections(m)) {
                // P = a · [D_0; …; D_{m−1}]ᵀ (n × m·out) in one GEMM, then added block by block.
                double[] dcat = gatherDirections(dirs, dirOff, m);
                double[] prod = new double[n * m * out];
                blas.gemm(false, true, n, m * out, in, 1.0, a.data, 0, in, dcat, 0, in, 0.0, prod, 0, m * out);
                for (int j = 0; j < m; j++) {
                    for (int r = 0; r < n; r++) {
                        int dst = (j * n + r) * out;
                        int src = r * m * out + j * out;
                        for (int c = 0; c < out; c++) {
                            dOut.data[dst + c] += prod[src + c];
                        }
                    }
                }
            } else {
                for (int j = 0; j < m; j++) {
                    blas.gemm(false, true, n, out, in, 1.0, a.data, 0, in, dirs.data, j * p + dirOff, in, 1.0, dOut.data, j * n * out, out);
                }
            }
        }
    }

    /**
     * Below this output width, the m per-direction GEMMs with an n × out result (the direction term
     * of R-forward) run far from peak; they are done as one GEMM with an m·out-wide result instead,
     * at the price of gathering m small blocks (out = 10: 6.5 → 4.4 ms for the whole R-forward).
     * Batching rgOutᵀ·a of R-backward the same way measured no gain.
     */
    private static final int BATCH_BELOW_OUT = 32;

    private boolean batchesDirections(int m) {
        return m > 1 && out < BATCH_BELOW_OUT;
    }

    /** This layer's weight block of every direction, stacked: (m·out) × in, row-major. */
    private double[] gatherDirections(Matrix dirs, int dirOff, int m) {
        int p = dirs.cols;
        double[] dcat = new double[m * out * in];
        for (int j = 0; j < m; j++) {
            System.arraycopy(dirs.data, j * p + dirOff, dcat, j * out * in, out * in);
        }
        return dcat;
    }

    @Override
    public void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                          Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        rBackward(a, z, w, off, dirs, dirOff, dIn, gOut, rgOut, rgIn, hv, false);
    }

    /**
     * {@link #rBackward(Matrix, Matrix, double[], int, Matrix, int, Matrix, Matrix, Matrix, Matrix, Matrix)}
     * that, with {@code overwriteHv}, OVERWRITES this layer's block of every row of {@code hv}
     * instead of adding to it, so that the caller need not zero the block first.
     */
    void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                   Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv, boolean overwriteHv) {
        Blas blas = Blas.get();
        int n = a.rows;
        int rows = rgOut.rows;
        int m = rows / n;
        if (rgIn != null) {
            blas.gemm(false, false, rows, in, out, 1.0, rgOut.data, 0, out, w, off, in, 0.0, rgIn.data, 0, in);
            if (gOut != null && dirs != null) {
                int p = dirs.cols;
                for (int j = 0; j < m; j++) {
                    blas.gemm(false, false, n, in, out, 1.0, gOut.data, 0, out, dirs.data, j * p + dirOff, in,
                            1.0, rgIn.data, j * n * in, in);
                }
            }
        }
        if (hv != null) {
            int p = hv.cols;
            for (int j = 0; j < m; j++) {
                int h = j * p + dirOff;
                blas.gemm(true, false, out, in, n, 1.0, rgOut.data, j * n * out, out, a.data, 0, in,
                        overwriteHv ? 0.0 : 1.0, hv.data, h, in);
                if (gOut != null && dIn != null) {
                    blas.gemm(true, false, out, in, n, 1.0, gOut.data, 0, out, dIn.data, j * n * in, in, 1.0, hv.data, h, in);
                }
                if (bias) {
                    if (overwriteHv) {
                        java.util.Arrays.fill(hv.data, h + in * out, h + in * out + out, 0.0);
                    }
                    addColumnSums(rgOut.data, j * n * out, n, hv.data, h + in * out);
                }
            }
        }
    }

    /** Rows [0, rows) of dst (length out each, from dstOff) ← the out values of row at rowOff. Modifies dst. */
    private void fillRows(double[] row, int rowOff, double[] dst, int dstOff, int rows) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(row, rowOff, dst, dstOff + r * out, out);
        }
    }

    /** acc[c] += Σ_r g[gOff + r·out + c] over n rows. */
    private void addColumnSums(double[] g, int gOff, int n, double[] acc, int accOff) {
        // Four rows per sweep over acc: a quarter of the accumulator read-modify-writes.
        int r = 0;
        for (; r + 4 <= n; r += 4) {
            int b0 = gOff + r * out;
            int b1 = b0 + out;
            int b2 = b1 + out;
            int b3 = b2 + out;
            for (int c = 0; c < out; c++) {
                acc[accOff + c] += (g[b0 + c] + g[b1 + c]) + (g[b2 + c] + g[b3 + c]);
            }
        }
        for (; r < n; r++) {
            int base = gOff + r * out;
            for (int c = 0; c < out; c++) {
                acc[accOff + c] += g[base + c];
            }
        }
    }
}
