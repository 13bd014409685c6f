package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.sgdstab.data.Dataset;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.nn.ModelWeights;
import picocli.CommandLine.Option;

/** The options every model-and-data command shares: model spec, weights and data files. */
final class ModelInputs {
    @Option(names = "--model", required = true, paramLabel = "M.json", description = "Model spec (nn.Sequential-style JSON).")
    Path model;

    @Option(names = "--weights", paramLabel = "W.safetensors", description = "Weights (PyTorch state_dict keys). Default: fresh initialisation from --seed.")
    Path weights;

    @Option(names = "--x", required = true, paramLabel = "X.npy", description = "Inputs, shape (n, d).")
    Path x;

    @Option(names = "--y", required = true, paramLabel = "Y.npy", description = "Targets, shape (n,) or (n, K).")
    Path y;

    @Option(names = "--init-sigma", paramLabel = "σ", description = "Initialise W ~ N(0, σ²/fan_in) instead of PyTorch's default (when no --weights).")
    Double initSigma;

    /** Reads and validates the spec, the weights (or initialises them) and the data, before anything is written. */
    Loaded load(long seed) {
        List<Layer> layers = ModelSpec.read(model);
        Model m;
        if (weights != null) {
            m = ModelWeights.read(layers, weights);
        } else {
            m = initializer().initialize(layers, new SplittableRandom(seed).split());
        }
        Dataset data = Dataset.load(x, y);
        data.requireFits(m.network().inputSize(), m.network().outputSize(), x.toString(), y.toString());
        return new Loaded(m, data);
    }

    /** The initialiser that --init-sigma chooses: N(0, σ²/fan_in), else PyTorch's default. */
    Initializer initializer() {
        return initSigma == null ? new Initializer.TorchDefault() : new Initializer.ScaledGaussian(initSigma);
    }

    record Loaded(Model model, Dataset data) {
    }
}
