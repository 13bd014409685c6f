package org.sgdstab.linalg;

/**
 * The scalar tanh algorithm that {@link SimdKernels} repeats lane by lane, operation for operation.
 *
 * <p>For a = min(|x|, {@link #SATURATION}) and y = 2a: write y = k·ln2 + r with k = round(y/ln2)
 * (the 1.5·2^52 trick, exact) and |r| ≤ ln2/2 (Cody–Waite with a two-part ln2, via fma); then
 * p = e^r − 1 by the degree-13 Taylor polynomial (truncation below 4e-18 relative on that
 * interval), s = 2^k (exact, from the exponent bits), e^y − 1 = s·p + (s − 1) (one fma; s − 1 is
 * exact), and tanh a = (e^y − 1)/(e^y − 1 + 2). For small a, k = 0 and the result is p/(p + 2)
 * with no cancellation. The sign of x is copied onto the result, so tanh(−0) = −0. A few ulp in
 * all (rounding in Horner, the fma, one addition and one division; see {@link VectorMath#TANH_MAX_ULPS}).
 */
final class TanhKernel {
    /** tanh(20) = 1 − 8.5e-18 rounds to 1; clamping keeps 2^k far from overflow. */
    static final double SATURATION = 20.0;
    static final double INV_LN2 = 1.4426950408889634;
    /** ln2 split so that k·LN2_HI is exact for |k| < 2^20 (fdlibm's constants). */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2^52: adding it rounds to an integer held in the low mantissa bits. */
    static final double ROUNDER = 0x1.8p52;
    static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    static final long SIGN_MASK = 0x8000000000000000L;
    /** 1/n! for n = 13 down to 2, for Horner's scheme of (e^r − 1)/r − 1. */
    static final double[] INV_FACTORIALS = {
        1.0 / 6227020800.0, 1.0 / 479001600.0, 1.0 / 39916800.0, 1.0 / 3628800.0, 1.0 / 362880.0, 1.0 / 40320.0,
        1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 1.0 / 2.0};

    private TanhKernel() {
    }

    static double tanh(double x) {
        double a = Math.min(Math.abs(x), SATURATION);
        double y = a + a;
        double t = Math.fma(y, INV_LN2, ROUNDER);
        long kBits = Double.doubleToRawLongBits(t) - ROUNDER_BITS;
        double k = t - ROUNDER;
        double r = Math.fma(-k, LN2_HI, y);
        r = Math.fma(-k, LN2_LO, r);
        double q = INV_FACTORIALS[0];
        for (int i = 1; i < INV_FACTORIALS.length; i++) {
            q = Math.fma(q, r, INV_FACTORIALS[i]);
        }
        // p = r + r²·q = e^r − 1.
        double p = Math.fma(r * r, q, r);
        double s = Double.longBitsToDouble((kBits + 1023) << 52);
        double em1 = Math.fma(s, p, s - 1.0);
        double th = em1 / (em1 + 2.0);
        return Double.longBitsToDouble(Double.doubleToRawLongBits(th) | (Double.doubleToRawLongBits(x) & SIGN_MASK));
    }
}
