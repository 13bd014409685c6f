package org.sgdstab.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD bodies of {@link VectorMath}. Only loaded when the vector module is present, so that a
 * JVM started without it never resolves these types.
 */
final class SimdKernels {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

    private SimdKernels() {
    }

    static void tanh(double[] in, double[] out, int length) {
        int i = 0;
        int bound = SPECIES.loopBound(length);
        for (; i < bound; i += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, in, i).lanewise(VectorOperators.TANH).intoArray(out, i);
        }
        for (; i < length; i++) {
            out[i] = Math.tanh(in[i]);
        }
    }
}
