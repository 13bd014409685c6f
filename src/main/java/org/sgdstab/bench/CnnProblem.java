package org.sgdstab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.sgdstab.data.Dataset;
import org.sgdstab.data.ImageImport;
import org.sgdstab.data.ImportConfig;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.InputException;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.ConvPresets;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelSpec;
import org.sgdstab.report.Json;

/**
 * The small-CNN problem shared by W5 and W6: a balanced, seeded Fashion-MNIST subset imported by
 * {@link ImageImport} (one-hot targets, channels standardised), the first {@code n} of its rows,
 * and {@link ConvPresets#smallCnn} with PyTorch-default weights. Everything is drawn from one seed
 * (subset, then weights, then the SGD order, each from its own split) and written for the peer:
 * {@code inputs.json}, {@code model.json} (the layer list, {@link ModelSpec} format), {@code x.npy}
 * (n × C·H·W, NCHW rows), {@code y.npy} and {@code theta.npy}.
 *
 * @param split  which Fashion-MNIST split to draw from (the test split is smaller, so faster to read)
 * @param pool   images drawn, pool/10 per class
 * @param n      rows used: the first n of the pool (rows are in source order, so classes interleave)
 * @param path   directory of the IDX files, or null for the Debian package's location
 * @param seed   root seed
 */
record CnnProblem(ImportConfig.Split split, int pool, int n, Path path, long seed) {
    /** What a workload reports when the images cannot be read. */
    static final String NOT_AVAILABLE = "not available: install dataset-fashion-mnist";
    /** K: the ten Fashion-MNIST classes, one-hot (the natural classifier). */
    static final int CLASSES = 10;

    CnnProblem {
        if (n < 1 || n > pool) {
            throw new IllegalArgumentException("need 1 ≤ n ≤ pool, got n = " + n + ", pool = " + pool);
        }
    }

    /** The built inputs, and the SGD stream split after the weights. */
    record Built(Model model, Dataset data, SplittableRandom orderRng) {
    }

    ImportConfig importConfig() {
        return new ImportConfig(ImportConfig.Format.IDX, path, split, null, pool, ImportConfig.Targets.ONEHOT, true, seed);
    }

    List<Layer> layers() {
        return ConvPresets.smallCnn(1, 28, 28, CLASSES);
    }

    /** "small CNN (p = 20490) on 2000 Fashion-MNIST images". */
    String shape() {
        int p = layers().stream().filter(Layer::trainable).mapToInt(Layer::paramCount).sum();
        return "small CNN conv3×3(1→16) ReLU maxpool conv3×3(16→32) ReLU maxpool linear(1568→10), p = " + p + ", on " + n
                + " Fashion-MNIST " + split.name().toLowerCase(java.util.Locale.ROOT) + " images";
    }

    /** Why the images cannot be read ({@link #NOT_AVAILABLE} and the importer's reason), or empty. */
    Optional<String> unavailable() {
        try {
            ImageImport.run(importConfig());
            return Optional.empty();
        } catch (InputException e) {
            return Optional.of(NOT_AVAILABLE + " (" + e.getMessage() + ")");
        }
    }

    /**
     * Imports the images and draws the weights; writes the inputs into dir. Modifies dir.
     *
     * @param extra adds the workload's own fields to {@code inputs.json}
     * @throws InputException if Fashion-MNIST cannot be read
     */
    Built build(Path dir, java.util.function.Consumer<ObjectNode> extra) throws IOException {
        Dataset all = ImageImport.run(importConfig()).data();
        int d = all.inputSize();
        Matrix x = new Matrix(n, d);
        Matrix y = new Matrix(n, CLASSES);
        System.arraycopy(all.x().data, 0, x.data, 0, n * d);
        System.arraycopy(all.y().data, 0, y.data, 0, n * CLASSES);
        Dataset data = new Dataset(x, y, all.inputShape());
        SplittableRandom root = new SplittableRandom(seed);
        root.split(); // reserved for the data: the subset is drawn by ImageImport from the same seed
        SplittableRandom weightRng = root.split();
        SplittableRandom orderRng = root.split();
        List<Layer> layers = layers();
        Model model = new Initializer.TorchDefault().initialize(layers, weightRng);
        ObjectNode spec = Json.object();
        spec.put("kind", "small-cnn");
        spec.put("n", n);
        spec.put("pool", pool);
        spec.put("split", split.name().toLowerCase(java.util.Locale.ROOT));
        spec.putPOJO("input_shape", all.inputShape());
        spec.put("outputs", CLASSES);
        spec.put("parameters", model.parameterCount());
        spec.put("seed", seed);
        spec.put("data", "ImageImport: Fashion-MNIST IDX, pool/10 images per class, one-hot targets, channels standardised; first n rows");
        extra.accept(spec);
        AtomicFiles.writeString(dir.resolve("inputs.json"), Json.write(spec));
        AtomicFiles.writeString(dir.resolve("model.json"), ModelSpec.toJson(layers));
        Npy.write(dir.resolve("x.npy"), NdArray.of(x));
        Npy.write(dir.resolve("y.npy"), NdArray.of(y));
        Npy.write(dir.resolve("theta.npy"), new NdArray(new int[] {model.parameterCount()}, model.theta()));
        return new Built(model, data, orderRng);
    }
}
