package org.sgdstab.geometry;

/**
 * The largest eigenpair estimate from {@link Lanczos#largest}. The vector is freshly allocated and
 * belongs to the caller.
 *
 * @param value        the Ritz value θ, a Rayleigh quotient: never above λ_max
 * @param vector       the unit Ritz vector y, length dim (a warm start for a nearby operator)
 * @param residual     ‖A y − θ y‖ from the Lanczos recurrence, |β_m s_m|; with full reorthogonalisation
 *                     it equals the true residual up to round-off, and some eigenvalue lies within it
 *                     of θ. 0 when the Krylov space became invariant.
 * @param applications operator applications spent (to single vectors)
 * @param converged    whether the residual met the requested tolerance (or the Krylov space became invariant)
 */
public record RitzPair(double value, double[] vector, double residual, int applications, boolean converged) {
}
