package org.sgdstab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BlasTest {
    /** Products of O(1) numbers over k ≤ 40 terms: round-off is far below this. */
    private static final double TOL = 1e-12;

    static Matrix random(int r, int c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix m = new Matrix(r, c);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextDouble(-1, 1);
        }
        return m;
    }

    static Matrix naive(Matrix a, boolean ta, Matrix b, boolean tb) {
        Matrix A = ta ? a.transpose() : a;
        Matrix B = tb ? b.transpose() : b;
        Matrix c = new Matrix(A.rows, B.cols);
        for (int i = 0; i < A.rows; i++) {
            for (int j = 0; j < B.cols; j++) {
                double s = 0;
                for (int k = 0; k < A.cols; k++) {
                    s += A.get(i, k) * B.get(k, j);
                }
                c.set(i, j, s);
            }
        }
        return c;
    }

    static Stream<Arguments> shapes() {
        return Stream.of(
                Arguments.of("square", 5, 5, 5),
                Arguments.of("tall", 17, 3, 9),
                Arguments.of("wide", 2, 31, 40),
                Arguments.of("vector", 1, 7, 6),
                Arguments.of("empty-k", 3, 4, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void gemmMatchesNaiveForAllTransposes(String name, int m, int n, int k) {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Matrix a = ta ? random(k, m, 1) : random(m, k, 1);
                Matrix b = tb ? random(n, k, 2) : random(k, n, 2);
                Matrix c = random(m, n, 3);
                Matrix expected = naive(a, ta, b, tb).scaleInPlace(0.5).addInPlace(2.0, c);
                Blas.get().gemm(ta, tb, 0.5, a, b, 2.0, c);
                assertArrayEquals(expected.data, c.data, TOL, name + " ta=" + ta + " tb=" + tb);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void syrkMatchesGemm(String name, int m, int n, int k) {
        Matrix a = random(m, k, 4);
        assertArrayEquals(naive(a, false, a, true).data, Blas.get().gram(a, false).data, TOL);
        assertArrayEquals(naive(a, true, a, false).data, Blas.get().gram(a, true).data, TOL);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void gemvMatchesNaive(String name, int m, int n, int k) {
        Matrix a = random(m, n, 5);
        double[] x = random(1, n, 6).data;
        double[] y = new double[m];
        Blas.get().gemv(false, m, n, 1.0, a.data, 0, n, x, 0, 0.0, y, 0);
        assertArrayEquals(naive(a, false, new Matrix(n, 1, x), false).data, y, TOL);
        double[] xt = random(1, m, 7).data;
        double[] yt = new double[n];
        Blas.get().gemv(true, m, n, 1.0, a.data, 0, n, xt, 0, 0.0, yt, 0);
        assertArrayEquals(naive(a, true, new Matrix(m, 1, xt), false).data, yt, TOL);
    }

    @ParameterizedTest(name = "n={0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 6, 30})
    void eigenSatisfiesDefinition(int n) {
        Matrix r = random(n, n, 8);
        Matrix a = r.copy().addInPlace(1.0, r.transpose());
        SymmetricEigen eig = SymmetricEigen.decompose(a);
        for (int i = 0; i < n; i++) {
            double[] v = eig.vectors().row(i);
            double[] av = new double[n];
            Blas.get().gemv(false, n, n, 1.0, a.data, 0, n, v, 0, 0.0, av, 0);
            for (int j = 0; j < n; j++) {
                assertEquals(eig.values()[i] * v[j], av[j], 1e-12 * n);
            }
            assertEquals(1.0, Vectors.norm2(v), 1e-13);
            if (i > 0) {
                org.junit.jupiter.api.Assertions.assertTrue(eig.values()[i] >= eig.values()[i - 1]);
            }
        }
    }
}
