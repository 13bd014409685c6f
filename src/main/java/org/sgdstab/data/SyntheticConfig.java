package org.sgdstab.data;

import org.sgdstab.io.InputException;

/**
 * A synthetic regression task: inputs from a chosen distribution, targets from a random teacher
 * plus Gaussian noise.
 *
 * @param kind         input distribution
 * @param n            number of samples
 * @param d            input dimension
 * @param covSpectrum  variances of the d coordinates for {@link InputKind#GAUSSIAN}, or null for isotropic
 * @param teacher      target function
 * @param teacherWidth hidden width of an MLP teacher
 * @param outputs      K, targets per sample
 * @param noise        σ of the additive label noise
 * @param seed         root seed
 */
public record SyntheticConfig(InputKind kind, int n, int d, double[] covSpectrum, Teacher teacher, int teacherWidth,
                              int outputs, double noise, long seed) {

    /** Input distributions. */
    public enum InputKind {
        /** x ~ N(0, S), S diagonal (isotropic by default). */
        GAUSSIAN,
        /** x uniform on the unit sphere S^{d−1}, as in the paper's random-feature analysis. */
        SPHERE
    }

    /** Teachers. */
    public enum Teacher {
        /** y = Wx with W ~ N(0, 1/d). */
        LINEAR,
        /** y = V tanh(Ux + b), a random two-layer network. */
        MLP_TANH,
        /** y = V relu(Ux + b), a random two-layer network. */
        MLP_RELU
    }

    public SyntheticConfig {
        if (n < 1) {
            throw new InputException("--n must be at least 1, got " + n);
        }
        if (d < 1) {
            throw new InputException("--d must be at least 1, got " + d);
        }
        if (outputs < 1) {
            throw new InputException("--outputs must be at least 1, got " + outputs);
        }
        if (teacherWidth < 1) {
            throw new InputException("--teacher-width must be at least 1, got " + teacherWidth);
        }
        if (!(noise >= 0) || !Double.isFinite(noise)) {
            throw new InputException("--noise must be a finite number ≥ 0, got " + noise);
        }
        if (covSpectrum != null) {
            if (kind != InputKind.GAUSSIAN) {
                throw new InputException("--cov-spectrum applies only to --kind gaussian");
            }
            if (covSpectrum.length != d) {
                throw new InputException("--cov-spectrum has " + covSpectrum.length + " values, --d is " + d);
            }
            for (double v : covSpectrum) {
                if (!(v > 0) || !Double.isFinite(v)) {
                    throw new InputException("--cov-spectrum values must be positive and finite, got " + v);
                }
            }
            covSpectrum = covSpectrum.clone();
        }
    }
}
