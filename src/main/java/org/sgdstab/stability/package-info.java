/**
 * Linear stability of minima under SGD (theory.md §5), computed from the empirical NTK Gram
 * matrix Θ alone: the exact second-moment map {@link org.sgdstab.stability.SecondMomentMap}, its
 * spectral radius ρ(η), the critical learning rate {@link org.sgdstab.stability.CriticalLearningRate},
 * and the paper's sufficient bounds {@link org.sgdstab.stability.Bounds}. Eigenvalue solves use the one
 * Lanczos implementation, {@link org.sgdstab.geometry.Lanczos#largest} (stability depends on geometry,
 * never the reverse).
 *
 * <p>Errors: invalid arguments throw {@link java.lang.IllegalArgumentException} with a message that
 * names the argument (these are library contracts; the CLI validates user options first or converts
 * the exception to an {@code InputException}); non-convergence of an iterative solver throws
 * {@link java.lang.ArithmeticException}.
 */
package org.sgdstab.stability;
