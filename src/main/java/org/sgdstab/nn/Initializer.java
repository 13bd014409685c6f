package org.sgdstab.nn;

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

    /** Initial value of u and v in a diagonal layer under {@link TorchDefault}. */
    double DIAGONAL_SCALE = 0.1;

    /**
     * Fills fresh parameters for the given layers.
     *
     * @return θ for the trainable layers and the weights of the frozen ones, as a {@link Model}
     */
    default Model initialize(List<Layer> layers, SplittableRandom rng) {
        int p = 0;
        int f = 0;
        for (Layer l : layers) {
            if (l.trainable()) {
                p += l.paramCount();
            } else {
                f += l.paramCount();
            }
        }
        double[] theta = new double[p];
        double[] frozen = new double[f];
        int tp = 0;
        int fp = 0;
        for (Layer layer : layers) {
            double[] target = layer.trainable() ? theta : frozen;
            int off = layer.trainable() ? tp : fp;
            fill(layer, target, off, rng);
            if (layer.trainable()) {
                tp += layer.paramCount();
            } else {
                fp += layer.paramCount();
            }
        }
        return new Model(new Network(layers, frozen), theta);
    }

    private void fill(Layer layer, double[] w, int off, SplittableRandom rng) {
        if (layer instanceof Dense d) {
            int fanIn = d.inputSize();
            int weights = d.inputSize() * d.outputSize();
            if (this instanceof ScaledGaussian g) {
                double sd = g.sigma() / Math.sqrt(fanIn);
                for (int i = 0; i < weights; i++) {
                    w[off + i] = sd * rng.nextGaussian();
                }
            } else {
                double bound = 1.0 / Math.sqrt(fanIn);
                for (int i = 0; i < d.paramCount(); i++) {
                    w[off + i] = rng.nextDouble(-bound, bound);
                }
            }
        } else if (layer instanceof Diagonal g) {
            int dim = g.inputSize();
            for (int i = 0; i < 2 * dim; i++) {
                w[off + i] = this instanceof ScaledGaussian s ? s.sigma() / Math.sqrt(dim) * rng.nextGaussian() : DIAGONAL_SCALE;
            }
        }
    }
}
