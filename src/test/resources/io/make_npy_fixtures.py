"""Writes the .npy fixtures used by NpyTest into this directory.

Run from anywhere:  python3 src/test/resources/io/make_npy_fixtures.py
Deterministic: rerunning produces identical files (checked into git next to this script).
Values are simple formulas so the Java tests can state the expected data independently.
"""
import os

import numpy as np
from numpy.lib import format as npformat

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    return os.path.join(HERE, name)


def save(name, arr, **kw):
    np.save(path(name), arr, **kw)


def ramp(shape, dtype="<f8"):
    """Element k of the C-order flattening is k * 0.25 - 1 (exact in f2, f4 and f8)."""
    n = int(np.prod(shape))
    return (np.arange(n, dtype=np.float64) * 0.25 - 1.0).reshape(shape).astype(dtype)


def main():
    save("f8_le_2d.npy", ramp((3, 4)))
    save("f4_le_2d.npy", ramp((3, 4), "<f4"))
    save("f8_be_2d.npy", ramp((3, 4), ">f8"))
    save("f4_be_2d.npy", ramp((3, 4), ">f4"))
    save("f2_le_1d.npy", ramp((6,), "<f2"))
    save("f8_1d.npy", ramp((5,)))
    save("f8_3d.npy", ramp((2, 3, 4)))
    save("f8_4d.npy", ramp((2, 3, 4, 5)))
    save("f8_scalar.npy", np.array(3.5))
    save("f8_empty.npy", np.zeros((0, 3)))
    # np.save keeps Fortran layout: header fortran_order True, data column-major on disk.
    save("f8_fortran_2d.npy", np.asfortranarray(ramp((3, 4))))
    save("f8_fortran_3d.npy", np.asfortranarray(ramp((2, 3, 4))))
    save("i4_fortran_2d.npy", np.asfortranarray(ramp((2, 5)) * 4).astype("<i4", order="F"))
    # Integers and booleans: values that stress sign, width and the 2^53 exactness limit.
    save("i8_le.npy", np.array([-3, 0, 7, 2**53, -(2**53), 2**62, -(2**63)], dtype="<i8"))
    save("i8_inexact.npy", np.array([1, 2**53 + 1], dtype="<i8"))
    save("u8_le.npy", np.array([0, 5, 2**63, 2**64 - 2**11], dtype="<u8"))
    save("i1.npy", np.array([-128, -1, 0, 127], dtype="|i1"))
    save("u1.npy", np.array([0, 1, 200, 255], dtype="|u1"))
    save("i2_be.npy", np.array([-32768, -2, 3, 32767], dtype=">i2"))
    save("u2_le.npy", np.array([0, 65535, 40000], dtype="<u2"))
    save("i4_be.npy", np.array([-(2**31), -5, 9, 2**31 - 1], dtype=">i4"))
    save("u4_le.npy", np.array([0, 2**32 - 1, 3000000000], dtype="<u4"))
    save("b1.npy", np.array([[True, False], [False, True]]))
    # Other format versions (numpy picks 1.0 by default).
    for version in [(2, 0), (3, 0)]:
        with open(path("f8_v%d.npy" % version[0]), "wb") as f:
            npformat.write_array(f, ramp((2, 3)), version=version)
    # Refused dtypes.
    save("object.npy", np.array([1, "a", None], dtype=object), allow_pickle=True)
    save("c16.npy", np.array([1 + 2j, 3 - 4j], dtype="<c16"))
    save("unicode.npy", np.array(["ab", "c"]))
    save("structured.npy", np.zeros(3, dtype=[("a", "<f8"), ("b", "<i4")]))
    save("f16_longdouble.npy", np.zeros(2, dtype=np.longdouble))
    # float64 -> float16 rounding reference: ties, subnormals, overflow, signed zero.
    src = np.array([0.1, 1.0 / 3, 65504.0, 65519.99, 65520.0, 1e6, 2.0**-24, 2.0**-25,
                    2.0**-25 * 1.0000001, 3 * 2.0**-25, 6.1e-5, -0.0, -2.5, 1.0 + 2.0**-11,
                    1.0 + 3 * 2.0**-11, 2049.0, 2051.0, np.inf, -np.inf], dtype="<f8")
    save("f16_rounding_src.npy", src)
    with np.errstate(over="ignore"):  # 1e6 overflowing to inf is one of the cases
        save("f16_rounding_dst.npy", src.astype("<f2"))


if __name__ == "__main__":
    main()
