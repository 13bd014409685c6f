package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * Batch normalisation in evaluation mode (PyTorch's {@code nn.BatchNorm2d} after {@code
 * model.eval()}): a fixed per-channel affine map
 * {@code z[c,·] = γ_c (a[c,·] − µ_c) / sqrt(σ²_c + eps) + β_c} with stored statistics.
 *
 * <p>In training mode every sample's output depends on the whole batch, so per-sample gradients,
 * the NTK Gram and the SGD noise covariance are not defined; only evaluation mode is supported.
 * The layer is always frozen: γ ({@code weight}), β ({@code bias}), µ ({@code running_mean}) and
 * σ² ({@code running_var}) are stored with the frozen weights and are not part of θ, so its
 * {@code grad}, {@code dirs} and {@code hv} arguments are never used. PyTorch's integer
 * {@code num_batches_tracked} buffer has no role in evaluation mode and is not stored.
 */
public final class BatchNorm2d implements Layer {
    /** PyTorch's default ε. */
    public static final double DEFAULT_EPS = 1e-5;

    private final ImageShape shape;
    private final double eps;

    public BatchNorm2d(ImageShape shape, double eps) {
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("batchnorm2d needs a finite eps ≥ 0, got " + eps);
        }
        this.shape = shape;
        this.eps = eps;
    }

    public ImageShape inputShape() {
        return shape;
    }

    public double eps() {
        return eps;
    }

    @Override
    public int inputSize() {
        return shape.size();
    }

    @Override
    public int outputSize() {
        return shape.size();
    }

    @Override
    public String typeName() {
        return "batchnorm2d";
    }

    @Override
    public List<ParamTensor> parameters() {
        int[] c = {shape.channels()};
        return List.of(new ParamTensor("weight", c), new ParamTensor("bias", c),
                new ParamTensor("running_mean", c), new ParamTensor("running_var", c));
    }

    /** Always false: the statistics and the affine parameters are frozen (see the class comment). */
    @Override
    public boolean trainable() {
        return false;
    }

    /** Per-channel slope γ/sqrt(σ² + eps). */
    private double[] scale(double[] w, int off) {
        int c = shape.channels();
        double[] s = new double[c];
        for (int k = 0; k < c; k++) {
            s[k] = w[off + k] / Math.sqrt(w[off + 3 * c + k] + eps);
        }
        return s;
    }

    /** dst = slope ∘ src (+ shift when not null), per channel, over every row. */
    private void affine(double[] slope, double[] shift, double[] src, double[] dst) {
        int hw = shape.positions();
        int c = shape.channels();
        int planes = src.length / hw;
        for (int r = 0; r < planes; r++) {
            int k = r % c;
            double a = slope[k];
            double b = shift == null ? 0.0 : shift[k];
            int base = r * hw;
            for (int t = 0; t < hw; t++) {
                dst[base + t] = a * src[base + t] + b;
            }
        }
    }

    @Override
    public void forward(Matrix a, double[] w, int off, Matrix z) {
        int c = shape.channels();
        double[] slope = scale(w, off);
        double[] shift = new double[c];
        for (int k = 0; k < c; k++) {
            shift[k] = w[off + c + k] - w[off + 2 * c + k] * slope[k];
        }
        affine(slope, shift, a.data, z.data);
    }

    @Override
    public void backward(Matrix a, Matrix z, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            affine(scale(w, off), null, gOut.data, gIn.data);
        }
    }

    @Override
    public void addGram(Matrix a, Matrix z, double[] w, int off, Matrix sens, Matrix gram) {
        // Frozen: no trainable parameters, no contribution.
    }

    @Override
    public void rForward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn == null) {
            dOut.zeroInPlace();
        } else {
            affine(scale(w, off), null, dIn.data, dOut.data);
        }
    }

    @Override
    public void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                          Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        if (rgIn != null) {
            affine(scale(w, off), null, rgOut.data, rgIn.data);
        }
    }
}
