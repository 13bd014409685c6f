package org.sgdstab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Builders for the paper's model families. Each returns the layers (the same spec a JSON file
 * gives) or an initialised {@link Model}.
 */
public final class ModelPresets {
    private ModelPresets() {
    }

    /** An MLP d → widths… → K with the given activation between linear layers (with biases). */
    public static List<Layer> mlp(int d, int[] widths, String activation, int outputs) {
        List<Layer> layers = new ArrayList<>();
        int in = d;
        for (int w : widths) {
            layers.add(new Dense(in, w, true, true));
            layers.add(ModelSpec.activation(activation, w));
            in = w;
        }
        layers.add(new Dense(in, outputs, true, true));
        return layers;
    }

    /** The deep linear network f(x) = W_L ⋯ W_1 x: linear layers without bias or activation. */
    public static List<Layer> deepLinear(int d, int[] widths, int outputs) {
        List<Layer> layers = new ArrayList<>();
        int in = d;
        for (int w : widths) {
            layers.add(new Dense(in, w, false, true));
            in = w;
        }
        layers.add(new Dense(in, outputs, false, true));
        return layers;
    }

    /**
     * The diagonal linear network f(x) = Σ_j (u_j² − v_j²) x_j: a diagonal layer and a frozen
     * all-ones linear read-out.
     */
    public static Model diagonalLinear(int d, Initializer init, SplittableRandom rng) {
        List<Layer> layers = List.of(new Diagonal(d, true), new Dense(d, 1, false, false));
        Model m = init.initialize(layers, rng);
        double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1.0);
        return new Model(new Network(layers, ones), m.theta());
    }

    /**
     * The random-feature model of the paper's Proposition 2.5: f(x) = Σ_j a_j ReLU(w_jᵀx) with
     * frozen w_j ~ Unif(√d·S^{d−1}) and a trainable linear head a (K outputs, no bias), a ~ N(0, 1/m).
     */
    public static Model randomFeatures(int d, int features, int outputs, SplittableRandom rng) {
        List<Layer> layers = List.of(new Dense(d, features, false, false), new Relu(features), new Dense(features, outputs, false, true));
        double[] w = new double[d * features];
        double radius = Math.sqrt(d);
        for (int j = 0; j < features; j++) {
            double norm = 0;
            for (int c = 0; c < d; c++) {
                double g = rng.nextGaussian();
                w[j * d + c] = g;
                norm += g * g;
            }
            double scale = radius / Math.sqrt(norm);
            for (int c = 0; c < d; c++) {
                w[j * d + c] *= scale;
            }
        }
        double[] head = new double[features * outputs];
        double sd = 1.0 / Math.sqrt(features);
        for (int i = 0; i < head.length; i++) {
            head[i] = sd * rng.nextGaussian();
        }
        return new Model(new Network(layers, w), head);
    }
}
