package org.sgdstab.nn;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How fresh parameters are drawn. Each is seeded through the {@link SplittableRandom} passed in,
 * and draws layer by layer in order, so the same seed gives the same parameters.
 */
public sealed interface Initializer {

    /**
     * PyTorch's {@code nn.Linear} default: W and b ~ U(−1/√fan_in, 1/√fan_in). A diagonal layer
     * starts at u = v = {@link #DIAGONAL_SCALE}·1, the usual small, balanced start of diagonal linear
     * networks (the function starts at zero while the gradient does not vanish).
     */
    record TorchDefault() implements Initializer {
    }

    /** W ~ N(0, σ²/fan_in), b = 0; u, v ~ N(0, σ²/dim). */
    record ScaledGaussian(double sigma) implements Initializer {
        public ScaledGaussian {
            if (!(sigma > 0) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException("σ must be positive, got " + sigma);
            }
        }
    }

    /**
     * Fixup (Zhang, Dauphin &amp; Ma, ICLR 2019), for residual networks without normalisation: the
     * last layer with parameters of every residual body and the final linear (classifier) layer
     * start at zero; the other layers of a residual body with m ≥ 2 layers with parameters get He
     * initialisation W ~ N(0, 2/fan_in) scaled by L^(−1/(2m−2)) for L residual blocks; every other
     * convolution or linear layer gets plain He initialisation; biases start at zero. Fixup's
     * scalar multipliers and biases are not used (the convolutions have biases). Batch-norm
     * layers start at the identity map and diagonal layers as under {@link TorchDefault}.
     */
    record Fixup() implements Initializer {
    }

    /** Initial value of u and v in a diagonal layer under {@link TorchDefault}. */
    double DIAGONAL_SCALE = 0.1;

    /**
     * Fills fresh parameters for the given layers.
     *
     * @return θ for the trainable layers and the weights of the frozen ones, as a {@link Model}
     */
    default Model initialize(List<Layer> layers, SplittableRandom rng) {
        ParameterLayout layout = ParameterLayout.of(layers);
        double[] theta = new double[layout.trainable()];
        double[] frozen = new double[layout.frozen()];
        int blocks = countResidualBlocks(layers);
        int classifier = -1;
        for (int l = layers.size() - 1; l >= 0 && classifier < 0; l--) {
            if (layers.get(l).paramCount() > 0) {
                classifier = layers.get(l) instanceof Dense ? l : layers.size();
            }
        }
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            fill(layer, layer.trainable() ? theta : frozen, layout.offsets()[l], rng, blocks, l == classifier ? 0.0 : 1.0);
        }
        return new Model(new Network(layers, frozen), theta);
    }

    private static int countResidualBlocks(List<Layer> layers) {
        int c = 0;
        for (Layer l : layers) {
            if (l instanceof Residual r) {
                c += 1 + countResidualBlocks(r.body()) + countResidualBlocks(r.shortcut());
            }
        }
        return c;
    }

    /**
     * Fills one layer's parameters at {@code w[off]}.
     *
     * @param blocks     number of residual blocks in the model (Fixup's L)
     * @param fixupScale multiplier of the He initialisation under {@link Fixup} (0: start at zero)
     */
    private void fill(Layer layer, double[] w, int off, SplittableRandom rng, int blocks, double fixupScale) {
        if (layer instanceof Dense d) {
            fillAffine(w, off, d.inputSize(), d.inputSize() * d.outputSize(), d.outputSize(), d.hasBias(), rng, fixupScale);
        } else if (layer instanceof Conv2d c) {
            int fanIn = c.inputShape().channels() * c.kernelHeight() * c.kernelWidth();
            fillAffine(w, off, fanIn, fanIn * c.outChannels(), c.outChannels(), c.hasBias(), rng, fixupScale);
        } else if (layer instanceof Diagonal g) {
            int dim = g.inputSize();
            for (int i = 0; i < 2 * dim; i++) {
                w[off + i] = this instanceof ScaledGaussian s ? s.sigma() / Math.sqrt(dim) * rng.nextGaussian() : DIAGONAL_SCALE;
            }
        } else if (layer instanceof BatchNorm2d b) {
            // PyTorch's fresh BatchNorm2d: γ = 1, β = 0, µ = 0, σ² = 1.
            int c = b.inputShape().channels();
            Arrays.fill(w, off, off + 4 * c, 0.0);
            Arrays.fill(w, off, off + c, 1.0);
            Arrays.fill(w, off + 3 * c, off + 4 * c, 1.0);
        } else if (layer instanceof Residual r) {
            List<Layer> body = r.body();
            int m = 0;
            int last = -1;
            for (int l = 0; l < body.size(); l++) {
                if (body.get(l).paramCount() > 0) {
                    m++;
                    last = l;
                }
            }
            double scale = m >= 2 ? Math.pow(blocks, -1.0 / (2 * m - 2)) : 1.0;
            for (int l = 0; l < body.size(); l++) {
                fill(body.get(l), w, off + r.bodyOffset(l), rng, blocks, l == last ? 0.0 : scale);
            }
            for (int l = 0; l < r.shortcut().size(); l++) {
                fill(r.shortcut().get(l), w, off + r.shortcutOffset(l), rng, blocks, 1.0);
            }
        }
    }

    /** A weight block (fan_in columns) followed by an optional bias, under this initializer. */
    private void fillAffine(double[] w, int off, int fanIn, int weights, int biases, boolean bias, SplittableRandom rng,
                            double fixupScale) {
        int count = weights + (bias ? biases : 0);
        if (this instanceof ScaledGaussian g) {
            double sd = g.sigma() / Math.sqrt(fanIn);
            for (int i = 0; i < weights; i++) {
                w[off + i] = sd * rng.nextGaussian();
            }
            Arrays.fill(w, off + weights, off + count, 0.0);
        } else if (this instanceof Fixup) {
            double sd = fixupScale * Math.sqrt(2.0 / fanIn);
            for (int i = 0; i < weights; i++) {
                w[off + i] = sd == 0.0 ? 0.0 : sd * rng.nextGaussian();
            }
            Arrays.fill(w, off + weights, off + count, 0.0);
        } else {
            double bound = 1.0 / Math.sqrt(fanIn);
            for (int i = 0; i < count; i++) {
                w[off + i] = rng.nextDouble(-bound, bound);
            }
        }
    }
}
