package org.sgdstab.nn;

import java.util.List;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.VectorMath;

/**
 * An elementwise activation z = f(a) without parameters. A subclass supplies only f, f′ and f″;
 * backward, the R-operator pair and the (empty) Gram contribution are written once here.
 */
public abstract sealed class Elementwise implements Layer permits Tanh, Relu, Sigmoid, Gelu, Identity {
    private final int dim;

    protected Elementwise(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("activation needs a positive width, got " + dim);
        }
        this.dim = dim;
    }

    /** f(x). */
    protected abstract double value(double x);

    /** f′(x), given also y = f(x) so that tanh and sigmoid need no second evaluation. */
    protected abstract double derivative(double x, double y);

    /** f″(x), given also y = f(x). */
    protected abstract double secondDerivative(double x, double y);

    /** True when f″ vanishes almost everywhere (ReLU, identity), so R-backward can skip it. */
    protected boolean secondDerivativeIsZero() {
        return false;
    }

    @Override
    public final int inputSize() {
        return dim;
    }

    @Override
    public final int outputSize() {
        return dim;
    }

    @Override
    public final List<ParamTensor> parameters() {
        return List.of();
    }

    @Override
    public final boolean trainable() {
        return false;
    }

    @Override
    public final void forward(Matrix in, double[] w, int off, Matrix out) {
        values(in.data, out.data);
    }

    /** z[i] = f(a[i]) for every i; a subclass may override with a vectorised kernel. Modifies z. */
    protected void values(double[] a, double[] z) {
        for (int i = 0; i < a.length; i++) {
            z[i] = value(a[i]);
        }
    }

    /**
     * True when f″ = r(y)·f′ everywhere for some r of the output y = f(x) (see {@link #curvatureRatio}),
     * or f″ vanishes. Then the second-order term of R-backward, g ∘ f″ ∘ R{a}, equals
     * g ∘ r(y) ∘ R{f(a)}, so it needs only the OUTPUT tangent and the input tangent may be overwritten.
     */
    protected boolean hasCurvatureRatio() {
        return secondDerivativeIsZero();
    }

    /** r = f″/f′ given x and y = f(x), for activations with {@link #hasCurvatureRatio()}; unused otherwise. */
    protected double curvatureRatio(double x, double y) {
        return 0.0;
    }

    @Override
    public final void backward(Matrix in, Matrix out, double[] w, int off, Matrix gOut, Matrix gIn, double[] grad, int gradOff) {
        if (gIn != null) {
            multiplyByDerivative(in.data, out.data, gOut.data, gIn.data);
        }
    }

    @Override
    public final boolean overwritesOutputs() {
        return true;
    }

    /** Each entry of gIn depends only on the same entry of gOut. */
    @Override
    public final boolean backwardInPlace() {
        return true;
    }

    @Override
    public final void addGram(Matrix in, Matrix out, double[] w, int off, Matrix sens, Matrix gram) {
        // No parameters, no contribution.
    }

    @Override
    public final void rForward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff, Matrix dIn, Matrix dOut) {
        if (dIn == null) {
            dOut.zeroInPlace();
            return;
        }
        multiplyByDerivative(in.data, out.data, dIn.data, dOut.data);
    }

    /** Elements per chunk of the fused R-passes: the chunk's f′ and f″ stay in L1 while all blocks use them. */
    private static final int CHUNK = 1024;

    @Override
    public final void rBackward(Matrix in, Matrix out, double[] w, int off, Matrix dirs, int dirOff,
                                Matrix dIn, Matrix gOut, Matrix rgOut, Matrix rgIn, Matrix hv) {
        if (rgIn == null) {
            return;
        }
        boolean second = gOut != null && dIn != null && !secondDerivativeIsZero();
        if (!second) {
            multiplyByDerivative(in.data, out.data, rgOut.data, rgIn.data);
            return;
        }
        // One fused pass: R{g_in} = f′(a) ∘ R{g_out} + g_out ∘ f″(a) ∘ R{a}.
        secondOrderPass(in.data, out.data, gOut.data, rgOut.data, dIn.data, rgIn.data, false);
    }

    /**
     * The forward tangent in place, for {@link Network}'s R-operator when {@link #hasCurvatureRatio()}:
     * tangent ← f′(a) ∘ tangent, so that the input tangent's buffer becomes the output tangent.
     *
     * @param tangent m·n × dim. Modified.
     */
    final void rForwardInPlace(Matrix in, Matrix out, Matrix tangent) {
        multiplyByDerivative(in.data, out.data, tangent.data, tangent.data);
    }

    /**
     * R-backward in place from the OUTPUT tangent, valid when {@link #hasCurvatureRatio()} or gOut is null:
     * rg ← f′(a) ∘ rg + g ∘ r(y) ∘ R{f(a)}, with R{f(a)} = f′(a) ∘ R{a} the output tangent.
     * The result equals {@link #rBackward}'s to rounding (f″·t is evaluated as r·(f′·t)).
     *
     * @param gOut       n × dim output sensitivity, or null (Gauss–Newton: no second-order term). Not modified.
     * @param outTangent m·n × dim output tangent from {@link #rForwardInPlace}. Not modified.
     * @param rg         m·n × dim: R{g_out} on entry, R{g_in} on return. Modified.
     */
    final void rBackwardInPlace(Matrix in, Matrix out, Matrix gOut, Matrix outTangent, Matrix rg) {
        if (gOut == null || secondDerivativeIsZero()) {
            multiplyByDerivative(in.data, out.data, rg.data, rg.data);
            return;
        }
        if (!hasCurvatureRatio()) {
            throw new IllegalStateException(typeName() + " has no curvature ratio; its second-order term needs the input tangent");
        }
        secondOrderPass(in.data, out.data, gOut.data, rg.data, outTangent.data, rg.data, true);
    }

    /**
     * r[q] = f′(a) ∘ src[q] + g ∘ c(a) ∘ t[q] over a stacked batch, with c = f″ (the input tangent in
     * t) or, when {@code ratio}, c = f″/f′ (the output tangent in t). f′ and g ∘ c are computed once
     * per chunk of the per-sample block and applied to every stacked block; r may be src. Modifies r.
     */
    private void secondOrderPass(double[] a, double[] z, double[] g, double[] src, double[] t, double[] r, boolean ratio) {
        int block = a.length;
        ParallelRanges.run(block, CHUNK, r.length, (from, to) -> {
            double[] d1 = new double[CHUNK];
            double[] g2 = new double[CHUNK];
            for (int start = from; start < to; start += CHUNK) {
                int len = Math.min(CHUNK, to - start);
                for (int i = 0; i < len; i++) {
                    double x = a[start + i];
                    double y = z[start + i];
                    d1[i] = derivative(x, y);
                    g2[i] = g[start + i] * (ratio ? curvatureRatio(x, y) : secondDerivative(x, y));
                }
                for (int base = start; base < r.length; base += block) {
                    VectorMath.multiplyAdd(d1, 0, src, base, g2, 0, t, base, r, base, len);
                }
            }
        });
    }

    /**
     * d[i] = f′(a[from + i]) given z = f(a), for i < len; a subclass may override with a specialised
     * loop (this generic one calls {@link #derivative} per entry, a call site that several
     * activations make megamorphic, so the JIT cannot inline it). Modifies d.
     */
    protected void derivatives(double[] a, double[] z, int from, double[] d, int len) {
        for (int i = 0; i < len; i++) {
            d[i] = derivative(a[from + i], z[from + i]);
        }
    }

    /**
     * dst[q] = f′(a[q % (n·dim)]) · src[q] over a stacked batch; dst may be src. f′ is computed once
     * per chunk of the per-sample block and applied to every stacked block, so no n × dim derivative
     * array is allocated and each element of src and dst is touched once. Large passes are split
     * over the cores by ranges of the per-sample block (bit-identical for any thread count).
     */
    private void multiplyByDerivative(double[] a, double[] z, double[] src, double[] dst) {
        int block = a.length;
        ParallelRanges.run(block, CHUNK, dst.length, (from, to) -> {
            double[] d = new double[Math.min(CHUNK, to - from)];
            for (int start = from; start < to; start += CHUNK) {
                int len = Math.min(CHUNK, to - start);
                derivatives(a, z, start, d, len);
                for (int base = start; base < dst.length; base += block) {
                    VectorMath.multiply(d, 0, src, base, dst, base, len);
                }
            }
        });
    }
}
