package org.sgdstab.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;

/**
 * A sequential network: its layers plus the weights of its frozen layers. Trainable parameters
 * θ (length p) are not stored here but passed to every method, so one network serves many
 * parameter vectors (trajectories, checkpoints) at once and is safe to share between threads.
 *
 * <p>Loss convention (theory.md §1): e_i = f(x_i) − y_i, L = (1/2n) Σ_i ‖e_i‖².
 * NTK Gram index convention: row/column i·K + k for sample i and output k.
 */
public final class Network {
    private final List<Layer> layers;
    private final int[] offsets;
    private final double[] frozen;
    private final int parameterCount;
    private final int lowestTrainable;
    /** Scratch buffers of the gradient, the Hessian / Gauss–Newton products and Θ, reused between calls. */
    private final BufferPool buffers = new BufferPool();

    /**
     * @param layers        the layers in order; each layer's input size must equal the previous output size
     * @param frozenWeights the parameters of the frozen layers, concatenated in layer order. Copied.
     */
    public Network(List<Layer> layers, double[] frozenWeights) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a network needs at least one layer");
        }
        this.layers = List.copyOf(layers);
        this.offsets = new int[layers.size()];
        int p = 0;
        int f = 0;
        int lowest = layers.size();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (l > 0 && layer.inputSize() != layers.get(l - 1).outputSize()) {
                throw new IllegalArgumentException("layer " + l + " (" + layer.typeName() + ") expects " + layer.inputSize()
                        + " inputs but layer " + (l - 1) + " gives " + layers.get(l - 1).outputSize());
            }
            if (layer.trainable()) {
                offsets[l] = p;
                p += layer.paramCount();
                if (layer.paramCount() > 0) {
                    lowest = Math.min(lowest, l);
                }
            } else {
                offsets[l] = f;
                f += layer.paramCount();
            }
        }
        if (frozenWeights.length != f) {
            throw new IllegalArgumentException("frozen layers hold " + f + " parameters, got " + frozenWeights.length);
        }
        this.frozen = frozenWeights.clone();
        this.parameterCount = p;
        this.lowestTrainable = lowest;
    }

    public List<Layer> layers() {
        return layers;
    }

    /** p, the number of trainable parameters (the length of θ). */
    public int parameterCount() {
        return parameterCount;
    }

    public int inputSize() {
        return layers.get(0).inputSize();
    }

    /** K, the number of outputs. */
    public int outputSize() {
        return layers.get(layers.size() - 1).outputSize();
    }

    /** Offset of layer l's parameters, in θ if it is trainable, else in the frozen weights. */
    public int offset(int l) {
        return offsets[l];
    }

    /** A copy of the frozen layers' weights. */
    public double[] frozenWeights() {
        return frozen.clone();
    }

    private double[] storage(int l, double[] theta) {
        return layers.get(l).trainable() ? theta : frozen;
    }

    private void checkTheta(double[] theta) {
        if (theta.length != parameterCount) {
            throw new IllegalArgumentException("θ has length " + theta.length + ", the network has " + parameterCount + " parameters");
        }
    }

    private void checkInputs(Matrix x) {
        if (x.cols != inputSize()) {
            throw new IllegalArgumentException("inputs have " + x.cols + " features, the network expects " + inputSize());
        }
    }

    private void checkTargets(Matrix x, Matrix y) {
        if (y.rows != x.rows || y.cols != outputSize()) {
            throw new IllegalArgumentException("targets have shape " + y.shape() + ", expected " + x.rows + "x" + outputSize());
        }
    }

    /** The activations of one forward pass: a_0 = x, a_{l+1} = layer_l(a_l). */
    public record ForwardPass(List<Matrix> activations) {
        public Matrix output() {
            return activations.get(activations.size() - 1);
        }

        public Matrix input(int layer) {
            return activations.get(layer);
        }
    }

    /** Runs the network on x (n × inputSize). Neither argument is modified. */
    public ForwardPass forward(double[] theta, Matrix x) {
        return forward(theta, x, null);
    }

    /**
     * {@link #forward(double[], Matrix)} with the activations in buffers of {@code scratch} (null:
     * newly allocated), for passes that do not outlive the caller's lease.
     */
    private ForwardPass forward(double[] theta, Matrix x, BufferPool.Lease scratch) {
        checkTheta(theta);
        checkInputs(x);
        List<Matrix> acts = new ArrayList<>(layers.size() + 1);
        acts.add(x);
        Matrix a = x;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            Matrix z = scratch == null ? new Matrix(x.rows, layer.outputSize())
                    : scratch.matrix(x.rows, layer.outputSize(), layer.overwritesOutputs());
            layer.forward(a, storage(l, theta), offsets[l], z);
            acts.add(z);
            a = z;
        }
        return new ForwardPass(Collections.unmodifiableList(acts));
    }

    /** f(x), n × K. */
    public Matrix predict(double[] theta, Matrix x) {
        return forward(theta, x).output();
    }

    /** Residuals e = f(x) − y, n × K. */
    public Matrix residuals(double[] theta, Matrix x, Matrix y) {
        checkTargets(x, y);
        return predict(theta, x).addInPlace(-1.0, y);
    }

    /** L = (1/2n) Σ ‖f(x_i) − y_i‖². */
    public double loss(double[] theta, Matrix x, Matrix y) {
        return squaredNorm(residuals(theta, x, y)) / (2.0 * x.rows);
    }

    /**
     * Loss and its gradient ∇L.
     *
     * @param grad length p. Modified (overwritten with ∇L).
     * @return L
     */
    public double lossAndGradient(double[] theta, Matrix x, Matrix y, double[] grad) {
        checkTargets(x, y);
        if (grad.length != parameterCount) {
            throw new IllegalArgumentException("gradient buffer has length " + grad.length + ", expected " + parameterCount);
        }
        // Activations and sensitivities live in pool buffers: repeated full-batch gradients
        // allocate nothing of size n × width.
        try (BufferPool.Lease scratch = buffers.lease()) {
            ForwardPass pass = forward(theta, x, scratch);
            Matrix g = pass.output().copy().addInPlace(-1.0, y);
            double loss = squaredNorm(g) / (2.0 * x.rows);
            g.scaleInPlace(1.0 / x.rows);
            java.util.Arrays.fill(grad, 0.0);
            backpropagate(theta, pass, g, grad, scratch);
            return loss;
        }
    }

    /**
     * Backward pass of sensitivities g (s·n × K) from the output; parameter gradients are added to
     * grad (or skipped if null). Sensitivity buffers come from {@code scratch} unless it is null.
     */
    private void backpropagate(double[] theta, ForwardPass pass, Matrix g, double[] grad, BufferPool.Lease scratch) {
        for (int l = layers.size() - 1; l >= lowestTrainable; l--) {
            Layer layer = layers.get(l);
            Matrix gIn = null;
            if (l > lowestTrainable) {
                gIn = scratch == null ? new Matrix(g.rows, layer.inputSize())
                        : scratch.matrix(g.rows, layer.inputSize(), layer.overwritesOutputs());
            }
            boolean accumulate = grad != null && layer.trainable() && layer.paramCount() > 0;
            layer.backward(pass.input(l), pass.input(l + 1), storage(l, theta), offsets[l], g,
                    gIn, accumulate ? grad : null, offsets[l]);
            if (scratch != null) {
                scratch.release(g);
            }
            g = gIn;
        }
    }

    /**
     * The empirical NTK Gram matrix Θ (nK × nK), Θ_{iK+k, jK+l} = ⟨∇θ f_k(x_i), ∇θ f_l(x_j)⟩,
     * built layer by layer from activations and backpropagated output sensitivities; no
     * per-sample gradient of a dense layer is formed. Memory O(n²K² + n·K·width).
     */
    public Matrix ntkGram(double[] theta, Matrix x) {
        return ntkGram(theta, forward(theta, x));
    }

    /**
     * Θ from an existing forward pass at θ (so callers that also need the outputs run the network
     * once). The pass must come from {@link #forward} with the same θ.
     */
    public Matrix ntkGram(double[] theta, ForwardPass pass) {
        checkTheta(theta);
        int n = pass.input(0).rows;
        int k = outputSize();
        int rows = n * k;
        // Sensitivities are stacked k-major (row k·n + i) so every layer sees the plain "row q is sample q % n" layout.
        Matrix sens = new Matrix(rows, k);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                sens.data[(c * n + i) * k + c] = 1.0;
            }
        }
        Matrix gramKMajor = new Matrix(rows, rows);
        // The stacked sensitivities (nK × width, the largest arrays of the computation for CNNs) come
        // from the pool and go back at the end: repeated Θ of one network allocates none of them.
        try (BufferPool.Lease scratch = buffers.lease()) {
            for (int l = layers.size() - 1; l >= lowestTrainable; l--) {
                Layer layer = layers.get(l);
                if (layer.trainable() && layer.paramCount() > 0) {
                    layer.addGram(pass.input(l), pass.input(l + 1), theta, offsets[l], sens, gramKMajor);
                }
                if (l > lowestTrainable) {
                    Matrix gIn = layer.backwardInPlace() ? sens
                            : scratch.matrix(rows, layer.inputSize(), layer.overwritesOutputs());
                    layer.backward(pass.input(l), pass.input(l + 1), storage(l, theta), offsets[l], sens, gIn, null, 0);
                    if (gIn != sens) {
                        scratch.release(sens);
                    }
                    sens = gIn;
                }
            }
        }
        if (k == 1) {
            return gramKMajor;
        }
        Matrix gram = new Matrix(rows, rows);
        for (int a = 0; a < rows; a++) {
            int ia = (a % n) * k + a / n;
            for (int b = 0; b < rows; b++) {
                gram.data[ia * rows + (b % n) * k + b / n] = gramKMajor.data[a * rows + b];
            }
        }
        return gram;
    }

    /**
     * Per-sample Jacobian J (nK × p), row i·K + k = ∇θ f_k(x_i), by one backward pass per row.
     * A reference for tests and an option for tiny models; O(nK·p) memory.
     */
    public Matrix jacobian(double[] theta, Matrix x) {
        checkTheta(theta);
        checkInputs(x);
        int n = x.rows;
        int k = outputSize();
        Matrix jac = new Matrix(n * k, parameterCount);
        for (int i = 0; i < n; i++) {
            Matrix xi = new Matrix(1, x.cols, x.row(i));
            ForwardPass single = forward(theta, xi);
            for (int c = 0; c < k; c++) {
                Matrix g = new Matrix(1, k);
                g.data[c] = 1.0;
                double[] row = new double[parameterCount];
                backpropagate(theta, single, g, row, null);
                System.arraycopy(row, 0, jac.data, (i * k + c) * parameterCount, parameterCount);
            }
        }
        return jac;
    }

    /**
     * Exact Hessian-vector products H·v of the loss for a block of m directions, by the
     * R-operator: a forward pass of directional derivatives, then a backward pass of their
     * adjoints, including the residual (second-derivative) term.
     *
     * @param dirs m × p directions (rows). Not modified.
     * @param out  m × p. Modified (overwritten with H·v per row).
     */
    public void hessianVectorProduct(double[] theta, Matrix x, Matrix y, Matrix dirs, Matrix out) {
        checkTargets(x, y);
        curvatureProduct(theta, x, y, dirs, out);
    }

    /**
     * Gauss–Newton (Fisher) products G·v = (1/n) Jᵀ(J v) for a block of directions: the same
     * R-forward pass, then a backward pass without second-order terms.
     *
     * @param dirs m × p. Not modified.
     * @param out  m × p. Modified.
     */
    public void gaussNewtonVectorProduct(double[] theta, Matrix x, Matrix dirs, Matrix out) {
        curvatureProduct(theta, x, null, dirs, out);
    }

    private void curvatureProduct(double[] theta, Matrix x, Matrix y, Matrix dirs, Matrix out) {
        Matrix.requireShape(out, dirs.rows, parameterCount, "output block");
        if (dirs.cols != parameterCount) {
            throw new IllegalArgumentException("directions have " + dirs.cols + " columns, the network has " + parameterCount + " parameters");
        }
        int n = x.rows;
        int m = dirs.rows;
        int depth = layers.size();
        // The buffers of this call (activations, tangents, R-sensitivities) come from the pool and all
        // go back at the end; those already consumed are released for reuse within the call.
        try (BufferPool.Lease scratch = buffers.lease()) {
            ForwardPass pass = forward(theta, x, scratch);
            Matrix[] tangents = new Matrix[depth + 1];
            // inPlace[l]: activation l overwrote its input tangent with its output tangent. Only its
            // own R-backward reads its input tangent, and with the curvature ratio (or without the
            // second-order term, Gauss–Newton) that needs the output tangent alone: one buffer and
            // one memory stream less per activation.
            boolean[] inPlace = new boolean[depth];
            for (int l = 0; l < depth; l++) {
                Layer layer = layers.get(l);
                boolean moves = layer.trainable() && layer.paramCount() > 0;
                if (tangents[l] == null && !moves) {
                    continue;
                }
                if (tangents[l] != null && layer instanceof Elementwise act && (y == null || act.hasCurvatureRatio())) {
                    act.rForwardInPlace(pass.input(l), pass.input(l + 1), tangents[l]);
                    tangents[l + 1] = tangents[l];
                    inPlace[l] = true;
                    continue;
                }
                tangents[l + 1] = scratch.matrix(m * n, layer.outputSize(), layer.overwritesOutputs());
                layer.rForward(pass.input(l), pass.input(l + 1), storage(l, theta), offsets[l],
                        moves ? dirs : null, offsets[l], tangents[l], tangents[l + 1]);
            }
            if (tangents[depth] == null) {
                out.zeroInPlace();
                return;
            }
            // Dense layers overwrite their whole block of every row of out (see below); only the
            // blocks of the other layers are zeroed, instead of the whole m × p output.
            for (int l = 0; l < depth; l++) {
                Layer layer = layers.get(l);
                if (layer.trainable() && layer.paramCount() > 0 && !(layer instanceof Dense)) {
                    for (int j = 0; j < m; j++) {
                        int start = j * parameterCount + offsets[l];
                        java.util.Arrays.fill(out.data, start, start + layer.paramCount(), 0.0);
                    }
                }
            }
            Matrix g = null;
            if (y != null) {
                g = pass.output().copy().addInPlace(-1.0, y).scaleInPlace(1.0 / n);
            }
            Matrix top = tangents[depth];
            Matrix rg = scratch.matrix(top.rows, top.cols, true);
            double scale = 1.0 / n;
            for (int i = 0; i < rg.data.length; i++) {
                rg.data[i] = top.data[i] * scale;
            }
            for (int l = depth - 1; l >= lowestTrainable; l--) {
                Layer layer = layers.get(l);
                boolean moves = layer.trainable() && layer.paramCount() > 0;
                boolean below = l > lowestTrainable;
                double[] w = storage(l, theta);
                Matrix rgIn;
                if (inPlace[l]) {
                    ((Elementwise) layer).rBackwardInPlace(pass.input(l), pass.input(l + 1), g, tangents[l + 1], rg);
                    rgIn = rg;
                } else {
                    rgIn = below ? scratch.matrix(m * n, layer.inputSize(), layer.overwritesOutputs()) : null;
                    if (moves && layer instanceof Dense dense) {
                        dense.rBackward(pass.input(l), pass.input(l + 1), w, offsets[l], dirs, offsets[l],
                                tangents[l], g, rg, rgIn, out, true);
                    } else {
                        layer.rBackward(pass.input(l), pass.input(l + 1), w, offsets[l], moves ? dirs : null, offsets[l],
                                tangents[l], g, rg, rgIn, moves ? out : null);
                    }
                    scratch.release(rg);
                }
                if (below && g != null) {
                    Matrix gIn = scratch.matrix(n, layer.inputSize(), layer.overwritesOutputs());
                    layer.backward(pass.input(l), pass.input(l + 1), w, offsets[l], g, gIn, null, 0);
                    scratch.release(g);
                    g = gIn;
                }
                // The input tangent is dead now, unless an in-place activation below shares it.
                if (tangents[l] != null && !(l > 0 && inPlace[l - 1])) {
                    scratch.release(tangents[l]);
                }
                rg = rgIn;
            }
        }
    }

    /** The Hessian of the loss at θ on (x, y) as a block operator. θ, x, y must not change while it is used. */
    public LinearOperator hessian(double[] theta, Matrix x, Matrix y) {
        checkTheta(theta);
        checkTargets(x, y);
        return new LinearOperator() {
            @Override
            public int dim() {
                return parameterCount;
            }

            @Override
            public void apply(Matrix v, Matrix out) {
                hessianVectorProduct(theta, x, y, v, out);
            }
        };
    }

    /** The Fisher / Gauss–Newton matrix G = (1/n) Σ J_iᵀ J_i at θ on x as a block operator. */
    public LinearOperator gaussNewton(double[] theta, Matrix x) {
        checkTheta(theta);
        checkInputs(x);
        return new LinearOperator() {
            @Override
            public int dim() {
                return parameterCount;
            }

            @Override
            public void apply(Matrix v, Matrix out) {
                gaussNewtonVectorProduct(theta, x, v, out);
            }
        };
    }

    private static double squaredNorm(Matrix m) {
        double s = 0;
        for (double v : m.data) {
            s += v * v;
        }
        return s;
    }
}
