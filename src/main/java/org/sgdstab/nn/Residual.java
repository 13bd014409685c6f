package org.sgdstab.nn;

import java.util.ArrayList;
import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * A residual block z = body(a) + shortcut(a), where body is a sequence of layers and the shortcut
 * is either the identity or another sequence (typically a strided 1×1 {@link Conv2d}). An
 * activation after the addition is a separate layer after the block, as in PyTorch's ResNets.
 *
 * <h2>Parameters</h2>
 * The block's parameters are one contiguous range: the body's layers in order, then the
 * shortcut's, each laid out as that layer lays out its own. Their names nest like a PyTorch module
 * with {@code body} and {@code shortcut} {@code nn.Sequential} attributes: {@code body.0.weight},
 * {@code shortcut.0.weight}, so block 3 of a model gives the weight keys {@code 3.body.0.weight}.
 * All layers with parameters inside a block must share one trainability (all trainable, or all
 * frozen), because the block's parameters live in one store (θ or the frozen weights).
 *
 * <h2>Evaluation</h2>
 * The {@link Layer} interface hands a layer only its own input and output, so each operation
 * recomputes the branches' inner activations by one forward pass (about a third more work for a
 * gradient); in exchange a block composes with every operation of the network and nests.
 */
public final class Residual implements Layer {
    private final Branch body;
    private final Branch shortcut;
    private final boolean trainable;

    /**
     * @param body     the residual branch, non-empty, widths chaining from the block's input
     * @param shortcut the shortcut branch, or null (or empty) for the identity
     * @throws IllegalArgumentException on width mismatches or mixed trainability
     */
    public Residual(List<Layer> body, List<Layer> shortcut) {
        if (body == null || body.isEmpty()) {
            throw new IllegalArgumentException("a residual block needs a non-empty body");
        }
        this.body = new Branch("body", body, 0, body.get(0).inputSize());
        int in = body.get(0).inputSize();
        int out = body.get(body.size() - 1).outputSize();
        if (shortcut == null || shortcut.isEmpty()) {
            this.shortcut = null;
            if (out != in) {
                throw new IllegalArgumentException("the body maps " + in + " features to " + out
                        + ", so an identity shortcut does not fit; give the block a shortcut");
            }
        } else {
            this.shortcut = new Branch("shortcut", shortcut, this.body.paramCount, in);
            int sOut = shortcut.get(shortcut.size() - 1).outputSize();
            if (sOut != out) {
                throw new IllegalArgumentException("the body outputs " + out + " features but the shortcut outputs " + sOut);
            }
        }
        this.trainable = checkTrainability();
    }

    /** The layers with parameters must agree on trainability; returns it (false when there are none). */
    private boolean checkTrainability() {
        String trainableAt = null;
        String frozenAt = null;
        for (Branch b : shortcut == null ? List.of(body) : List.of(body, shortcut)) {
            for (int l = 0; l < b.layers.size(); l++) {
                Layer layer = b.layers.get(l);
                if (layer.paramCount() == 0) {
                    continue;
                }
                String at = b.name + "." + l + " (" + layer.typeName() + ")";
                if (layer.trainable() && trainableAt == null) {
                    trainableAt = at;
                } else if (!layer.trainable() && frozenAt == null) {
                    frozenAt = at;
                }
            }
        }
        if (trainableAt != null && frozenAt != null) {
            throw new IllegalArgumentException(trainableAt + " is trainable but " + frozenAt + " is frozen: the layers with parameters"
                    + " inside a residual block must be all trainable or all frozen");
        }
        return trainableAt != null;
    }

    /** The body's layers. */
    public List<Layer> body() {
        return body.layers;
    }

    /** The shortcut's layers; empty for the identity shortcut. */
    public List<Layer> shortcut() {
        return shortcut == null ? List.of() : shortcut.layers;
    }

    /** Offset of body layer l's parameters from the start of the block's parameters. */
    public int bodyOffset(int l) {
        return body.offsets[l];
    }

    /** Offset of shortcut layer l's parameters from the start of the block's parameters. */
    public int shortcutOffset(int l) {
        if (shortcut == null) {
            throw new IndexOutOfBoundsException("the block has an identity shortcut");
        }
        return shortcut.offsets[l];
    }

    @Override
    public int inputSize() {
        return body.layers.get(0).inputSize();
    }

    @Override
    public int outputSize() {
        return body.layers.get(body.layers.size() - 1).outputSize();
    }

    @Override
    public String typeName() {
        return "residual";
    }

    /** Whether the block's parameters are in θ: true when its layers with parameters are trainable. */
    @Override
    public boolean trainable() {
        return trainable;
    }

    @Override
    public List<ParamTensor> parameters() {
        List<ParamTensor> out = new ArrayList<>();
        body.addParameters(out);
        if (shortcut != null) {
            shortcut.addParameters(out);
        }
        return List.copyOf(out);
    }

    // ---------------------------------------------------------------------------------------------
    // Layer operations: run both branches and add.
    // ---------------------------------------------------------------------------------------------

    @Override
    public void forward(Matrix a, double[] w, int off, Matrix z) {
        Matrix b = body.activations(a, w, off)[body.layers.size()];
        Matrix s = shortcut == null ? a : shortcut.activations(a, w, off)[shortcut.layers.size()];
        sum(b, s, z);
    }

    @Override
    public void backward(Matrix a, Matrix z, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        boolean needInput = gIn != null;
        Matrix gb = null;
        if (needInput || body.hasParameters()) {
            gb = body.backward(body.activations(a, w, off), w, off, gOut, needInput, grad, gradOff);
        }
        Matrix gs = gOut;
        if (shortcut != null) {
            gs = null;
            if (needInput || shortcut.hasParameters()) {
                gs = shortcut.backward(shortcut.activations(a, w, off), w, off, gOut, needInput, grad, gradOff);
            }
        }
        if (needInput) {
            sum(gb, gs, gIn);
        }
    }

    @Override
    public void addGram(Matrix a, Matrix z, double[] w, int off, Matrix sens, Matrix gram) {
        if (body.hasParameters()) {
            body.addGram(body.activations(a, w, off), w, off, sens, gram);
        }
        if (shortcut != null && shortcut.hasParameters()) {
            shortcut.addGram(shortcut.activations(a, w, off), w, off, sens, gram);
        }
    }

    @Override
    public void rForward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        int rows = dOut.rows;
        Matrix tb = body.tangents(body.activations(a, w, off), w, off, dirs, dirOff, dIn, rows)[body.layers.size()];
        Matrix ts = dIn;
        if (shortcut != null) {
            ts = shortcut.tangents(shortcut.activations(a, w, off), w, off, dirs, dirOff, dIn, rows)[shortcut.layers.size()];
        }
        sum(tb, ts, dOut);
    }

    @Override
    public void rBackward(Matrix a, Matrix z, double[] w, int off, Matrix dirs, int dirOff,
                          Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        boolean needInput = rgIn != null;
        int rows = rgOut.rows;
        Matrix rb = null;
        if (needInput || body.hasParameters()) {
            Matrix[] acts = body.activations(a, w, off);
            Matrix[] t = body.tangents(acts, w, off, dirs, dirOff, dIn, rows);
            rb = body.rBackward(acts, t, w, off, dirs, dirOff, gOut, rgOut, needInput, hv);
        }
        Matrix rs = rgOut;
        if (shortcut != null) {
            rs = null;
            if (needInput || shortcut.hasParameters()) {
                Matrix[] acts = shortcut.activations(a, w, off);
                Matrix[] t = shortcut.tangents(acts, w, off, dirs, dirOff, dIn, rows);
                rs = shortcut.rBackward(acts, t, w, off, dirs, dirOff, gOut, rgOut, needInput, hv);
            }
        }
        if (needInput) {
            sum(rb, rs, rgIn);
        }
    }

    /** dst = x + y (overwritten), where a null operand is zero. */
    private static void sum(Matrix x, Matrix y, Matrix dst) {
        double[] d = dst.data;
        if (x == null && y == null) {
            dst.zeroInPlace();
        } else if (x == null || y == null) {
            System.arraycopy((x == null ? y : x).data, 0, d, 0, d.length);
        } else {
            for (int i = 0; i < d.length; i++) {
                d[i] = x.data[i] + y.data[i];
            }
        }
    }

    /**
     * One branch: its layers and their parameter offsets within the block, with the same loops as
     * {@link Network} over one parameter store. A null tangent or sensitivity means zero.
     */
    private static final class Branch {
        final String name;
        final List<Layer> layers;
        final int[] offsets;
        /** Index of the first layer with parameters (layers.size() when there is none). */
        final int lowest;
        /** Parameters of the branch. */
        final int paramCount;

        Branch(String name, List<Layer> layers, int base, int inputSize) {
            this.name = name;
            this.layers = List.copyOf(layers);
            this.offsets = new int[layers.size()];
            int p = base;
            int lo = layers.size();
            int width = inputSize;
            for (int l = 0; l < layers.size(); l++) {
                Layer layer = layers.get(l);
                if (layer.inputSize() != width) {
                    throw new IllegalArgumentException(name + "." + l + " (" + layer.typeName() + ") expects " + layer.inputSize()
                            + " inputs but gets " + width);
                }
                width = layer.outputSize();
                offsets[l] = p;
                p += layer.paramCount();
                if (layer.paramCount() > 0 && lo == layers.size()) {
                    lo = l;
                }
            }
            this.lowest = lo;
            this.paramCount = p - base;
        }

        boolean hasParameters() {
            return lowest < layers.size();
        }

        void addParameters(List<ParamTensor> out) {
            for (int l = 0; l < layers.size(); l++) {
                for (ParamTensor t : layers.get(l).parameters()) {
                    out.add(new ParamTensor(name + "." + l + "." + t.name(), t.shape()));
                }
            }
        }

        /** acts[0] = a, acts[l+1] = layer_l(acts[l]). */
        Matrix[] activations(Matrix a, double[] w, int off) {
            Matrix[] acts = new Matrix[layers.size() + 1];
            acts[0] = a;
            for (int l = 0; l < layers.size(); l++) {
                Layer layer = layers.get(l);
                acts[l + 1] = new Matrix(a.rows, layer.outputSize());
                layer.forward(acts[l], w, off + offsets[l], acts[l + 1]);
            }
            return acts;
        }

        /** Backpropagates g; adds parameter gradients to grad (if not null); returns the input sensitivity when asked. */
        Matrix backward(Matrix[] acts, double[] w, int off, Matrix g, boolean needInput, double[] grad, int gradOff) {
            int stop = needInput ? 0 : lowest;
            for (int l = layers.size() - 1; l >= stop; l--) {
                Layer layer = layers.get(l);
                Matrix gIn = needInput || l > stop ? new Matrix(g.rows, layer.inputSize()) : null;
                boolean accumulate = grad != null && layer.paramCount() > 0;
                layer.backward(acts[l], acts[l + 1], w, off + offsets[l], g, gIn, accumulate ? grad : null, gradOff + offsets[l]);
                g = gIn;
            }
            return needInput ? g : null;
        }

        void addGram(Matrix[] acts, double[] w, int off, Matrix sens, Matrix gram) {
            for (int l = layers.size() - 1; l >= lowest; l--) {
                Layer layer = layers.get(l);
                if (layer.paramCount() > 0) {
                    layer.addGram(acts[l], acts[l + 1], w, off + offsets[l], sens, gram);
                }
                if (l > lowest) {
                    Matrix gIn = new Matrix(sens.rows, layer.inputSize());
                    layer.backward(acts[l], acts[l + 1], w, off + offsets[l], sens, gIn, null, 0);
                    sens = gIn;
                }
            }
        }

        /** t[0] = dIn, t[l+1] = R{acts[l+1]} for a stacked block of {@code rows} rows. */
        Matrix[] tangents(Matrix[] acts, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, int rows) {
            Matrix[] t = new Matrix[layers.size() + 1];
            t[0] = dIn;
            for (int l = 0; l < layers.size(); l++) {
                Layer layer = layers.get(l);
                boolean moves = dirs != null && layer.paramCount() > 0;
                if (t[l] == null && !moves) {
                    continue;
                }
                t[l + 1] = new Matrix(rows, layer.outputSize());
                layer.rForward(acts[l], acts[l + 1], w, off + offsets[l], moves ? dirs : null, dirOff + offsets[l], t[l], t[l + 1]);
            }
            return t;
        }

        /** The R-backward pass of Network's curvature product over this branch; returns R{g_in} when asked. */
        Matrix rBackward(Matrix[] acts, Matrix[] t, double[] w, int off, Matrix dirs, int dirOff,
                         Matrix gOut, Matrix rgOut, boolean needInput, Matrix hv) {
            int stop = needInput ? 0 : lowest;
            Matrix g = gOut;
            Matrix rg = rgOut;
            for (int l = layers.size() - 1; l >= stop; l--) {
                Layer layer = layers.get(l);
                int o = off + offsets[l];
                boolean moves = dirs != null && layer.paramCount() > 0;
                boolean below = needInput || l > stop;
                Matrix rgIn = below ? new Matrix(rg.rows, layer.inputSize()) : null;
                layer.rBackward(acts[l], acts[l + 1], w, o, moves ? dirs : null, dirOff + offsets[l], t[l], g, rg, rgIn,
                        moves ? hv : null);
                if (below && g != null) {
                    Matrix gIn = new Matrix(g.rows, layer.inputSize());
                    layer.backward(acts[l], acts[l + 1], w, o, g, gIn, null, 0);
                    g = gIn;
                }
                rg = rgIn;
            }
            return needInput ? rg : null;
        }
    }
}
