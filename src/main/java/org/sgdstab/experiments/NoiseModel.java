package org.sgdstab.experiments;

import org.sgdstab.io.InputException;

/**
 * The gradient-noise models of the linearised dynamics {@code θ_{t+1} = θ_t − η(∇L(θ_t) + ξ_t)}
 * (theory.md §6, the paper's Section 3.3). H is the Hessian at the minimum (= G there), p the
 * parameter count, L = L(θ_t).
 */
public enum NoiseModel {
    /** Real mini-batch noise: the step uses the gradient of B sampled examples. */
    MINIBATCH("minibatch"),
    /** Gaussian, {@code Cov ξ = 2L·H/B}: the noise has the geometry of the loss and scales with it. */
    GEOMETRY("geometry"),
    /** Gaussian, {@code Cov ξ = 2σ²L·I_p/B} with {@code σ² = Tr H / p}: the same total variance, no geometry. */
    ISOTROPIC("isotropic"),
    /** Gaussian, {@code Cov ξ = σ_b²·H/B}, independent of the loss (Lemma 3.6); σ_b² = 2ε, the geometry noise frozen at the start. */
    BOUNDED("bounded");

    private final String cliName;

    NoiseModel(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in outputs. */
    public String cliName() {
        return cliName;
    }

    /** Parses "minibatch", "geometry", "isotropic" or "bounded". */
    public static NoiseModel parse(String name, String option) {
        for (NoiseModel m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new InputException(option + ": unknown noise model '" + name + "' (expected minibatch, geometry, isotropic or bounded)");
    }
}
