package org.sgdstab.data;

import java.util.SplittableRandom;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelPresets;

/** Generates the synthetic data sets of {@link SyntheticConfig}. */
public final class SyntheticData {
    private SyntheticData() {
    }

    /**
     * Draws a data set. The stream is split in a fixed order (inputs, teacher, noise), so each
     * part depends only on the seed, never on the other parts' sizes.
     */
    public static Dataset generate(SyntheticConfig c) {
        SplittableRandom root = new SplittableRandom(c.seed());
        SplittableRandom inputRng = root.split();
        SplittableRandom teacherRng = root.split();
        SplittableRandom noiseRng = root.split();
        Matrix x = inputs(c, inputRng);
        Matrix y = teacher(c, teacherRng).predict(x);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] += c.noise() * noiseRng.nextGaussian();
        }
        return new Dataset(x, y);
    }

    private static Matrix inputs(SyntheticConfig c, SplittableRandom rng) {
        Matrix x = new Matrix(c.n(), c.d());
        for (int i = 0; i < c.n(); i++) {
            double norm = 0;
            for (int j = 0; j < c.d(); j++) {
                double g = rng.nextGaussian();
                x.data[i * c.d() + j] = g;
                norm += g * g;
            }
            for (int j = 0; j < c.d(); j++) {
                if (c.kind() == SyntheticConfig.InputKind.SPHERE) {
                    // A normalised Gaussian is uniform on the sphere.
                    x.data[i * c.d() + j] /= Math.sqrt(norm);
                } else if (c.covSpectrum() != null) {
                    x.data[i * c.d() + j] *= Math.sqrt(c.covSpectrum()[j]);
                }
            }
        }
        return x;
    }

    private static Model teacher(SyntheticConfig c, SplittableRandom rng) {
        Initializer init = new Initializer.ScaledGaussian(1.0);
        return switch (c.teacher()) {
            case LINEAR -> init.initialize(ModelPresets.deepLinear(c.d(), new int[0], c.outputs()), rng);
            case MLP_TANH -> init.initialize(ModelPresets.mlp(c.d(), new int[] {c.teacherWidth()}, "tanh", c.outputs()), rng);
            case MLP_RELU -> init.initialize(ModelPresets.mlp(c.d(), new int[] {c.teacherWidth()}, "relu", c.outputs()), rng);
        };
    }
}
