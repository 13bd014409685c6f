package org.sgdstab.nn;

import java.util.Arrays;
import java.util.List;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;

/**
 * A 2-d convolution (PyTorch's {@code nn.Conv2d} with groups = dilation = 1): for each sample,
 * {@code z[o, y, x] = b[o] + Σ_{c,u,v} W[o, c, u, v] · a[c, y·sh − ph + u, x·sw − pw + v]} with
 * zero padding. Parameters: W (C_out, C_in, kh, kw) row-major, then b (C_out) when present.
 *
 * <h2>Kernels</h2>
 * Every product is im2col plus one GEMM per block of samples: with the patch matrix P_i
 * (C_in·kh·kw × S, S = H_out·W_out output positions, see {@link Window}),
 * forward is Z_i = W·P_i, the input gradient is col2im(Wᵀ·G_i) and the weight gradient is
 * Σ_i G_i·P_iᵀ. Samples are processed in blocks whose work arrays stay below
 * {@link #WORKSPACE_DOUBLES}, so the GEMMs are large without unbounded memory.
 *
 * <h2>NTK Gram contribution (theory.md §3)</h2>
 * The per-sample gradient of δ·z is Σ_s δ[:, s] ⊗ (P_i[:, s], 1), so for stacked sensitivity rows
 * a, b of samples i, j: {@code ⟨g_a, g_b⟩ = Σ_{s,t} (P_i[:,s]·P_j[:,t] + [bias]) · (δ_a[:,s]·δ_b[:,t])}.
 * Two exact ways to evaluate it:
 * <ul>
 *   <li>{@link GramStrategy#SPATIAL}: the spatial double sum of the (patch Gram) ∘ (sensitivity Gram),
 *       ≈ n²/2 · (2S²·C_in·kh·kw + 2K·C_out·S² + 2K²·C_out·S) flops and O(S²) memory per block
 *       pair: cheap for small feature maps (late layers);</li>
 *   <li>{@link GramStrategy#PER_SAMPLE}: materialise the layer's per-sample gradients (nK × p_layer,
 *       in slices of output channels) and one SYRK, ≈ 2nK·C_out·S·C_in·kh·kw + (nK)²·p_layer
 *       flops: cheap for few parameters over large maps (early layers).</li>
 * </ul>
 * {@link GramStrategy#AUTO} compares the two flop counts ({@link #spatialGramFlops},
 * {@link #perSampleGramFlops}) and takes the per-sample route when it costs at most
 * {@link #PER_SAMPLE_COST_RATIO} times the spatial one.
 */
public final class Conv2d implements Layer {
    /** How {@link #addGram} evaluates the layer's NTK contribution; all give the same Θ up to round-off. */
    public enum GramStrategy {
        /** Pick the cheaper of the two by the flop model. */
        AUTO,
        /** Spatial sum of (patch Gram) ∘ (sensitivity Gram); no per-sample gradient is formed. */
        SPATIAL,
        /** Per-sample gradients (nK × p_layer, sliced by output channel) and one SYRK. */
        PER_SAMPLE
    }

    /**
     * Upper bound, in doubles, of each work array of a sample block (32 MiB): large enough that
     * the GEMMs run near peak, small enough for a laptop.
     */
    static final int WORKSPACE_DOUBLES = 1 << 22;
    /**
     * Upper bound, in doubles, of the patch block of the forward, backward and R-operator kernels
     * (512 KiB): small enough to stay in cache between im2col and the GEMM that reads it, which
     * matters because few output channels make that GEMM memory-bound.
     */
    static final int ROW_BLOCK_DOUBLES = 1 << 16;
    /**
     * Upper bound, in doubles, of the blocks of the transposed convolution (32 MiB, the work-array
     * bound): enough samples per block that their col2im scatter-adds, memory-bound while OpenBLAS
     * idles, are worth splitting over the cores (W6's conv2 backward: 170 → 130 ms).
     */
    static final int TRANSPOSE_BLOCK_DOUBLES = 1 << 22;
    /**
     * AUTO takes the per-sample route when its flops are at most this multiple of the spatial
     * route's. 1: the two are flop-for-flop comparable (both are dominated by large GEMMs/SYRKs).
     */
    static final double PER_SAMPLE_COST_RATIO = 1.0;
    /**
     * AUTO never takes the per-sample route when even one output channel's slice of per-sample
     * gradients (nK × (C_in·kh·kw + 1)) would exceed this many doubles (256 MiB).
     */
    static final long PER_SAMPLE_MAX_SLICE_DOUBLES = 1L << 25;
    /**
     * The per-sample route's slab of gradients (nK rows × the channels of one slice) may take this
     * many work arrays (8 × 32 MiB = 256 MiB by default, the same as the bound above): Θ itself is
     * already nK × nK, and fewer, wider slices mean one im2col per sample and a SYRK near peak.
     */
    static final int PER_SAMPLE_SLAB_FACTOR = 8;

    private final Window win;
    private final int cout;
    private final boolean bias;
    private final boolean trainable;
    private final GramStrategy strategy;
    /** Bound of each Gram work array, in doubles ({@link #WORKSPACE_DOUBLES} unless a test shrinks it; it caps the row blocks too). */
    private final int workspace;
    /** Cached sizes: patch length, output positions, features per sample in and out. */
    private final int kd;
    private final int pos;
    private final int inSize;
    private final int outSize;

    /**
     * @param input       the input shape (C_in, H, W)
     * @param outChannels C_out
     * @param kernelH     kh; {@code kernelW} kw
     * @param strideH     sh; {@code strideW} sw
     * @param padH        zero padding ph on top and bottom; {@code padW} pw left and right
     */
    public Conv2d(ImageShape input, int outChannels, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                  boolean bias, boolean trainable) {
        this(new Window(input, kernelH, kernelW, strideH, strideW, padH, padW), outChannels, bias, trainable, GramStrategy.AUTO,
                WORKSPACE_DOUBLES);
    }

    /** A square kernel with equal strides and paddings. */
    public Conv2d(ImageShape input, int outChannels, int kernel, int stride, int padding, boolean bias, boolean trainable) {
        this(input, outChannels, kernel, kernel, stride, stride, padding, padding, bias, trainable);
    }

    private Conv2d(Window win, int outChannels, boolean bias, boolean trainable, GramStrategy strategy, int workspace) {
        if (outChannels < 1) {
            throw new IllegalArgumentException("conv2d needs out_channels ≥ 1, got " + outChannels);
        }
        this.win = win;
        this.cout = outChannels;
        this.bias = bias;
        this.trainable = trainable;
        this.strategy = strategy;
        this.workspace = workspace;
        this.kd = win.patchSize();
        this.pos = win.outPositions();
        this.inSize = win.input().size();
        this.outSize = Math.multiplyExact(cout, pos);
    }

    /** The same layer with another Gram strategy (for benchmarks and tests; AUTO is the default). */
    public Conv2d withGramStrategy(GramStrategy s) {
        return new Conv2d(win, cout, bias, trainable, s, workspace);
    }

    /** The same layer with a smaller work-array bound, so that tests reach every blocking path on tiny inputs. */
    Conv2d withWorkspace(int doubles) {
        if (doubles < 1) {
            throw new IllegalArgumentException("workspace must be positive, got " + doubles);
        }
        return new Conv2d(win, cout, bias, trainable, strategy, doubles);
    }

    public GramStrategy gramStrategy() {
        return strategy;
    }

    public ImageShape inputShape() {
        return win.input();
    }

    public ImageShape outputShape() {
        return new ImageShape(cout, win.outHeight(), win.outWidth());
    }

    public int outChannels() {
        return cout;
    }

    public int kernelHeight() {
        return win.kh();
    }

    public int kernelWidth() {
        return win.kw();
    }

    public int strideHeight() {
        return win.sh();
    }

    public int strideWidth() {
        return win.sw();
    }

    public int paddingHeight() {
        return win.ph();
    }

    public int paddingWidth() {
        return win.pw();
    }

    public boolean hasBias() {
        return bias;
    }

    @Override
    public int inputSize() {
        return inSize;
    }

    @Override
    public int outputSize() {
        return outSize;
    }

    @Override
    public String typeName() {
        return "conv2d";
    }

    @Override
    public boolean trainable() {
        return trainable;
    }

    @Override
    public List<ParamTensor> parameters() {
        ParamTensor weight = new ParamTensor("weight", new int[] {cout, win.input().channels(), win.kh(), win.kw()});
        return bias ? List.of(weight, new ParamTensor("bias", new int[] {cout})) : List.of(weight);
    }

    // ---------------------------------------------------------------------------------------------
    // Layer operations
    // ---------------------------------------------------------------------------------------------

    @Override
    public void forward(Matrix a, double[] w, int off, Matrix z) {
        convolve(a.data, 0, a.rows, w, new int[] {off}, bias, z.data, new int[] {0}, false);
    }

    @Override
    public void backward(Matrix a, Matrix z, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            convolveTranspose(gOut.data, 0, gOut.rows, w, off, gIn.data, 0, false);
        }
        if (grad != null) {
            accumulateGradient(gOut.data, 0, gOut.rows, a.data, 0, a.rows, bias, grad, gradOff);
        }
    }

    @Override
    public void rForward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        int n = a.rows;
        int m = dOut.rows / n;
        if (dIn != null) {
            convolve(dIn.data, 0, dIn.rows, w, new int[] {off}, false, dOut.data, new int[] {0}, false);
        } else {
            dOut.zeroInPlace();
        }
        if (dirs != null) {
            // One im2col per sample block serves all m directions: dOut_j += dW_j ⋆ a + db_j.
            int[] wOffs = new int[m];
            int[] rows0 = new int[m];
            for (int j = 0; j < m; j++) {
                wOffs[j] = j * dirs.cols + dirOff;
                rows0[j] = j * n;
            }
            convolve(a.data, 0, n, dirs.data, wOffs, bias, dOut.data, rows0, true);
        }
    }

    @Override
    public void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                          Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        int n = a.rows;
        int m = rgOut.rows / n;
        if (rgIn != null) {
            convolveTranspose(rgOut.data, 0, rgOut.rows, w, off, rgIn.data, 0, false);
            if (gOut != null && dirs != null) {
                for (int j = 0; j < m; j++) {
                    convolveTranspose(gOut.data, 0, n, dirs.data, j * dirs.cols + dirOff, rgIn.data, j * n, true);
                }
            }
        }
        if (hv != null) {
            for (int j = 0; j < m; j++) {
                int h = j * hv.cols + dirOff;
                accumulateGradient(rgOut.data, j * n, n, a.data, 0, n, bias, hv.data, h);
                if (gOut != null && dIn != null) {
                    // The bias gradient does not depend on the input, so only W picks up g ⊗ R{a}.
                    accumulateGradient(gOut.data, 0, n, dIn.data, j * n, n, false, hv.data, h);
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
        int k = sens.rows / n;
        if (resolveGramStrategy(n, k) == GramStrategy.SPATIAL) {
            spatialGram(a, sens, gram);
        } else {
            perSampleGram(a, sens, gram);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Gram strategies
    // ---------------------------------------------------------------------------------------------

    /** Flops of the spatial route for n samples and K sensitivity rows per sample. */
    public double spatialGramFlops(int n, int k) {
        double pairs = 0.5 * n * (n + 1.0);
        return pairs * (2.0 * pos * pos * kd + 2.0 * k * cout * (double) pos * pos + 2.0 * k * k * cout * (double) pos);
    }

    /** Flops of the per-sample-gradient route for n samples and K sensitivity rows per sample. */
    public double perSampleGramFlops(int n, int k) {
        double rows = (double) n * k;
        return 2.0 * rows * cout * pos * kd + rows * rows * cout * (kd + (bias ? 1.0 : 0.0));
    }

    /** The strategy {@link #addGram} uses for n samples and K outputs: the configured one, or the cheaper under AUTO. */
    public GramStrategy resolveGramStrategy(int n, int k) {
        if (strategy != GramStrategy.AUTO) {
            return strategy;
        }
        long slice = (long) n * k * (kd + 1);
        if (slice > PER_SAMPLE_MAX_SLICE_DOUBLES) {
            return GramStrategy.SPATIAL;
        }
        return perSampleGramFlops(n, k) <= PER_SAMPLE_COST_RATIO * spatialGramFlops(n, k) ? GramStrategy.PER_SAMPLE : GramStrategy.SPATIAL;
    }

    /**
     * Θ[(q,i),(l,j)] += Σ_{c,s,t} δ_qi[c,s] (P_iᵀP_j + bias)[s,t] δ_lj[c,t] over pairs j ≤ i, by
     * blocks of samples: M = P_Iᵀ P_J (+1), then N = Δ_i · M[i rows] for all j of the block in one
     * GEMM, then the (c, t) contraction with δ_j as a K × K GEMM.
     */
    private void spatialGram(Matrix a, Matrix sens, Matrix gram) {
        int n = a.rows;
        int rows = sens.rows;
        int k = rows / n;
        Blas blas = Blas.get();
        long perSample = Math.max((long) kd * pos, (long) k * outSize);
        int bs = (int) Math.max(1, Math.min(n, Math.min((long) Math.sqrt(workspace) / pos, workspace / perSample)));
        double[] colsI = new double[kd * bs * pos];
        double[] colsJ = new double[kd * bs * pos];
        double[] pm = new double[bs * pos * bs * pos];
        double[] di = new double[k * outSize];
        double[] nb = new double[k * cout * bs * pos];
        double[] dJ = new double[bs * k * outSize];
        double[] nbj = new double[k * outSize];
        double[] kk = new double[k * k];
        double[] s = sens.data;
        double[] g = gram.data;
        for (int i0 = 0; i0 < n; i0 += bs) {
            int bi = Math.min(bs, n - i0);
            int ldi = bi * pos;
            for (int t = 0; t < bi; t++) {
                win.im2col(a.data, (i0 + t) * inSize, colsI, t * pos, ldi);
            }
            for (int j0 = 0; j0 <= i0; j0 += bs) {
                int bj = Math.min(bs, n - j0);
                int ldj = bj * pos;
                double[] cj = colsI;
                if (j0 != i0) {
                    for (int t = 0; t < bj; t++) {
                        win.im2col(a.data, (j0 + t) * inSize, colsJ, t * pos, ldj);
                    }
                    cj = colsJ;
                }
                // dJ[j] = the K sensitivity rows of sample j, contiguous (K × C_out·S).
                for (int t = 0; t < bj; t++) {
                    for (int l = 0; l < k; l++) {
                        System.arraycopy(s, (l * n + j0 + t) * outSize, dJ, (t * k + l) * outSize, outSize);
                    }
                }
                blas.gemm(true, false, ldi, ldj, kd, 1.0, colsI, 0, ldi, cj, 0, ldj, 0.0, pm, 0, ldj);
                if (bias) {
                    for (int e = 0; e < ldi * ldj; e++) {
                        pm[e] += 1.0;
                    }
                }
                for (int i = i0; i < i0 + bi; i++) {
                    for (int q = 0; q < k; q++) {
                        System.arraycopy(s, (q * n + i) * outSize, di, q * outSize, outSize);
                    }
                    // nb[(q,c), (j,t)] = Σ_s δ_qi[c,s] M[(i,s),(j,t)].
                    blas.gemm(false, false, k * cout, ldj, pos, 1.0, di, 0, pos, pm, (i - i0) * pos * ldj, ldj, 0.0, nb, 0, ldj);
                    int jEnd = Math.min(j0 + bj, i + 1);
                    for (int j = j0; j < jEnd; j++) {
                        int col = (j - j0) * pos;
                        for (int r = 0; r < k * cout; r++) {
                            System.arraycopy(nb, r * ldj + col, nbj, r * pos, pos);
                        }
                        // kk[q][l] = Σ_{c,t} nb[(q,c),(j,t)] δ_lj[c,t].
                        blas.gemm(false, true, k, k, outSize, 1.0, nbj, 0, outSize, dJ, (j - j0) * k * outSize, outSize, 0.0, kk, 0, k);
                        for (int q = 0; q < k; q++) {
                            int r = q * n + i;
                            for (int l = 0; l < k; l++) {
                                int c = l * n + j;
                                g[r * rows + c] += kk[q * k + l];
                                if (i != j) {
                                    g[c * rows + r] += kk[q * k + l];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Θ += Z·Zᵀ with Z (nK × p_layer) the per-sample gradients, built one slice of output channels
     * at a time (row (a, i) of Z_slice: for each channel c of the slice, δ_a[c] · P_iᵀ then, with a
     * bias, the spatial sum of δ_a[c]).
     */
    private void perSampleGram(Matrix a, Matrix sens, Matrix gram) {
        int n = a.rows;
        int rows = sens.rows;
        int k = rows / n;
        Blas blas = Blas.get();
        int perChannel = kd + (bias ? 1 : 0);
        // Z is built for as many output channels at once as the slab bound allows: each extra slice
        // repeats every sample's im2col and runs a narrower, less efficient SYRK.
        long slabBound = (long) PER_SAMPLE_SLAB_FACTOR * workspace;
        int cb = (int) Math.max(1, Math.min(cout, slabBound / ((long) rows * perChannel)));
        double[] slab = new double[rows * cb * perChannel];
        // With a bias the patch matrix gets a row of ones, so the same GEMM yields the spatial sums
        // (the bias gradient) as column kd of each channel's row: Z's column order does not matter to Z·Zᵀ.
        double[] cols = new double[perChannel * pos];
        if (bias) {
            Arrays.fill(cols, kd * pos, perChannel * pos, 1.0);
        }
        // The K sensitivity slices of one sample, stacked, so that one (K·cw × S)·(S × kd) GEMM
        // serves all K rows: K separate cw-row GEMMs are too small to run near peak.
        double[] si = new double[k * cb * pos];
        double[] gi = new double[k * cb * perChannel];
        double[] s = sens.data;
        for (int c0 = 0; c0 < cout; c0 += cb) {
            int cw = Math.min(cb, cout - c0);
            int width = cw * perChannel;
            int block = cw * pos;
            for (int i = 0; i < n; i++) {
                win.im2col(a.data, i * inSize, cols, 0, pos);
                for (int q = 0; q < k; q++) {
                    System.arraycopy(s, (q * n + i) * outSize + c0 * pos, si, q * block, block);
                }
                blas.gemm(false, true, k * cw, perChannel, pos, 1.0, si, 0, pos, cols, 0, pos, 0.0, gi, 0, perChannel);
                for (int q = 0; q < k; q++) {
                    System.arraycopy(gi, q * width, slab, (q * n + i) * width, width);
                }
            }
            blas.syrk(false, rows, width, 1.0, slab, 0, width, 1.0, gram.data, 0, rows);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // im2col + GEMM kernels over blocks of samples
    // ---------------------------------------------------------------------------------------------

    /** Samples per block so that patch and output work arrays stay within the row-kernel block bound. */
    private int blockSamples(int rows) {
        return blockSamples(rows, ROW_BLOCK_DOUBLES);
    }

    private int blockSamples(int rows, int bound) {
        long perSample = (long) (kd + cout) * pos;
        return (int) Math.max(1, Math.min(rows, Math.min(workspace, bound) / perSample));
    }

    /**
     * For every weight set t: rows {@code yRow0[t] + i} of y (=, or += when accumulating) W_t ⋆
     * row {@code xRow0 + i} of x (+ b_t when {@code withBias}), i < rows; W_t starts at
     * {@code w[wOffs[t]]}, b_t right after it. The patches of a block are built once for all t.
     * Modifies y only.
     */
    private void convolve(double[] x, int xRow0, int rows, double[] w, int[] wOffs, boolean withBias,
                          double[] y, int[] yRow0, boolean accumulate) {
        Blas blas = Blas.get();
        int bs = blockSamples(rows);
        double[] cols = new double[kd * bs * pos];
        double[] tmp = bs > 1 ? new double[cout * bs * pos] : null;
        for (int i0 = 0; i0 < rows; i0 += bs) {
            int b = Math.min(bs, rows - i0);
            int ld = b * pos;
            for (int j = 0; j < b; j++) {
                win.im2col(x, (xRow0 + i0 + j) * inSize, cols, j * pos, ld);
            }
            for (int t = 0; t < wOffs.length; t++) {
                int yBase = (yRow0[t] + i0) * outSize;
                if (b == 1) {
                    // One sample: its C_out × S output is already the row's NCHW layout.
                    blas.gemm(false, false, cout, pos, kd, 1.0, w, wOffs[t], kd, cols, 0, pos, accumulate ? 1.0 : 0.0, y, yBase, pos);
                } else {
                    blas.gemm(false, false, cout, ld, kd, 1.0, w, wOffs[t], kd, cols, 0, ld, 0.0, tmp, 0, ld);
                    scatter(tmp, b, y, yBase, accumulate);
                }
                if (withBias) {
                    int bOff = wOffs[t] + cout * kd;
                    for (int j = 0; j < b; j++) {
                        for (int c = 0; c < cout; c++) {
                            int base = yBase + j * outSize + c * pos;
                            double bc = w[bOff + c];
                            for (int e = 0; e < pos; e++) {
                                y[base + e] += bc;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows {@code xRow0 + i} of x (=, or += when accumulating) the transposed convolution of rows
     * {@code gRow0 + i} of g by W (at {@code w[wOff]}), i < rows: col2im(Wᵀ·G_i). Modifies x only.
     */
    private void convolveTranspose(double[] g, int gRow0, int rows, double[] w, int wOff, double[] x, int xRow0, boolean accumulate) {
        Blas blas = Blas.get();
        int bs = blockSamples(rows, TRANSPOSE_BLOCK_DOUBLES);
        double[] dcols = new double[kd * bs * pos];
        double[] gbuf = bs > 1 ? new double[cout * bs * pos] : null;
        for (int i0 = 0; i0 < rows; i0 += bs) {
            int b = Math.min(bs, rows - i0);
            int ld = b * pos;
            if (b == 1) {
                blas.gemm(true, false, kd, pos, cout, 1.0, w, wOff, kd, g, (gRow0 + i0) * outSize, pos, 0.0, dcols, 0, pos);
            } else {
                gather(g, (gRow0 + i0) * outSize, b, gbuf);
                blas.gemm(true, false, kd, ld, cout, 1.0, w, wOff, kd, gbuf, 0, ld, 0.0, dcols, 0, ld);
            }
            // col2im is a scatter-add, memory-bound while OpenBLAS idles: the samples go in parallel.
            int blockStart = xRow0 + i0;
            ParallelRanges.run(b, 1, (long) b * (inSize + (long) kd * pos), (from, to) -> {
                for (int j = from; j < to; j++) {
                    int xo = (blockStart + j) * inSize;
                    if (!accumulate) {
                        Arrays.fill(x, xo, xo + inSize, 0.0);
                    }
                    win.col2imAdd(dcols, j * pos, ld, x, xo);
                }
            });
        }
    }

    /**
     * grad[W] += Σ_i G_(gRow0+i) · P(x_(xRow0 + i mod xPeriod))ᵀ over i < rows, and, when
     * {@code withBias}, grad[b] += the spatial sums of each G. Modifies grad only.
     */
    private void accumulateGradient(double[] g, int gRow0, int rows, double[] x, int xRow0, int xPeriod, boolean withBias,
                                    double[] grad, int gradOff) {
        Blas blas = Blas.get();
        int bs = blockSamples(rows);
        double[] cols = new double[kd * bs * pos];
        double[] gbuf = bs > 1 ? new double[cout * bs * pos] : null;
        for (int i0 = 0; i0 < rows; i0 += bs) {
            int b = Math.min(bs, rows - i0);
            int ld = b * pos;
            for (int j = 0; j < b; j++) {
                win.im2col(x, (xRow0 + (i0 + j) % xPeriod) * inSize, cols, j * pos, ld);
            }
            int gBase = (gRow0 + i0) * outSize;
            if (b == 1) {
                blas.gemm(false, true, cout, kd, pos, 1.0, g, gBase, pos, cols, 0, pos, 1.0, grad, gradOff, kd);
            } else {
                gather(g, gBase, b, gbuf);
                blas.gemm(false, true, cout, kd, ld, 1.0, gbuf, 0, ld, cols, 0, ld, 1.0, grad, gradOff, kd);
            }
            if (withBias) {
                int bOff = gradOff + cout * kd;
                for (int j = 0; j < b; j++) {
                    for (int c = 0; c < cout; c++) {
                        int base = gBase + j * outSize + c * pos;
                        double sum = 0.0;
                        for (int e = 0; e < pos; e++) {
                            sum += g[base + e];
                        }
                        grad[bOff + c] += sum;
                    }
                }
            }
        }
    }

    /** dst (C_out × b·S, channel-major) ← b consecutive NCHW rows of src starting at srcOff. */
    private void gather(double[] src, int srcOff, int b, double[] dst) {
        int ld = b * pos;
        for (int j = 0; j < b; j++) {
            for (int c = 0; c < cout; c++) {
                System.arraycopy(src, srcOff + j * outSize + c * pos, dst, c * ld + j * pos, pos);
            }
        }
    }

    /** The inverse of {@link #gather}: b NCHW rows of dst from dstOff (=, or +=) channel-major src. */
    private void scatter(double[] src, int b, double[] dst, int dstOff, boolean accumulate) {
        int ld = b * pos;
        for (int j = 0; j < b; j++) {
            for (int c = 0; c < cout; c++) {
                int from = c * ld + j * pos;
                int to = dstOff + j * outSize + c * pos;
                if (accumulate) {
                    for (int e = 0; e < pos; e++) {
                        dst[to + e] += src[from + e];
                    }
                } else {
                    System.arraycopy(src, from, dst, to, pos);
                }
            }
        }
    }
}
