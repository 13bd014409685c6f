package org.sgdstab.experiments;

import java.util.List;
import java.util.SplittableRandom;
import org.sgdstab.data.Dataset;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Diagonal;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.Network;
import org.sgdstab.nn.Relu;
import org.sgdstab.nn.Tanh;

/** Small seeded models and data sets for the experiment tests. */
final class Problems {
    private Problems() {
    }

    /** A named model with data. */
    record Case(String name, Model model, Dataset data) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Dataset data(int n, int d, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix x = new Matrix(n, d);
        Matrix y = new Matrix(n, k);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = rng.nextGaussian();
        }
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = rng.nextGaussian();
        }
        return new Dataset(x, y);
    }

    static Case make(String name, List<Layer> layers, int n, long seed) {
        Model m = new Initializer.TorchDefault().initialize(layers, new SplittableRandom(seed));
        if (layers.get(0) instanceof Diagonal) {
            // The diagonal linear network's read-out is the all-ones vector.
            double[] ones = new double[layers.get(1).paramCount()];
            java.util.Arrays.fill(ones, 1.0);
            m = new Model(new Network(layers, ones), m.theta());
        }
        return new Case(name, m, data(n, m.network().inputSize(), m.network().outputSize(), seed + 100));
    }

    /** Networks covering the engine's paths: incremental first layer (with and without bias), frozen prefix, K > 1, no dense first layer. */
    static List<Case> engineCases() {
        return List.of(
                make("tanh-mlp-incremental", List.of(new Dense(6, 12, true, true), new Tanh(12), new Dense(12, 1, true, true)), 10, 1),
                make("no-bias-k2", List.of(new Dense(5, 7, false, true), new Tanh(7), new Dense(7, 2, false, true)), 9, 2),
                make("frozen-prefix-relu", List.of(new Dense(4, 9, true, false), new Relu(9), new Dense(9, 6, true, true), new Tanh(6),
                        new Dense(6, 1, true, true)), 8, 3),
                make("batch-not-smaller-than-input", List.of(new Dense(2, 5, true, true), new Tanh(5), new Dense(5, 1, true, true)), 7, 4),
                make("diagonal-first", List.of(new Diagonal(4, true), new Dense(4, 1, false, false)), 8, 5));
    }
}
