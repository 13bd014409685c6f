package org.sgdstab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SmallFloatsTest {
    /** NumPy's float64 → float16 cast (correctly rounded) is the reference. */
    @Test
    void halfEncodingMatchesNumpy() throws IOException {
        double[] src = Npy.read(Fixtures.resource("f16_rounding_src.npy")).data();
        byte[] dst = Files.readAllBytes(Fixtures.resource("f16_rounding_dst.npy"));
        ByteBuffer bits = ByteBuffer.wrap(dst, dst.length - 2 * src.length, 2 * src.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : src) {
            short expected = bits.getShort();
            assertEquals(expected, SmallFloats.doubleToHalf(v), "encode " + v);
            double back = SmallFloats.halfToDouble(expected);
            assertEquals(SmallFloats.halfToDouble(SmallFloats.doubleToHalf(v)), back, 0.0, "decode " + v);
        }
    }

    @Test
    void halfKnownValues() {
        assertEquals((short) 0x3c00, SmallFloats.doubleToHalf(1.0));
        assertEquals((short) 0x7bff, SmallFloats.doubleToHalf(65504.0));
        assertEquals((short) 0x0001, SmallFloats.doubleToHalf(0x1p-24));
        assertEquals((short) 0x0400, SmallFloats.doubleToHalf(0x1p-14));
        assertEquals(0x1p-24, SmallFloats.halfToDouble((short) 0x0001), 0.0);
        assertEquals(-2.0, SmallFloats.halfToDouble((short) 0xc000), 0.0);
        assertTrue(Double.isNaN(SmallFloats.halfToDouble(SmallFloats.doubleToHalf(Double.NaN))));
    }

    /** Every half pattern decodes to a value that encodes back to the same pattern. */
    @Test
    void allFiniteHalvesRoundTrip() {
        for (int b = 0; b < 0x10000; b++) {
            if ((b & 0x7c00) == 0x7c00 && (b & 0x3ff) != 0) {
                continue; // NaN payloads are not preserved
            }
            assertEquals((short) b, SmallFloats.doubleToHalf(SmallFloats.halfToDouble((short) b)), Integer.toHexString(b));
            assertEquals((short) b, SmallFloats.doubleToBfloat16(SmallFloats.bfloat16ToDouble((short) b)), Integer.toHexString(b));
        }
    }

    /** The bfloat16 encoding is the nearest bfloat16 (ties are measure-zero for random doubles; exponents stay below the overflow-to-infinity range). */
    @Test
    void bfloat16IsNearest() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < 10_000; i++) {
            double v = Math.scalb(rng.nextDouble(-2, 2), rng.nextInt(-140, 127));
            short b = SmallFloats.doubleToBfloat16(v);
            double err = Math.abs(SmallFloats.bfloat16ToDouble(b) - v);
            for (int step = -1; step <= 1; step += 2) {
                double neighbour = SmallFloats.bfloat16ToDouble((short) (b + step));
                if (!Double.isNaN(neighbour)) {
                    assertTrue(err <= Math.abs(neighbour - v), "v=" + v);
                }
            }
        }
    }
}
