package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Matrix;

/**
 * One layer type of a feed-forward network. Layers are immutable descriptions: their
 * parameters live in a flat array owned by the caller ({@code w}, starting at {@code off}), so θ,
 * gradients and Hessian-vector directions are plain vectors and many trajectories can share a layer.
 *
 * <h2>Row conventions</h2>
 * The forward input {@code in} has one row per sample (n × inputSize). Every other batch argument
 * is a <em>stacked</em> batch whose row count is a multiple s·n of n, and row q belongs to sample
 * {@code q % n}: s = K for the K output sensitivities of the NTK Gram, s = m for a block of m
 * Hessian-vector directions (block j occupies rows j·n .. j·n+n−1).
 *
 * <h2>Directions</h2>
 * A block of m parameter-space directions is an m × p matrix {@code dirs}; this layer's part of
 * direction j starts at {@code dirs.data[j * p + dirOff]}, laid out like its parameters. A frozen
 * layer (or a layer without parameters) receives {@code dirs == null}.
 *
 * <h2>Images</h2>
 * Image activations are rows too: a sample of shape (C, H, W) is flattened in C order (PyTorch's
 * NCHW), see {@link ImageShape}; image layers know their spatial shapes from construction.
 *
 * <p>Null tangents mean zero: passing {@code dIn == null} or {@code gOut == null} lets a layer skip work.
 */
public sealed interface Layer
        permits Dense, Diagonal, Elementwise, Conv2d, Pool2d, FixedLinear, BatchNorm2d, Residual {

    /** Features per sample at the input. */
    int inputSize();

    /** Features per sample at the output. */
    int outputSize();

    /** The spec name of this layer type, as in model JSON ("linear", "tanh", ...). */
    String typeName();

    /** Parameter tensors in storage order, with PyTorch's names; empty for activations. */
    List<ParamTensor> parameters();

    /** Whether the parameters are part of θ (false: frozen, stored outside θ). */
    boolean trainable();

    /** Total number of stored parameters. */
    default int paramCount() {
        int s = 0;
        for (ParamTensor t : parameters()) {
            s += t.size();
        }
        return s;
    }

    /**
     * out = layer(in).
     *
     * @param in  n × inputSize. Not modified.
     * @param w   parameter storage, this layer's from {@code off}. Not modified.
     * @param out n × outputSize. Modified.
     */
    void forward(Matrix in, double[] w, int off, Matrix out);

    /**
     * Vector-Jacobian product for a stacked batch of output sensitivities.
     *
     * @param in     the forward input, n × inputSize. Not modified.
     * @param out    the forward output, n × outputSize. Not modified.
     * @param gOut   sensitivities at the output, s·n × outputSize. Not modified.
     * @param gIn    sensitivities at the input, s·n × inputSize, or null if not needed. Modified (overwritten).
     * @param grad   parameter gradient accumulator, or null; the sum over all rows is ADDED from {@code gradOff}. Modified.
     */
    void backward(Matrix in, Matrix out, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff);

    /**
     * Whether {@link #backward} accepts {@code gIn == gOut} (the same matrix), overwriting the
     * output sensitivities with the input ones. True for elementwise layers, whose backward reads
     * each entry before writing it; callers use it to avoid a stacked-batch-sized allocation.
     */
    default boolean backwardInPlace() {
        return false;
    }

    /**
     * Whether {@link #forward}, {@link #backward} (gIn), {@link #rForward} (dOut) and
     * {@link #rBackward} (rgIn) write every element of their output before reading it, so that
     * callers may pass a reused buffer with stale contents instead of a zeroed one.
     */
    default boolean overwritesOutputs() {
        return false;
    }

    /**
     * Adds this layer's contribution to the empirical NTK Gram matrix: for stacked rows a, b,
     * {@code gram[a][b] += ⟨∂(sens_a · out_{a%n})/∂w, ∂(sens_b · out_{b%n})/∂w⟩}, computed without
     * forming per-sample gradients where that is cheaper.
     *
     * @param sens K·n × outputSize sensitivities (row k·n + i: ∂f_k(x_i)/∂out_i). Not modified.
     * @param gram K·n × K·n. Modified (accumulated).
     */
    void addGram(Matrix in, Matrix out, double[] w, int off, Matrix sens, Matrix gram);

    /**
     * Forward pass of directional derivatives (Pearlmutter's R-operator) for m directions:
     * dOut = ∂out/∂in · dIn + ∂out/∂w · dirs.
     *
     * @param dirs m × p directions, or null (this layer's direction is zero). Not modified.
     * @param dIn  m·n × inputSize input tangents, or null (zero). Not modified.
     * @param dOut m·n × outputSize output tangents. Modified (overwritten).
     */
    void rForward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut);

    /**
     * Backward pass of the R-operator: given the output sensitivity g = gOut (n rows, shared by all
     * directions) and its directional derivative rgOut (m·n rows), computes the directional
     * derivative of the input sensitivity and adds the directional derivative of the parameter
     * gradient, which is this layer's block of H·v, to {@code hv}.
     *
     * <p>With {@code gOut == null} the second-order terms vanish and this is the Gauss–Newton
     * (Jᵀ·J·v) backward pass.
     *
     * @param dIn   m·n × inputSize input tangents from {@link #rForward}, or null (zero). Not modified.
     * @param gOut  n × outputSize output sensitivity, or null (zero). Not modified.
     * @param rgOut m·n × outputSize. Not modified.
     * @param rgIn  m·n × inputSize, or null if not needed. Modified (overwritten).
     * @param hv    m × p, or null for frozen layers; this layer's block is ADDED at {@code dirOff}. Modified.
     */
    void rBackward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff,
                   Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv);
}
