package org.sgdstab.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD versions of {@link TanhKernel}, loaded only when the {@code jdk.incubator.vector} module is
 * present. Each lane performs exactly the scalar kernel's operations (only correctly rounded
 * lanewise arithmetic, fma and integer bit operations), so results match it bit for bit.
 */
final class SimdKernels {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private SimdKernels() {
    }

    /** Fills out[0, bound) for the largest SIMD-aligned bound ≤ length and returns it; the caller does the tail. */
    static int tanh(double[] in, double[] out, int length) {
        int bound = SPECIES.loopBound(length);
        double[] c = TanhKernel.INV_FACTORIALS;
        DoubleVector ln2Hi = DoubleVector.broadcast(SPECIES, TanhKernel.LN2_HI);
        DoubleVector ln2Lo = DoubleVector.broadcast(SPECIES, TanhKernel.LN2_LO);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            DoubleVector x = DoubleVector.fromArray(SPECIES, in, i);
            DoubleVector a = x.lanewise(VectorOperators.ABS).min(TanhKernel.SATURATION);
            DoubleVector y = a.add(a);
            DoubleVector t = y.fma(TanhKernel.INV_LN2, TanhKernel.ROUNDER);
            LongVector kBits = t.reinterpretAsLongs().sub(TanhKernel.ROUNDER_BITS);
            DoubleVector k = t.sub(TanhKernel.ROUNDER);
            DoubleVector negK = k.neg();
            DoubleVector r = negK.fma(ln2Hi, y);
            r = negK.fma(ln2Lo, r);
            DoubleVector q = DoubleVector.broadcast(SPECIES, c[0]);
            for (int j = 1; j < c.length; j++) {
                q = q.fma(r, DoubleVector.broadcast(SPECIES, c[j]));
            }
            DoubleVector p = r.mul(r).fma(q, r);
            DoubleVector s = kBits.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
            DoubleVector em1 = s.fma(p, s.sub(1.0));
            DoubleVector th = em1.div(em1.add(2.0));
            LongVector sign = x.reinterpretAsLongs().and(TanhKernel.SIGN_MASK);
            th.reinterpretAsLongs().or(sign).reinterpretAsDoubles().intoArray(out, i);
        }
        return bound;
    }

    /** out = a ∘ x over [0, bound) for the largest SIMD-aligned bound ≤ length; returns bound. */
    static int multiply(double[] a, int aOff, double[] x, int xOff, double[] out, int outOff, int length) {
        int bound = SPECIES.loopBound(length);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, a, aOff + i).mul(DoubleVector.fromArray(SPECIES, x, xOff + i))
                    .intoArray(out, outOff + i);
        }
        return bound;
    }

    /** out = a ∘ x + b ∘ y (two products, one sum) over [0, bound); returns bound. */
    static int multiplyAdd(double[] a, int aOff, double[] x, int xOff, double[] b, int bOff, double[] y, int yOff,
                           double[] out, int outOff, int length) {
        int bound = SPECIES.loopBound(length);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            DoubleVector ax = DoubleVector.fromArray(SPECIES, a, aOff + i).mul(DoubleVector.fromArray(SPECIES, x, xOff + i));
            DoubleVector by = DoubleVector.fromArray(SPECIES, b, bOff + i).mul(DoubleVector.fromArray(SPECIES, y, yOff + i));
            ax.add(by).intoArray(out, outOff + i);
        }
        return bound;
    }

    /** out = 1 where a &gt; 0, else 0 (NaN gives 0), over [0, bound); returns bound. */
    static int positiveIndicator(double[] a, int aOff, double[] out, int outOff, int length) {
        int bound = SPECIES.loopBound(length);
        DoubleVector zero = DoubleVector.zero(SPECIES);
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
        for (int i = 0; i < bound; i += SPECIES.length()) {
            DoubleVector v = DoubleVector.fromArray(SPECIES, a, aOff + i);
            zero.blend(one, v.compare(VectorOperators.GT, 0.0)).intoArray(out, outOff + i);
        }
        return bound;
    }
}
