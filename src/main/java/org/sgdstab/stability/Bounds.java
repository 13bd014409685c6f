package org.sgdstab.stability;

/**
 * The paper's stability bounds (theory.md §5) as checks on plain numbers, so that this class does
 * not depend on how µ, ‖H‖_F and the rest were measured.
 *
 * <p>Every check returns a {@link BoundCheck}; when the bound is +∞ (a non-positive alignment factor,
 * for which the theorem gives no constraint), it holds and its ratio is 0.
 *
 * <p><b>Undefined inputs.</b> µ and µ1 are ratios over the loss, {@code Tr(ΣG)/(2L ‖G‖_F²)}: at an exact
 * interpolating fit (L = 0), or where ‖G‖_F = 0, they are 0/0 and measured as NaN. This class is the one
 * place that decides what follows: a NaN µ or µ1 means <i>undefined</i>, and every result built on it is
 * undefined too (a {@link BoundCheck} that is not {@link BoundCheck#defined() defined}, whose bound and
 * ratio are NaN; a NaN learning rate or escape prediction), never an exception. Callers report NaN as
 * undefined (null in JSON, an empty CSV cell). Every other problem, an infinite µ included, throws
 * {@link IllegalArgumentException}.
 */
public final class Bounds {

    /**
     * One bound compared with its measured quantity.
     *
     * @param name            which result, e.g. "Theorem 3.3"
     * @param bound           the upper bound (+∞ when the theorem gives none; NaN when undefined)
     * @param measured        the measured quantity it bounds
     * @param holds           {@code measured ≤ bound}; false when undefined (see {@link #violated()})
     * @param ratio           {@code measured / bound} (0 when the bound is +∞; NaN when undefined); above 1 means violated
     * @param undefinedReason why the bound is undefined, e.g. "µ is undefined"; null when it is defined
     */
    public record BoundCheck(String name, double bound, double measured, boolean holds, double ratio, String undefinedReason) {
        static BoundCheck of(String name, double bound, double measured) {
            double ratio = Double.isInfinite(bound) ? 0.0 : measured / bound;
            return new BoundCheck(name, bound, measured, measured <= bound, ratio, null);
        }

        /** A check whose bound cannot be formed because an input is undefined. */
        static BoundCheck undefined(String name, double measured, String reason) {
            return new BoundCheck(name, Double.NaN, measured, false, Double.NaN, reason);
        }

        /** Whether the bound exists; an undefined check neither holds nor is violated. */
        public boolean defined() {
            return undefinedReason == null;
        }

        /** {@code measured > bound} for a defined bound; false when undefined. */
        public boolean violated() {
            return defined() && !holds;
        }
    }

    /**
     * Theorem 3.5's escape prediction.
     *
     * @param gamma0 per-step growth factor {@code γ0 = η² µ ‖H‖_F² / B}; NaN when µ is undefined
     * @param steps  {@code log(1/ε)/log γ0}, the steps to grow the loss from ε to 1; +∞ when γ0 ≤ 1, NaN when
     *               µ is undefined
     */
    public record EscapePrediction(double gamma0, double steps) {
    }

    /** {@link BoundCheck#name()} of {@link #theorem33}. */
    public static final String THEOREM_33 = "Theorem 3.3";
    /** {@link BoundCheck#name()} of {@link #proposition34}. */
    public static final String PROPOSITION_34 = "Proposition 3.4";
    /** {@link BoundCheck#name()} of {@link #gdSharpness}. */
    public static final String GD_SHARPNESS = "GD sharpness";
    /** {@link BoundCheck#name()} of {@link #gdFrobenius}. */
    public static final String GD_FROBENIUS = "GD Frobenius";
    /** {@link BoundCheck#name()} of {@link #isotropicTrace}. */
    public static final String ISOTROPIC_NOISE = "Isotropic noise";
    /** {@link BoundCheck#undefinedReason()} of a check that needs an undefined µ. */
    public static final String MU_UNDEFINED = "µ is undefined";
    /** {@link BoundCheck#undefinedReason()} of a check that needs an undefined µ1. */
    public static final String MU1_UNDEFINED = "µ1 is undefined";

    private Bounds() {
    }

    /**
     * Theorem 3.3: a linearly stable minimum has {@code ‖H‖_F ≤ sqrt(B/µ)/η}. For µ ≤ 0 the theorem
     * gives no constraint: the bound is +∞ and the check holds. For an undefined µ (NaN) the check is
     * undefined.
     *
     * @param mu                loss-scaled alignment factor µ (finite, or NaN when undefined)
     * @param hessianFrobenius  measured ‖H‖_F ≥ 0
     * @param eta               learning rate > 0
     * @param batchSize         B ≥ 1
     */
    public static BoundCheck theorem33(double mu, double hessianFrobenius, double eta, int batchSize) {
        requireFiniteOrUndefined(mu, "mu");
        requireNonNegative(hessianFrobenius, "Hessian Frobenius norm");
        SecondMomentMap.requireEta(eta);
        requireBatch(batchSize);
        if (Double.isNaN(mu)) {
            return BoundCheck.undefined(THEOREM_33, hessianFrobenius, MU_UNDEFINED);
        }
        return BoundCheck.of(THEOREM_33, theorem33Constant(mu, batchSize) / eta, hessianFrobenius);
    }

    /**
     * Theorem 3.3 solved for the learning rate: a minimum with {@code ‖H‖_F} can be linearly stable
     * only for {@code η ≤ sqrt(B/µ)/‖H‖_F}. +∞ when µ ≤ 0 or ‖H‖_F = 0 (no constraint); NaN when µ is
     * undefined.
     *
     * @param mu               loss-scaled alignment factor µ (finite, or NaN when undefined)
     * @param hessianFrobenius ‖H‖_F ≥ 0
     * @param batchSize        B ≥ 1
     */
    public static double theorem33LearningRate(double mu, double hessianFrobenius, int batchSize) {
        requireFiniteOrUndefined(mu, "mu");
        requireNonNegative(hessianFrobenius, "Hessian Frobenius norm");
        requireBatch(batchSize);
        if (Double.isNaN(mu)) {
            return Double.NaN;
        }
        return theorem33Constant(mu, batchSize) / hessianFrobenius;
    }

    /** sqrt(B/µ), or +∞ for µ ≤ 0. */
    private static double theorem33Constant(double mu, int batchSize) {
        return mu > 0 ? Math.sqrt(batchSize / mu) : Double.POSITIVE_INFINITY;
    }

    /**
     * Proposition 3.4: {@code ‖H‖_F ≤ min(B/sqrt((B−1)µ1), 2B/µ1)/η}; for B = 1 only the second term.
     * For µ1 ≤ 0 the bound is +∞ and the check holds; for an undefined µ1 (NaN) the check is undefined.
     *
     * @param mu1               alignment factor µ1 of Σ1 (finite, or NaN when undefined)
     * @param hessianFrobenius  measured ‖H‖_F ≥ 0
     * @param eta               learning rate > 0
     * @param batchSize         B ≥ 1
     */
    public static BoundCheck proposition34(double mu1, double hessianFrobenius, double eta, int batchSize) {
        requireFiniteOrUndefined(mu1, "mu1");
        requireNonNegative(hessianFrobenius, "Hessian Frobenius norm");
        SecondMomentMap.requireEta(eta);
        requireBatch(batchSize);
        if (Double.isNaN(mu1)) {
            return BoundCheck.undefined(PROPOSITION_34, hessianFrobenius, MU1_UNDEFINED);
        }
        return BoundCheck.of(PROPOSITION_34, proposition34Constant(mu1, batchSize) / eta, hessianFrobenius);
    }

    /**
     * Proposition 3.4 solved for the learning rate: {@code η ≤ min(B/sqrt((B−1)µ1), 2B/µ1)/‖H‖_F}
     * (for B = 1 only the second term). +∞ when µ1 ≤ 0 or ‖H‖_F = 0 (no constraint); NaN when µ1 is
     * undefined.
     *
     * @param mu1              alignment factor µ1 of Σ1 (finite, or NaN when undefined)
     * @param hessianFrobenius ‖H‖_F ≥ 0
     * @param batchSize        B ≥ 1
     */
    public static double proposition34LearningRate(double mu1, double hessianFrobenius, int batchSize) {
        requireFiniteOrUndefined(mu1, "mu1");
        requireNonNegative(hessianFrobenius, "Hessian Frobenius norm");
        requireBatch(batchSize);
        if (Double.isNaN(mu1)) {
            return Double.NaN;
        }
        return proposition34Constant(mu1, batchSize) / hessianFrobenius;
    }

    /** min(B/sqrt((B−1)µ1), 2B/µ1), the first term only for B > 1; +∞ for µ1 ≤ 0. */
    private static double proposition34Constant(double mu1, int batchSize) {
        if (mu1 <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double b = batchSize;
        double second = 2 * b / mu1;
        double first = batchSize == 1 ? Double.POSITIVE_INFINITY : b / Math.sqrt((b - 1) * mu1);
        return Math.min(first, second);
    }

    /**
     * Gradient descent: {@code λ_max(H) ≤ 2/η}.
     *
     * @param lambdaMax measured λ_max(H) (finite)
     * @param eta       learning rate > 0
     */
    public static BoundCheck gdSharpness(double lambdaMax, double eta) {
        requireFinite(lambdaMax, "lambda_max(H)");
        SecondMomentMap.requireEta(eta);
        return BoundCheck.of(GD_SHARPNESS, 2.0 / eta, lambdaMax);
    }

    /**
     * Gradient descent, as a Frobenius bound: {@code ‖H‖_F ≤ 2 sqrt(p)/η} (grows with p).
     *
     * @param hessianFrobenius measured ‖H‖_F ≥ 0
     * @param parameters       p ≥ 1
     * @param eta              learning rate > 0
     */
    public static BoundCheck gdFrobenius(double hessianFrobenius, long parameters, double eta) {
        requireNonNegative(hessianFrobenius, "Hessian Frobenius norm");
        requireParameters(parameters);
        SecondMomentMap.requireEta(eta);
        return BoundCheck.of(GD_FROBENIUS, 2.0 * Math.sqrt((double) parameters) / eta, hessianFrobenius);
    }

    /**
     * Isotropic noise of equal total variance: {@code Tr H ≤ sqrt(pB)/η}.
     *
     * @param traceH     measured Tr H (finite)
     * @param parameters p ≥ 1
     * @param eta        learning rate > 0
     * @param batchSize  B ≥ 1
     */
    public static BoundCheck isotropicTrace(double traceH, long parameters, double eta, int batchSize) {
        requireFinite(traceH, "Tr H");
        requireParameters(parameters);
        SecondMomentMap.requireEta(eta);
        requireBatch(batchSize);
        return BoundCheck.of(ISOTROPIC_NOISE, Math.sqrt((double) parameters * batchSize) / eta, traceH);
    }

    /**
     * Theorem 3.5: {@code γ0 = η² µ ‖H‖_F² / B}; escaping from loss ε to 1 takes
     * {@code log(1/ε)/log γ0} steps, +∞ when γ0 ≤ 1 (no exponential escape is predicted). Both are NaN
     * when µ is undefined.
     *
     * @param mu               alignment factor µ (finite, or NaN when undefined)
     * @param hessianFrobenius ‖H‖_F ≥ 0
     * @param eta              learning rate > 0
     * @param batchSize        B ≥ 1
     * @param epsilon          starting loss, 0 < ε < 1
     */
    public static EscapePrediction escape(double mu, double hessianFrobenius, double eta, int batchSize, double epsilon) {
        requireFiniteOrUndefined(mu, "mu");
        requireNonNegative(hessianFrobenius, "Hessian Frobenius norm");
        SecondMomentMap.requireEta(eta);
        requireBatch(batchSize);
        if (!(epsilon > 0 && epsilon < 1)) {
            throw new IllegalArgumentException("starting loss epsilon must lie in (0, 1), got " + epsilon);
        }
        if (Double.isNaN(mu)) {
            return new EscapePrediction(Double.NaN, Double.NaN);
        }
        double gamma0 = eta * eta * mu * hessianFrobenius * hessianFrobenius / batchSize;
        double steps = gamma0 > 1 ? Math.log(1 / epsilon) / Math.log(gamma0) : Double.POSITIVE_INFINITY;
        return new EscapePrediction(gamma0, steps);
    }

    /** A finite value, or NaN for an undefined one (see the class comment); infinities are errors. */
    private static void requireFiniteOrUndefined(double v, String name) {
        if (Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be finite (or NaN when undefined), got " + v);
        }
    }

    private static void requireFinite(double v, String name) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }

    private static void requireNonNegative(double v, String name) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
    }

    private static void requireBatch(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size B must be at least 1, got " + batchSize);
        }
    }

    private static void requireParameters(long parameters) {
        if (parameters < 1) {
            throw new IllegalArgumentException("parameter count p must be at least 1, got " + parameters);
        }
    }
}
