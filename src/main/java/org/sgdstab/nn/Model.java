package org.sgdstab.nn;

import org.sgdstab.linalg.Matrix;

/**
 * A network together with one parameter vector θ. θ is shared, not copied: use
 * {@link #withTheta} to branch off a trajectory.
 *
 * @param network the architecture and frozen weights
 * @param theta   the trainable parameters, length {@code network.parameterCount()}
 */
public record Model(Network network, double[] theta) {
    public Model {
        if (theta.length != network.parameterCount()) {
            throw new IllegalArgumentException("θ has length " + theta.length + ", the network has " + network.parameterCount() + " parameters");
        }
    }

    /** The same network with other parameters. */
    public Model withTheta(double[] newTheta) {
        return new Model(network, newTheta);
    }

    /** A deep copy of θ in a new model. */
    public Model copy() {
        return new Model(network, theta.clone());
    }

    public Matrix predict(Matrix x) {
        return network.predict(theta, x);
    }

    public double loss(Matrix x, Matrix y) {
        return network.loss(theta, x, y);
    }

    /** p. */
    public int parameterCount() {
        return network.parameterCount();
    }
}
