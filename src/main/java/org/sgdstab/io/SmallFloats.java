package org.sgdstab.io;

/**
 * Conversions between double and the 16-bit floating-point formats IEEE binary16 ("half", NumPy
 * {@code f2}, safetensors {@code F16}) and bfloat16 (safetensors {@code BF16}). Encoding rounds
 * once, to nearest with ties to even, straight from the double (no detour through float, which
 * could round twice).
 */
final class SmallFloats {
    private SmallFloats() {}

    /** The value of an IEEE binary16 bit pattern. */
    static double halfToDouble(short bits) {
        int h = bits & 0xffff;
        double sign = (h & 0x8000) != 0 ? -1.0 : 1.0;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            return sign * Math.scalb((double) mant, -24);
        }
        if (exp == 0x1f) {
            return mant == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        return sign * Math.scalb((double) (mant | 0x400), exp - 25);
    }

    /** The value of a bfloat16 bit pattern (the top half of a float's bits). */
    static double bfloat16ToDouble(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** The nearest IEEE binary16 (5 exponent bits, 10 mantissa bits). */
    static short doubleToHalf(double v) {
        return (short) encode(v, 10, 5);
    }

    /** The nearest bfloat16 (8 exponent bits, 7 mantissa bits). */
    static short doubleToBfloat16(double v) {
        return (short) encode(v, 7, 8);
    }

    /** Rounds to a binary format with the given field widths and returns its bit pattern. */
    private static int encode(double v, int mantBits, int expBits) {
        int sign = (Double.doubleToRawLongBits(v) < 0 ? 1 : 0) << (mantBits + expBits);
        int expField = (1 << expBits) - 1; // all ones: infinity and NaN
        if (Double.isNaN(v)) {
            return sign | (expField << mantBits) | (1 << (mantBits - 1)); // quiet NaN
        }
        double a = Math.abs(v);
        int bias = (1 << (expBits - 1)) - 1;
        int eMin = 1 - bias;
        int eMax = bias;
        int e = Math.getExponent(a);
        if (e > eMax) {
            return sign | (expField << mantBits);
        }
        if (e < eMin) {
            // subnormal: count units of 2^(eMin - mantBits); rounding up to 2^mantBits units
            // lands exactly on the smallest normal's bit pattern
            long q = (long) Math.rint(Math.scalb(a, mantBits - eMin));
            return sign | (int) q;
        }
        long m = (long) Math.rint(Math.scalb(a, mantBits - e)); // in [2^mantBits, 2^(mantBits+1)]
        if (m == 1L << (mantBits + 1)) {
            m >>= 1;
            e++;
            if (e > eMax) {
                return sign | (expField << mantBits);
            }
        }
        return sign | ((e + bias) << mantBits) | (int) (m - (1L << mantBits));
    }
}
