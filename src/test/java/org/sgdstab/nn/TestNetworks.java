package org.sgdstab.nn;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.sgdstab.linalg.Matrix;

/** Named tiny networks with data, covering every layer type, K > 1 and frozen layers. */
final class TestNetworks {
    private TestNetworks() {
    }

    /** A network with parameters and data. */
    record Case(String name, Network net, double[] theta, Matrix x, Matrix y) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Matrix random(int r, int c, SplittableRandom rng, double scale) {
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = scale * rng.nextGaussian();
        }
        return m;
    }

    private static Case make(String name, long seed, int n, List<Layer> layers, Supplier<double[]> frozenOverride) {
        SplittableRandom rng = new SplittableRandom(seed);
        int frozenCount = 0;
        for (Layer l : layers) {
            if (!l.trainable()) {
                frozenCount += l.paramCount();
            }
        }
        double[] frozen = frozenOverride != null ? frozenOverride.get() : random(1, frozenCount, rng, 0.7).data;
        Network net = new Network(layers, frozen);
        double[] theta = random(1, net.parameterCount(), rng, 0.7).data;
        Matrix x = random(n, net.inputSize(), rng, 1.0);
        Matrix y = random(n, net.outputSize(), rng, 1.0);
        return new Case(name, net, theta, x, y);
    }

    static List<Case> all() {
        List<Case> cases = new java.util.ArrayList<>(List.of(
                make("mlp-tanh-k1", 1, 7, List.of(new Dense(3, 5, true, true), new Tanh(5), new Dense(5, 1, true, true)), null),
                make("sigmoid-gelu-k3", 2, 6, List.of(new Dense(3, 4, true, true), new Sigmoid(4), new Dense(4, 4, true, true),
                        new Gelu(4), new Dense(4, 3, true, true)), null),
                make("relu-k2", 3, 5, List.of(new Dense(3, 6, true, true), new Relu(6), new Dense(6, 2, true, true)), null),
                make("frozen-first-layer", 4, 6, List.of(new Dense(3, 6, false, false), new Tanh(6), new Dense(6, 2, true, true)), null),
                make("frozen-middle-layer", 5, 5, List.of(new Dense(3, 4, true, true), new Tanh(4), new Dense(4, 4, true, false),
                        new Sigmoid(4), new Dense(4, 1, true, true)), null),
                make("diagonal-linear", 6, 6, List.of(new Diagonal(4, true), new Dense(4, 1, false, false)),
                        () -> new double[] {1, 1, 1, 1}),
                make("diagonal-inside", 7, 5, List.of(new Dense(3, 4, true, true), new Diagonal(4, true), new Gelu(4),
                        new Dense(4, 2, true, true)), null),
                make("deep-linear", 8, 4, List.of(new Dense(3, 4, false, true), new Identity(4), new Dense(4, 3, false, true),
                        new Dense(3, 1, false, true)), null),
                // A hidden Dense of width ≥ 32 above a trainable layer takes the wide R-backward path
                // (Dense.BATCH_BELOW_OUT); the narrow layers of the other cases take the fused one.
                make("wide-hidden", 9, 5, List.of(new Dense(2, 3, true, true), new Tanh(3), new Dense(3, 32, true, true),
                        new Tanh(32), new Dense(32, 2, true, true)), null)));
        cases.addAll(ConvTestNetworks.all());
        return cases;
    }

    static Stream<Arguments> cases() {
        return all().stream().map(c -> Arguments.of(c.name(), c));
    }
}
