package org.sgdstab.experiments;

import java.util.Arrays;
import java.util.List;
import org.sgdstab.data.Dataset;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Network;

/**
 * Mini-batch SGD on one network and data set that also evaluates the full training loss at every
 * step, with every buffer allocated once. One engine serves one thread; {@link #reset} starts a new
 * trajectory.
 *
 * <p>Two exact savings make a step cost little more than the full forward pass it must do anyway:
 * <ul>
 *   <li>The mini-batch forward pass at θ_t is a row subset of the full forward pass that gave L(θ_t),
 *       so a step only gathers those rows and runs the backward pass on B rows.</li>
 *   <li>The first trainable layer, when it is dense and its input is fixed (the data, or the output of
 *       frozen layers), is updated incrementally: a step changes W by {@code −η Σ_b g_b a_bᵀ} and b by
 *       {@code −η Σ_b g_b}, so its pre-activations over all n samples change by
 *       {@code K[:, batch] · (−η g)} with {@code K = A Aᵀ (+ 1 with a bias)} the n × n Gram matrix of
 *       that fixed input: O(n·B·out) instead of O(n·in·out). Round-off of these updates is bounded by
 *       recomputing the pre-activations exactly every {@link #REFRESH_EVERY} steps.</li>
 * </ul>
 * Layers before the first trainable one are evaluated once per engine.
 */
public final class SgdEngine {
    /** Exact recomputation period of incrementally updated pre-activations: drift stays O(period·ε). */
    static final int REFRESH_EVERY = 32;
    /** Above this n the n × n input Gram matrix costs more memory than it saves time. */
    static final int INCREMENTAL_MAX_SAMPLES = 4096;

    private final List<Layer> layers;
    private final int[] offsets;
    private final double[] frozen;
    private final Matrix x;
    private final Matrix y;
    private final int n;
    private final int batch;
    private final double lr;
    private final int lowest;
    private final Matrix[] acts;
    private final Matrix[] batchActs;
    private final Matrix[] batchSens;
    private final double[] theta;
    private final double[] grad;
    /** Null unless the first trainable layer is updated incrementally. */
    private final Matrix inputGram;
    private final Matrix gramColumns;
    private final Matrix delta;
    private boolean current;
    private boolean preactivationsValid;
    private int sinceRefresh;

    /**
     * @param net       the network. Not modified.
     * @param data      the training set; its loss is what {@link #loss} reports. Not modified.
     * @param batchSize B ≥ 1
     * @param lr        η > 0
     * @param inputGram the shared {@link #inputGram(Network, Dataset)} of this network and data, or null to compute it
     *                  here; it is only read
     */
    public SgdEngine(Network net, Dataset data, int batchSize, double lr, Matrix inputGram) {
        data.requireFits(net.inputSize(), net.outputSize(), "X", "Y");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and > 0, got " + lr);
        }
        this.layers = net.layers();
        int depth = layers.size();
        this.offsets = new int[depth];
        for (int l = 0; l < depth; l++) {
            offsets[l] = net.offset(l);
        }
        this.frozen = net.frozenWeights();
        this.x = data.x();
        this.y = data.y();
        this.n = data.size();
        this.batch = batchSize;
        this.lr = lr;
        this.lowest = lowestTrainable(layers);
        this.theta = new double[net.parameterCount()];
        this.grad = new double[net.parameterCount()];
        acts = new Matrix[depth + 1];
        batchActs = new Matrix[depth + 1];
        batchSens = new Matrix[depth + 1];
        acts[0] = x;
        for (int l = 0; l < depth; l++) {
            acts[l + 1] = new Matrix(n, layers.get(l).outputSize());
        }
        for (int l = 0; l <= depth; l++) {
            int width = l == 0 ? net.inputSize() : layers.get(l - 1).outputSize();
            batchActs[l] = new Matrix(batchSize, width);
            batchSens[l] = new Matrix(batchSize, width);
        }
        // The fixed prefix: layers below the first trainable one never change.
        for (int l = 0; l < Math.min(lowest, depth); l++) {
            layers.get(l).forward(acts[l], frozen, offsets[l], acts[l + 1]);
        }
        if (usesIncrementalFirstLayer(net, data, batchSize)) {
            this.inputGram = inputGram != null ? checkGram(inputGram, n) : inputGram(net, data);
            this.gramColumns = new Matrix(n, batchSize);
            this.delta = new Matrix(batchSize, layers.get(lowest).outputSize());
        } else {
            this.inputGram = null;
            this.gramColumns = null;
            this.delta = null;
        }
    }

    private static Matrix checkGram(Matrix g, int n) {
        Matrix.requireShape(g, n, n, "input Gram");
        return g;
    }

    private static int lowestTrainable(List<Layer> layers) {
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).trainable() && layers.get(l).paramCount() > 0) {
                return l;
            }
        }
        return layers.size();
    }

    /** Whether the first trainable layer is a dense layer whose pre-activations are worth updating incrementally. */
    static boolean usesIncrementalFirstLayer(Network net, Dataset data, int batchSize) {
        int l = lowestTrainable(net.layers());
        if (l >= net.layers().size() || !(net.layers().get(l) instanceof Dense dense)) {
            return false;
        }
        return data.size() <= INCREMENTAL_MAX_SAMPLES && batchSize < dense.inputSize();
    }

    /**
     * The n × n Gram matrix {@code A Aᵀ (+ 1 when the layer has a bias)} of the fixed input A of the
     * first trainable layer, or null when {@link SgdEngine} does not update that layer incrementally.
     * Compute it once and share it between engines (it is only read).
     */
    public static Matrix inputGram(Network net, Dataset data) {
        int l = lowestTrainable(net.layers());
        if (!usesIncrementalFirstLayer(net, data, 1)) {
            return null;
        }
        Matrix a = data.x();
        double[] frozen = net.frozenWeights();
        for (int j = 0; j < l; j++) {
            Matrix next = new Matrix(a.rows, net.layers().get(j).outputSize());
            net.layers().get(j).forward(a, frozen, net.offset(j), next);
            a = next;
        }
        Matrix g = Blas.get().gram(a, false);
        if (((Dense) net.layers().get(l)).hasBias()) {
            for (int i = 0; i < g.data.length; i++) {
                g.data[i] += 1.0;
            }
        }
        return g;
    }

    /**
     * Starts a trajectory at {@code start}.
     *
     * @param start θ_0, length p. Not modified (copied).
     */
    public void reset(double[] start) {
        if (start.length != theta.length) {
            throw new IllegalArgumentException("θ has length " + start.length + ", the network has " + theta.length + " parameters");
        }
        System.arraycopy(start, 0, theta, 0, theta.length);
        current = false;
        preactivationsValid = false;
    }

    /** The current parameters, copied. */
    public double[] theta() {
        return theta.clone();
    }

    /** L(θ) = (1/2n) Σ ‖f(x_i) − y_i‖² over the whole data set at the current θ. */
    public double loss() {
        forwardAll();
        Matrix out = acts[layers.size()];
        double s = 0;
        double[] f = out.data;
        double[] t = y.data;
        for (int i = 0; i < f.length; i++) {
            double e = f[i] - t[i];
            s += e * e;
        }
        return s / (2.0 * n);
    }

    private void forwardAll() {
        if (current) {
            return;
        }
        int depth = layers.size();
        for (int l = lowest; l < depth; l++) {
            if (l == lowest && inputGram != null && preactivationsValid) {
                continue;
            }
            Layer layer = layers.get(l);
            layer.forward(acts[l], storage(l), offsets[l], acts[l + 1]);
        }
        if (inputGram != null && !preactivationsValid) {
            preactivationsValid = true;
            sinceRefresh = 0;
        }
        current = true;
    }

    private double[] storage(int l) {
        return layers.get(l).trainable() ? theta : frozen;
    }

    /**
     * One SGD step θ ← θ − (η/B) Σ_b ∇L_{batch[b]}(θ).
     *
     * @param batchIndices the B sample indices (repeats allowed). Not modified.
     */
    public void step(int[] batchIndices) {
        if (batchIndices.length != batch) {
            throw new IllegalArgumentException("batch has " + batchIndices.length + " indices, expected " + batch);
        }
        forwardAll();
        int depth = layers.size();
        if (lowest >= depth) {
            return;
        }
        for (int l = lowest; l <= depth; l++) {
            gatherRows(acts[l], batchIndices, batchActs[l]);
        }
        Matrix g = batchSens[depth];
        int k = y.cols;
        double inv = 1.0 / batch;
        for (int r = 0; r < batch; r++) {
            int src = batchIndices[r] * k;
            for (int c = 0; c < k; c++) {
                g.data[r * k + c] = (batchActs[depth].data[r * k + c] - y.data[src + c]) * inv;
            }
        }
        Arrays.fill(grad, 0.0);
        for (int l = depth - 1; l >= lowest; l--) {
            Layer layer = layers.get(l);
            Matrix gIn = l > lowest ? batchSens[l] : null;
            boolean accumulate = layer.trainable() && layer.paramCount() > 0;
            layer.backward(batchActs[l], batchActs[l + 1], storage(l), offsets[l], batchSens[l + 1], gIn,
                    accumulate ? grad : null, offsets[l]);
        }
        if (inputGram != null) {
            updatePreactivations(batchIndices, batchSens[lowest + 1]);
        }
        for (int j = 0; j < theta.length; j++) {
            theta[j] -= lr * grad[j];
        }
        current = false;
    }

    /** acts[lowest+1] += K[:, batch] · (−η g), or a scheduled exact refresh. */
    private void updatePreactivations(int[] batchIndices, Matrix g) {
        if (++sinceRefresh >= REFRESH_EVERY) {
            preactivationsValid = false;
            return;
        }
        double[] kd = inputGram.data;
        double[] cols = gramColumns.data;
        for (int i = 0; i < n; i++) {
            int row = i * n;
            for (int r = 0; r < batch; r++) {
                cols[i * batch + r] = kd[row + batchIndices[r]];
            }
        }
        int out = delta.cols;
        for (int q = 0; q < delta.data.length; q++) {
            delta.data[q] = -lr * g.data[q];
        }
        Matrix z = acts[lowest + 1];
        Blas.get().gemm(false, false, n, out, batch, 1.0, cols, 0, batch, delta.data, 0, out, 1.0, z.data, 0, out);
    }

    private static void gatherRows(Matrix src, int[] rows, Matrix dst) {
        int c = src.cols;
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(src.data, rows[r] * c, dst.data, r * c, c);
        }
    }
}
