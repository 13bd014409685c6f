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
        ParameterLayout layout = ParameterLayout.of(layers);
        double[] theta = new double[layout.trainable()];
        double[] frozen = new double[layout.frozen()];
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            fill(layer, layer.trainable() ? theta : frozen, layout.offsets()[l], rng);
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
