package org.sgdstab.nn;

import java.util.List;
import java.util.SplittableRandom;
import org.sgdstab.io.InputException;

/**
 * A model family of the paper with its size parameters; {@link #layers} gives the spec and
 * {@link #model} an initialised model. Families whose frozen weights are part of the model's
 * definition (random features, the diagonal network's all-ones read-out) say so through
 * {@link #hasDefiningFrozenWeights}: their weights must be saved with the spec.
 *
 * @param family          which family
 * @param inputShape      [d] for vector inputs or [C, H, W] for images
 * @param widths          hidden widths (mlp, deep-linear); ignored otherwise
 * @param activation      mlp activation (relu, tanh, sigmoid, gelu, identity)
 * @param outputs         K
 * @param features        random features m (random-features)
 * @param depth           VGG depth (11, 13, 16, 19) or ResNet depth (6m + 2)
 * @param widthMultiplier channel multiplier of VGG/ResNet
 */
public record Preset(Family family, int[] inputShape, int[] widths, String activation, int outputs, int features, int depth,
                     double widthMultiplier) {

    /** The families. */
    public enum Family {
        MLP("mlp"), DEEP_LINEAR("deep-linear"), DIAGONAL_LINEAR("diagonal-linear"), RANDOM_FEATURES("random-features"),
        SMALL_CNN("small-cnn"), VGG("vgg"), RESNET("resnet");

        private final String cliName;

        Family(String cliName) {
            this.cliName = cliName;
        }

        @com.fasterxml.jackson.annotation.JsonValue
        public String cliName() {
            return cliName;
        }

        /** Parses a command-line name such as "deep-linear". */
        public static Family parse(String s) {
            for (Family f : values()) {
                if (f.cliName.equals(s)) {
                    return f;
                }
            }
            throw new InputException("--preset: unknown family '" + s
                    + "' (expected mlp, deep-linear, diagonal-linear, random-features, small-cnn, vgg or resnet)");
        }

        boolean images() {
            return this == SMALL_CNN || this == VGG || this == RESNET;
        }
    }

    public Preset {
        inputShape = inputShape.clone();
        widths = widths.clone();
        boolean images = family.images();
        if (images && inputShape.length != 3) {
            throw new InputException("--input-shape: " + family.cliName() + " needs C,H,W, got " + inputShape.length + " numbers");
        }
        if (!images && inputShape.length != 1) {
            throw new InputException("--input-shape: " + family.cliName() + " needs a single dimension d, got " + inputShape.length + " numbers");
        }
        for (int s : inputShape) {
            if (s < 1) {
                throw new InputException("--input-shape: dimensions must be positive, got " + s);
            }
        }
        if (outputs < 1) {
            throw new InputException("--outputs must be at least 1, got " + outputs);
        }
        if (family == Family.RANDOM_FEATURES && features < 1) {
            throw new InputException("--features must be at least 1, got " + features);
        }
        if (!(widthMultiplier > 0) || !Double.isFinite(widthMultiplier)) {
            throw new InputException("--width-multiplier must be positive, got " + widthMultiplier);
        }
    }

    @Override
    public int[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    /** True when the family's frozen weights define it, so they must be stored with the spec. */
    public boolean hasDefiningFrozenWeights() {
        return family == Family.RANDOM_FEATURES || family == Family.DIAGONAL_LINEAR;
    }

    /** The layers (the model spec). */
    public List<Layer> layers() {
        return model(new Initializer.TorchDefault(), new SplittableRandom(0)).network().layers();
    }

    /** The layers with parameters drawn by {@code init} (ResNets default to Fixup in the CLI). */
    public Model model(Initializer init, SplittableRandom rng) {
        try {
            int d = inputShape[0];
            return switch (family) {
                case MLP -> init.initialize(ModelPresets.mlp(d, widths, activation, outputs), rng);
                case DEEP_LINEAR -> init.initialize(ModelPresets.deepLinear(d, widths, outputs), rng);
                case DIAGONAL_LINEAR -> {
                    if (outputs != 1) {
                        throw new InputException("--outputs: the diagonal linear network has one output, got " + outputs);
                    }
                    yield ModelPresets.diagonalLinear(d, init, rng);
                }
                case RANDOM_FEATURES -> ModelPresets.randomFeatures(d, features, outputs, rng);
                case SMALL_CNN -> init.initialize(ConvPresets.smallCnn(inputShape[0], inputShape[1], inputShape[2], outputs), rng);
                case VGG -> init.initialize(ConvPresets.vgg(depth, widthMultiplier, inputShape[0], inputShape[1], inputShape[2], outputs), rng);
                case RESNET -> init.initialize(ConvPresets.resnet(depth, widthMultiplier, inputShape[0], inputShape[1], inputShape[2],
                        outputs), rng);
            };
        } catch (IllegalArgumentException e) {
            // The builders check their sizes; to the user these are bad options.
            throw new InputException(family.cliName() + ": " + e.getMessage());
        }
    }
}
