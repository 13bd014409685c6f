package org.sgdstab.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.io.InputException;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Safetensors;
import org.sgdstab.io.SafetensorsFile;

/**
 * Maps a network's parameters to and from safetensors with PyTorch's key names:
 * {@code i.weight} (out, in) or (out, in, kh, kw), {@code i.bias}, {@code i.u}, {@code i.v},
 * {@code i.running_mean}, {@code i.running_var} for layer index i, and nested names inside
 * residual blocks ({@code i.body.0.weight}, {@code i.shortcut.0.weight}), so a PyTorch
 * {@code nn.Sequential(...).state_dict()} saved with safetensors loads unchanged (batch norm's
 * integer {@code num_batches_tracked} buffers removed). Frozen layers' weights are stored too.
 */
public final class ModelWeights {
    private ModelWeights() {
    }

    /** The tensors of a model, keyed as PyTorch names them, in layer order. Data copied. */
    public static LinkedHashMap<String, NdArray> toTensors(Model model) {
        Network net = model.network();
        double[] frozen = net.frozenWeights();
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        List<Layer> layers = net.layers();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            double[] src = layer.trainable() ? model.theta() : frozen;
            int off = net.offset(l);
            for (ParamTensor t : layer.parameters()) {
                out.put(l + "." + t.name(), new NdArray(t.shape(), Arrays.copyOfRange(src, off, off + t.size())));
                off += t.size();
            }
        }
        return out;
    }

    /**
     * Builds a model of the given layers from named tensors; every expected tensor must be present
     * with its exact shape, and no other tensor may be.
     *
     * @param source name for error messages (the file)
     */
    public static Model fromTensors(List<Layer> layers, Map<String, NdArray> tensors, String source) {
        ParameterLayout layout = ParameterLayout.of(layers);
        double[] theta = new double[layout.trainable()];
        double[] frozen = new double[layout.frozen()];
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int off = layout.offsets()[l];
            for (ParamTensor t : layer.parameters()) {
                String key = l + "." + t.name();
                expected.add(key);
                NdArray a = tensors.get(key);
                if (a == null) {
                    throw new InputException(source + ": missing tensor \"" + key + "\" (layer " + l + ", " + layer.typeName()
                            + ", shape " + Arrays.toString(t.shape()) + ")");
                }
                if (!Arrays.equals(a.shape(), t.shape())) {
                    throw new InputException(source + ": tensor \"" + key + "\" has shape " + Arrays.toString(a.shape())
                            + ", the model needs " + Arrays.toString(t.shape()));
                }
                boolean variance = t.name().endsWith("running_var");
                for (double v : a.data()) {
                    if (!Double.isFinite(v)) {
                        throw new InputException(source + ": tensor \"" + key + "\" contains NaN or Inf");
                    }
                    if (variance && v < 0) {
                        throw new InputException(source + ": tensor \"" + key + "\" holds a negative variance " + v);
                    }
                }
                System.arraycopy(a.data(), 0, layer.trainable() ? theta : frozen, off, t.size());
                off += t.size();
            }
        }
        for (String key : tensors.keySet()) {
            if (!expected.contains(key)) {
                throw new InputException(source + ": unexpected tensor \"" + key + "\" (the model has no such parameter)");
            }
        }
        return new Model(new Network(layers, frozen), theta);
    }

    /** Loads weights for the given layers from a safetensors file. */
    public static Model read(List<Layer> layers, Path file) {
        SafetensorsFile st = Safetensors.read(file);
        return fromTensors(layers, st.tensors(), file.toString());
    }

    /** Writes a model's weights (F64) atomically, with string metadata. */
    public static void write(Path file, Model model, Map<String, String> metadata) {
        try {
            Safetensors.write(file, toTensors(model), metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
