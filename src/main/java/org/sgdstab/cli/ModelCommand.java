package org.sgdstab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.InputException;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;
import org.sgdstab.nn.Preset;
import org.sgdstab.report.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sgdstab model}: write the spec (and optionally initial weights) of one of the paper's model families. */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Write a model spec for a preset family (mlp, deep-linear, diagonal-linear, random-features, small-cnn, vgg, resnet), and optionally its initial weights.")
final class ModelCommand implements Callable<Integer> {
    @Option(names = "--preset", required = true, description = "Model family.")
    String preset;
    @Option(names = "--input-shape", required = true, description = "d for vector inputs, or C,H,W for images.")
    String inputShape;
    @Option(names = "--widths", defaultValue = "", description = "Hidden widths for mlp and deep-linear, e.g. 512,512.")
    String widths;
    @Option(names = "--activation", defaultValue = "tanh", description = "mlp activation (default: ${DEFAULT-VALUE}).")
    String activation;
    @Option(names = "--outputs", defaultValue = "1", description = "Outputs K (default: ${DEFAULT-VALUE}).")
    int outputs;
    @Option(names = "--features", defaultValue = "0", description = "Number of random features m (random-features).")
    int features;
    @Option(names = "--depth", defaultValue = "11", description = "VGG depth 11/13/16/19 or ResNet depth 6m+2 (default: ${DEFAULT-VALUE}).")
    int depth;
    @Option(names = "--width-multiplier", defaultValue = "1", description = "Channel multiplier for vgg/resnet (default: ${DEFAULT-VALUE}).")
    double widthMultiplier;
    @Option(names = "--init", defaultValue = "auto",
            description = "Initial weights: torch (nn.Linear/Conv2d default), gaussian (N(0, σ²/fan_in), see --init-sigma), fixup, or auto (fixup for resnet, torch otherwise).")
    String init;
    @Option(names = "--init-sigma", defaultValue = "1", description = "σ for --init gaussian (default: ${DEFAULT-VALUE}).")
    double initSigma;
    @Option(names = "--seed", defaultValue = "0", description = "Seed for the initial weights (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", required = true, paramLabel = "M.json", description = "Where to write the spec.")
    Path out;
    @Option(names = "--weights-out", paramLabel = "W.safetensors",
            description = "Also write initial weights (required for random-features and diagonal-linear, whose frozen weights define them).")
    Path weightsOut;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Preset.Family family = Preset.Family.parse(preset);
        Preset p = new Preset(family, Options.positiveInts(inputShape, "--input-shape"),
                widths.isBlank() ? new int[0] : Options.positiveInts(widths, "--widths"), activation, outputs, features, depth,
                widthMultiplier);
        if (weightsOut == null && p.hasDefiningFrozenWeights()) {
            throw new InputException("--weights-out is required for " + family.cliName() + ": its frozen weights are part of the model");
        }
        Initializer initializer = switch (init) {
            case "torch" -> new Initializer.TorchDefault();
            case "gaussian" -> new Initializer.ScaledGaussian(initSigma);
            case "fixup" -> new Initializer.Fixup();
            case "auto" -> family == Preset.Family.RESNET ? new Initializer.Fixup() : new Initializer.TorchDefault();
            default -> throw new InputException("--init: unknown value '" + init + "' (expected torch, gaussian, fixup or auto)");
        };
        Model model = p.model(initializer, new SplittableRandom(seed));
        try {
            for (Path target : new Path[] {out, weightsOut}) {
                if (target != null && target.toAbsolutePath().getParent() != null) {
                    java.nio.file.Files.createDirectories(target.toAbsolutePath().getParent());
                }
            }
            AtomicFiles.writeString(out, ModelSpec.toJson(model.network().layers()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
        }
        if (weightsOut != null) {
            ModelWeights.write(weightsOut, model, Map.of("format", "pt", "producer", "sgd-stability " + Provenance.currentVersion(),
                    "preset", family.cliName(), "seed", Long.toString(seed)));
        }
        spec.commandLine().getOut().printf("%s: p = %d trainable parameters -> %s%n", family.cliName(), model.parameterCount(), out);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
