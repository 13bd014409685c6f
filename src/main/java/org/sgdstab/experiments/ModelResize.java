package org.sgdstab.experiments;

import java.util.ArrayList;
import java.util.List;
import org.sgdstab.io.InputException;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Diagonal;
import org.sgdstab.nn.Elementwise;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.ModelSpec;

/** Architecture edits for size studies: the same layer pattern with other hidden widths or depth. */
public final class ModelResize {
    private ModelResize() {
    }

    /**
     * The same layers with every hidden width (every width except the input d and the output K) set to
     * {@code width}. Layer types, biases and trainability are kept.
     *
     * @throws InputException if the model has no hidden width or width &lt; 1
     */
    public static List<Layer> withHiddenWidth(List<Layer> layers, int width) {
        if (width < 1) {
            throw new InputException("width must be at least 1, got " + width);
        }
        int in = layers.get(0).inputSize();
        int last = layers.size() - 1;
        int lastDense = -1;
        for (int l = last; l >= 0; l--) {
            if (layers.get(l) instanceof Dense) {
                lastDense = l;
                break;
            }
        }
        if (lastDense <= 0) {
            throw new InputException("the model has no hidden layer whose width could change (it needs two linear layers)");
        }
        List<Layer> out = new ArrayList<>();
        int cur = in;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            // Widths after the last linear layer (and its output) stay as they are.
            boolean hidden = l < lastDense;
            Layer resized;
            if (layer instanceof Dense dense) {
                resized = new Dense(cur, hidden ? width : dense.outputSize(), dense.hasBias(), dense.trainable());
            } else if (layer instanceof Diagonal diag) {
                resized = new Diagonal(cur, diag.trainable());
            } else {
                resized = ModelSpec.activation(layer.typeName(), cur);
            }
            out.add(resized);
            cur = resized.outputSize();
        }
        return List.copyOf(out);
    }

    /**
     * An MLP-shaped model ({@code linear, act, linear, act, …, linear}) with {@code depth} hidden
     * blocks: the pattern of the last hidden block (linear + activation) is repeated or truncated.
     *
     * @throws InputException unless the layers alternate linear and activation layers, ending with a linear one
     */
    public static List<Layer> withDepth(List<Layer> layers, int depth) {
        if (depth < 0) {
            throw new InputException("depth must be ≥ 0, got " + depth);
        }
        int blocks = (layers.size() - 1) / 2;
        boolean mlp = layers.size() % 2 == 1 && blocks >= 1;
        for (int l = 0; mlp && l < layers.size(); l++) {
            mlp = l % 2 == 0 ? layers.get(l) instanceof Dense : layers.get(l) instanceof Elementwise;
        }
        if (!mlp) {
            throw new InputException("depth can only change for linear/activation alternations ending in a linear layer with at least one hidden layer");
        }
        Dense hidden = (Dense) layers.get(2 * blocks - 2);
        Layer act = layers.get(2 * blocks - 1);
        Dense head = (Dense) layers.get(layers.size() - 1);
        int width = hidden.outputSize();
        List<Layer> out = new ArrayList<>();
        int cur = layers.get(0).inputSize();
        for (int b = 0; b < depth; b++) {
            Dense src = b < blocks ? (Dense) layers.get(2 * b) : hidden;
            Layer a = b < blocks ? layers.get(2 * b + 1) : act;
            int w = b < blocks - 1 ? src.outputSize() : width;
            out.add(new Dense(cur, w, src.hasBias(), src.trainable()));
            out.add(ModelSpec.activation(a.typeName(), w));
            cur = w;
        }
        out.add(new Dense(cur, head.outputSize(), head.hasBias(), head.trainable()));
        return List.copyOf(out);
    }
}
