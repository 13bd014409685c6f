package org.sgdstab.stability;

import org.sgdstab.geometry.RitzPair;
import org.sgdstab.linalg.Matrix;

/**
 * The critical learning rate η*(B): the unique η > 0 with ρ(η*) = 1, where ρ is the spectral
 * radius of the second-moment map {@link SecondMomentMap} (theory.md §5). Linearised SGD is
 * stable at a minimum iff η ≤ η*.
 *
 * <p><b>Why there is exactly one crossing, and how it is found fast.</b> In the reduced form,
 * {@code T_η = I − ηL + η²Q} with {@code L(M) = DM + MD} (positive definite, D > 0 on range(Θ))
 * and {@code Q(M) = c1 Σ_i h_i M h_i + c2 DMD}, which is positive semidefinite
 * ({@code ⟨M, h M h⟩ = ‖h^{1/2} M h^{1/2}‖_F²} for PSD h). Hence
 * {@code ρ(η) = max_M [1 − η⟨M,LM⟩ + η²⟨M,QM⟩]/⟨M,M⟩} is a maximum of convex quadratics, so
 * convex, with ρ(0) = 1, and {@code ρ(η) > 1} iff some M has {@code η⟨M,QM⟩ > ⟨M,LM⟩}, i.e. iff
 * {@code η > 1/μ} with μ the largest eigenvalue of the η-independent PSD operator
 * {@code L^{-1/2} Q L^{-1/2}}. So {@code η* = 1/μ} exactly, and {@code M* = L^{-1/2} Y} (Y its top
 * eigenvector) is an eigenvector of {@code T_{η*}} with eigenvalue 1. {@link #find} computes μ by
 * one Lanczos run; unlike ρ near η*, whose top eigenvalue sits just above the dense cluster
 * {@code 1 − η(d_k + d_l)} of small-curvature directions, μ is well separated (those directions map
 * to eigenvalues below {@code c2 min(d_k, d_l)}), so convergence is fast. It then evaluates ρ on
 * both sides of η*, warm-started from M*, with a small budget, as a certificate: at the upper end
 * the Ritz value (never above ρ, and at least the Rayleigh quotient
 * {@code 1 + η⟨M*,LM*⟩(η/η* − 1) > 1} of the start) proves ρ > 1; at the lower end a converged
 * Ritz value below 1 (residual at most {@link #CERTIFICATE_RESIDUAL_FRACTION}{@code ·(1 − ρ)})
 * confirms ρ < 1. When Θ is ill-conditioned the lower end may not converge within the budget;
 * then a second Lanczos run on the η-free operator, deflated against the found eigenvector from a
 * random symmetric start, must find nothing above μ (else μ is wrong). The result says
 * {@code certified = false} only if neither check converged. A Ritz value above 1 at the lower end, or not above 1 at the upper end,
 * would prove μ wrong, and then {@link #findByBracketing} is used instead.
 *
 * <p>{@link #findByBracketing} solves {@code ρ(η) = 1} directly by the Illinois variant of regula
 * falsi on a bracket that always contains the root: slower, used as an independent cross-check
 * and as the fallback if the certificate fails. Also {@code η* ≤ 2/λ_max(Θ/n)}: at
 * {@code η = 2/d_1}, the top direction {@code M = e_1e_1ᵀ} already gives ρ ≥ 1, since
 * {@code Σ_i (h_i)_{11}² ≥ n d_1²} (Cauchy–Schwarz) and {@code c1 n + c2 = 1}.
 *
 * <p>Argument problems throw {@link IllegalArgumentException}; a failure of the numerics to
 * converge throws {@link ArithmeticException}.
 */
public final class CriticalLearningRate {
    /** Relative accuracy of η* in both methods. */
    public static final double RELATIVE_TOLERANCE = 1e-10;

    /**
     * Relative residual for the Lanczos run on {@code L^{-1/2}QL^{-1/2}}: an eigenvalue lies within
     * the residual of the Ritz value, so this bounds the relative error of μ (and of η* = 1/μ)
     * below {@link #RELATIVE_TOLERANCE}.
     */
    static final double GENERALIZED_RELATIVE_RESIDUAL = 1e-11;

    /**
     * The certificate evaluates ρ at {@code η*(1 ∓ CERTIFICATE_OFFSET)}: far enough from η* that
     * ρ − 1 (about ∓ offset · η*ρ'(η*)) dwarfs the Lanczos error of ρ, close enough that the
     * warm start M* is nearly the eigenvector there.
     */
    public static final double CERTIFICATE_OFFSET = 1e-3;

    /** Map applications allowed for each certificate evaluation of ρ in {@link #find}. */
    static final int CERTIFICATE_APPLICATIONS = 25;

    /**
     * The lower end counts as certified when its Ritz residual is at most this fraction of
     * {@code 1 − ρ}: then the eigenvalue it approximates is below 1 with room to spare.
     */
    static final double CERTIFICATE_RESIDUAL_FRACTION = 0.1;

    /** Applications for the deflated check of μ in {@link #find} (ill-conditioned Θ only). */
    static final int VERIFY_APPLICATIONS = 60;

    /** Fixed seed of that check's start, so results never depend on a caller's stream. */
    static final long VERIFY_SEED = 0x5ab1eL;

    /**
     * The check fails only if it finds an eigenvalue above μ by more than this relative margin
     * (a repeated top eigenvalue equals μ and is fine).
     */
    static final double VERIFY_RELATIVE_MARGIN = 1e-8;

    /** Cap on root-finding iterations in {@link #findByBracketing}. */
    static final int MAX_ITERATIONS = 200;

    /**
     * The critical learning rate and the bracket around it.
     *
     * @param eta          η*(B)
     * @param lower        lower bracket end, where ρ < 1
     * @param upper        upper bracket end, where ρ > 1
     * @param rhoLower     ρ(lower)
     * @param rhoUpper     ρ(upper)
     * @param iterations   Lanczos steps ({@link #find}) or root-finding iterations ({@link #findByBracketing})
     * @param applications map applications spent in total
     * @param certified    whether η* was confirmed: ρ(upper) > 1 proven, and either ρ(lower) < 1 resolved
     *                     or, when Θ is too ill-conditioned to resolve ρ below η* (then rhoLower is only a
     *                     lower bound), a deflated Lanczos run found no eigenvalue above μ
     */
    public record Result(double eta, double lower, double upper, double rhoLower, double rhoUpper, int iterations,
                         int applications, boolean certified) {
    }

    private CriticalLearningRate() {
    }

    /** {@code 2 / λ_max(Θ/n)}, the gradient-descent threshold; see {@link SecondMomentMap#gdThreshold(Matrix, int)}. */
    public static double gdThreshold(Matrix theta, int samples) {
        return SecondMomentMap.gdThreshold(theta, samples);
    }

    /**
     * η* as {@code 1/λ_max(L^{-1/2}QL^{-1/2})} (class Javadoc), certified by ρ on both sides.
     * Falls back to {@link #findByBracketing} if the certificate fails.
     *
     * @param map the second-moment map. Not modified.
     */
    public static Result find(SecondMomentMap map) {
        RitzPair top = map.generalizedTop(GENERALIZED_RELATIVE_RESIDUAL);
        if (!top.converged() || !(top.value() > 0)) {
            return findByBracketing(map);
        }
        double eta = 1.0 / top.value();
        Matrix warm = map.fromGeneralized(top.vector());
        double lower = eta * (1 - CERTIFICATE_OFFSET);
        double upper = eta * (1 + CERTIFICATE_OFFSET);
        SecondMomentMap.Radius lo = map.radius(lower, warm, CERTIFICATE_APPLICATIONS);
        SecondMomentMap.Radius hi = map.radius(upper, warm, CERTIFICATE_APPLICATIONS);
        int applications = top.applications() + lo.applications() + hi.applications();
        // Ritz values never exceed ρ: either inequality below proves the computed μ is not the top one.
        if (lo.rho() > 1 || !(hi.rho() > 1)) {
            return bracketingAfter(map, applications);
        }
        // Resolved: the Ritz pair's residual is small against its distance from 1, so its sign is sure.
        boolean resolved = lo.converged() || lo.residual() <= CERTIFICATE_RESIDUAL_FRACTION * (1 - lo.rho());
        if (resolved) {
            return new Result(eta, lower, upper, lo.rho(), hi.rho(), top.applications(), applications, true);
        }
        // On ill-conditioned Θ, ρ just below η* sits within ~1e-6 of 1 and cannot be resolved cheaply.
        // Check instead, on the well-separated η-free operator, that nothing lies above μ.
        RitzPair next = map.generalizedNext(top.vector(), VERIFY_APPLICATIONS, VERIFY_SEED);
        applications += next.applications();
        if (next.value() > top.value() * (1 + VERIFY_RELATIVE_MARGIN)) {
            return bracketingAfter(map, applications);
        }
        // Certified only if that check itself converged: an unconverged Ritz value proves nothing.
        return new Result(eta, lower, upper, lo.rho(), hi.rho(), top.applications(), applications, next.converged());
    }

    /** {@link #findByBracketing} after a failed certificate that spent {@code applications} map applications. */
    private static Result bracketingAfter(SecondMomentMap map, int applications) {
        Result fallback = findByBracketing(map);
        return new Result(fallback.eta(), fallback.lower(), fallback.upper(), fallback.rhoLower(),
                fallback.rhoUpper(), fallback.iterations(), fallback.applications() + applications, true);
    }

    /**
     * η* by bracketing {@code ρ(η) − 1} and the Illinois method, warm-starting each ρ from the
     * previous eigenvector. The bracket starts at {@code [gd/2, gd]} (gd = 2/λ_max(Θ/n), where ρ ≥ 1)
     * and halves its lower end until ρ < 1; iteration stops when its width is at most
     * {@link #RELATIVE_TOLERANCE} times its upper end.
     *
     * @param map the second-moment map. Not modified.
     * @throws ArithmeticException if a spectral radius fails to converge
     */
    public static Result findByBracketing(SecondMomentMap map) {
        int[] applications = {0};
        Matrix[] warm = {null};
        java.util.function.DoubleUnaryOperator f = eta -> {
            SecondMomentMap.Radius r = map.radius(eta, warm[0]);
            applications[0] += r.applications();
            if (!r.converged()) {
                throw new ArithmeticException("spectral radius at eta=" + eta + " did not converge (residual "
                        + r.residual() + ")");
            }
            warm[0] = r.eigenvector();
            return r.rho() - 1.0;
        };
        double hi = map.gdThreshold();
        double fHi = f.applyAsDouble(hi);
        int iterations = 0;
        if (fHi <= 0) {
            // ρ(gd) ≥ 1 is proven, so fHi ≤ 0 means ρ(gd) = 1 up to Lanczos accuracy: the GD case, η* = gd.
            return new Result(hi, hi, hi, fHi + 1, fHi + 1, iterations, applications[0], true);
        }
        double lo = 0.5 * hi;
        double fLo = f.applyAsDouble(lo);
        while (fLo >= 0) {
            if (++iterations > MAX_ITERATIONS) {
                throw new ArithmeticException("could not find a learning rate with rho < 1 below " + lo);
            }
            hi = lo;
            fHi = fLo;
            lo *= 0.5;
            fLo = f.applyAsDouble(lo);
        }
        double rhoLower = fLo + 1;
        double rhoUpper = fHi + 1;
        int side = 0;
        while (hi - lo > RELATIVE_TOLERANCE * hi) {
            if (++iterations > MAX_ITERATIONS) {
                throw new ArithmeticException("Illinois iteration did not reach the tolerance; bracket [" + lo + ", " + hi + "]");
            }
            double x = hi - fHi * (hi - lo) / (fHi - fLo);
            if (!(x > lo && x < hi)) {
                x = 0.5 * (lo + hi);
            }
            double fx = f.applyAsDouble(x);
            if (fx == 0) {
                lo = x;
                hi = x;
                rhoLower = 1;
                rhoUpper = 1;
                break;
            }
            if (fx < 0) {
                lo = x;
                fLo = fx;
                rhoLower = fx + 1;
                // Illinois: the upper end stayed twice in a row, so halve its weight to unstick it.
                if (side == -1) {
                    fHi *= 0.5;
                }
                side = -1;
            } else {
                hi = x;
                fHi = fx;
                rhoUpper = fx + 1;
                if (side == 1) {
                    fLo *= 0.5;
                }
                side = 1;
            }
        }
        return new Result(0.5 * (lo + hi), lo, hi, rhoLower, rhoUpper, iterations, applications[0], true);
    }
}
