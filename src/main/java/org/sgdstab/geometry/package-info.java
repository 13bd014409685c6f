/**
 * Curvature of a loss landscape through symmetric {@link org.sgdstab.linalg.LinearOperator}s
 * (theory.md §4): Hutchinson trace and Frobenius estimates with standard errors, Lanczos extreme
 * eigenvalues, stochastic Lanczos quadrature densities, and the exact dense path for small
 * operators. The estimators are written once against the operator interface, so Hessians,
 * Gauss–Newton/Fisher products and Gram matrices share them. Every estimator takes a seeded
 * {@link java.util.SplittableRandom} and never modifies the operator; result records hold freshly
 * allocated arrays that belong to the caller.
 */
package org.sgdstab.geometry;
