package org.sgdstab.stability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.train.Sampling;

class SecondMomentMapTest {
    /** O(1) entries through a handful of length-≤8 products: round-off is ~1e-15, far below this. */
    private static final double EXACT_TOL = 1e-12;
    /** Reduced and full iterations of the same map for ≤ 30 steps differ by accumulated round-off only. */
    private static final double FORM_TOL = 1e-10;
    /** Power iteration of the full map converges geometrically; after 4000 steps the ratio is exact to round-off. */
    private static final double GROWTH_TOL = 1e-8;
    /** Monte-Carlo agreement in standard errors: a 3σ band per checkpoint. */
    private static final double SIGMAS = 3.0;

    record Case(String name, int n, int k, int p, Sampling sampling, int batch) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> tinyCases() {
        return Stream.of(
                Arguments.of(new Case("n4-K1-B2-with", 4, 1, 3, Sampling.WITH_REPLACEMENT, 2)),
                Arguments.of(new Case("n4-K1-B2-without", 4, 1, 3, Sampling.WITHOUT_REPLACEMENT, 2)),
                Arguments.of(new Case("n4-K2-B2-with", 4, 2, 5, Sampling.WITH_REPLACEMENT, 2)),
                Arguments.of(new Case("n4-K2-B2-without", 4, 2, 5, Sampling.WITHOUT_REPLACEMENT, 2)),
                Arguments.of(new Case("n3-K2-B3-with", 3, 2, 9, Sampling.WITH_REPLACEMENT, 3)),
                Arguments.of(new Case("n3-K1-B1-without", 3, 1, 4, Sampling.WITHOUT_REPLACEMENT, 1)));
    }

    /** All ordered batches, each equally likely: n^B tuples with replacement, distinct tuples without. */
    private static void batches(int n, int b, boolean distinct, int[] prefix, int depth, java.util.List<int[]> out) {
        if (depth == b) {
            out.add(prefix.clone());
            return;
        }
        for (int i = 0; i < n; i++) {
            boolean used = false;
            for (int j = 0; j < depth && distinct; j++) {
                used |= prefix[j] == i;
            }
            if (!used) {
                prefix[depth] = i;
                batches(n, b, distinct, prefix, depth + 1, out);
            }
        }
    }

    /** E over all batches of (I − (η/B)ΘS) N (I − (η/B)ΘS)ᵀ, by plain loops. */
    private static Matrix enumerate(Matrix theta, Case c, double eta, Matrix n) {
        java.util.List<int[]> all = new java.util.ArrayList<>();
        batches(c.n(), c.batch(), c.sampling() != Sampling.WITH_REPLACEMENT, new int[c.batch()], 0, all);
        int dim = c.n() * c.k();
        Matrix sum = new Matrix(dim, dim);
        for (int[] batch : all) {
            Matrix s = new Matrix(dim, dim);
            for (int i : batch) {
                for (int k = 0; k < c.k(); k++) {
                    s.set(i * c.k() + k, i * c.k() + k, s.get(i * c.k() + k, i * c.k() + k) + 1);
                }
            }
            Matrix step = Matrix.identity(dim).addInPlace(-eta / c.batch(), Fixtures.multiply(theta, s));
            sum.addInPlace(1.0 / all.size(), Fixtures.multiply(Fixtures.multiply(step, n), step.transpose()));
        }
        return sum;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tinyCases")
    void fullMapEqualsEnumerationOverAllBatches(Case c) {
        Matrix theta = Fixtures.theta(c.n(), c.k(), c.p(), 11);
        SecondMomentMap map = new SecondMomentMap(theta, c.n(), c.k(), c.sampling(), c.batch());
        // A non-symmetric N: the formula holds for any N, so this is the stricter check.
        Matrix n = Fixtures.jacobian(c.n() * c.k(), c.n() * c.k(), 12);
        double eta = 0.8 * map.gdThreshold();
        Matrix expected = enumerate(theta, c, eta, n);
        Matrix got = map.apply(eta, n);
        double scale = Math.max(1, Fixtures.maxAbs(expected));
        for (int i = 0; i < got.data.length; i++) {
            assertEquals(expected.data[i], got.data[i], EXACT_TOL * scale, c.name() + " entry " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tinyCases")
    void withBatchSizeEqualsAFreshMap(Case c) {
        Matrix theta = Fixtures.theta(c.n(), c.k(), c.p(), 15);
        SecondMomentMap fresh = new SecondMomentMap(theta, c.n(), c.k(), c.sampling(), c.batch());
        SecondMomentMap derived = new SecondMomentMap(theta, c.n(), c.k(), c.sampling(), 1).withBatchSize(c.batch());
        assertEquals(c.batch(), derived.batchSize());
        SecondMomentMap base = new SecondMomentMap(theta, c.n(), c.k(), c.sampling(), 1);
        assertSame(base.reduced(), base.withBatchSize(c.batch()).reduced(), "one decomposition for all batch sizes");
        double eta = 0.8 * fresh.gdThreshold();
        Matrix n = Fixtures.jacobian(c.n() * c.k(), c.n() * c.k(), 16);
        // Same decomposition, same coefficients, same operations: equal to the last bit.
        assertEquals(0.0, Fixtures.maxAbs(fresh.apply(eta, n).addInPlace(-1.0, derived.apply(eta, n))), c.name());
        assertEquals(fresh.spectralRadius(eta), derived.spectralRadius(eta), 0.0, c.name());
        assertEquals(CriticalLearningRate.find(fresh).eta(), CriticalLearningRate.find(derived).eta(), 0.0, c.name());
        if (c.sampling() != Sampling.WITH_REPLACEMENT) {
            assertThrows(IllegalArgumentException.class, () -> derived.withBatchSize(c.n() + 1), c.name());
        }
        assertThrows(IllegalArgumentException.class, () -> derived.withBatchSize(0), c.name());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tinyCases")
    void reducedLossEqualsFullLossInRange(Case c) {
        Matrix j = Fixtures.jacobian(c.n() * c.k(), c.p(), 13);
        Matrix theta = Fixtures.gram(j);
        SecondMomentMap map = new SecondMomentMap(theta, c.n(), c.k(), c.sampling(), c.batch());
        Matrix n0 = rangeMoment(j, 14);
        double eta = 0.9 * CriticalLearningRate.find(map).eta();
        double[] full = map.expectedLoss(eta, n0, 30);
        double[] reduced = map.expectedLossInRange(eta, n0, 30);
        for (int t = 0; t <= 30; t++) {
            assertEquals(full[t], reduced[t], FORM_TOL * full[0], c.name() + " t=" + t);
        }
    }

    /** N0 = u0 u0ᵀ + v0 v0ᵀ with u0, v0 = J w in range(Θ). */
    private static Matrix rangeMoment(Matrix j, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Matrix n0 = new Matrix(j.rows, j.rows);
        for (int rep = 0; rep < 2; rep++) {
            double[] w = new double[j.cols];
            for (int i = 0; i < w.length; i++) {
                w[i] = rng.nextGaussian();
            }
            double[] u = Fixtures.times(j, w);
            for (int a = 0; a < u.length; a++) {
                for (int b = 0; b < u.length; b++) {
                    n0.data[a * u.length + b] += u[a] * u[b];
                }
            }
        }
        return n0;
    }

    static Stream<Arguments> fullRankCases() {
        return Stream.of(
                Arguments.of(new Case("n5-K1-B2-with", 5, 1, 9, Sampling.WITH_REPLACEMENT, 2), 0.5),
                Arguments.of(new Case("n5-K1-B2-with-unstable", 5, 1, 9, Sampling.WITH_REPLACEMENT, 2), 1.3),
                Arguments.of(new Case("n5-K1-B3-without", 5, 1, 9, Sampling.WITHOUT_REPLACEMENT, 3), 0.7),
                Arguments.of(new Case("n3-K2-B2-without-unstable", 3, 2, 9, Sampling.WITHOUT_REPLACEMENT, 2), 1.2),
                Arguments.of(new Case("n3-K2-B1-with", 3, 2, 9, Sampling.WITH_REPLACEMENT, 1), 0.6));
    }

    @ParameterizedTest(name = "{0} eta/eta*={1}")
    @MethodSource("fullRankCases")
    void radiusEqualsGrowthOfFullMap(Case c, double fraction) {
        Matrix theta = Fixtures.theta(c.n(), c.k(), c.p(), 21);
        SecondMomentMap map = new SecondMomentMap(theta, c.n(), c.k(), c.sampling(), c.batch());
        assertEquals(c.n() * c.k(), map.rank());
        double eta = fraction * CriticalLearningRate.find(map).eta();
        int dim = c.n() * c.k();
        Matrix cur = Matrix.identity(dim);
        Matrix next = new Matrix(dim, dim);
        double ratio = Double.NaN;
        for (int t = 0; t < 4000; t++) {
            map.apply(eta, cur, next);
            ratio = next.trace() / cur.trace();
            // Renormalise: the full map is linear, so only the direction matters.
            next.scaleInPlace(1.0 / next.trace());
            Matrix swap = cur;
            cur = next;
            next = swap;
        }
        assertEquals(ratio, map.spectralRadius(eta), GROWTH_TOL * ratio, c.name());
    }

    @Test
    void rankDeficientThetaHasNoSpuriousUnitEigenvalue() {
        int n = 6;
        Matrix theta = Fixtures.theta(n, 1, 3, 31);
        SecondMomentMap map = new SecondMomentMap(theta, n, 1, Sampling.WITH_REPLACEMENT, 2);
        assertEquals(3, map.rank());
        double etaStar = CriticalLearningRate.find(map).eta();
        for (double fraction : new double[] {1e-3, 0.1, 0.5, 0.99}) {
            assertTrue(map.spectralRadius(fraction * etaStar) < 1, "rho must be below 1 at " + fraction + " eta*");
        }
        assertTrue(map.spectralRadius(1.01 * etaStar) > 1, "rho must rise above 1 past eta*");
    }

    // ------------------------------------------------------------------ Monte Carlo

    static Stream<Arguments> simulationCases() {
        return Stream.of(
                Arguments.of(new Case("n6-K1-B2-with", 6, 1, 8, Sampling.WITH_REPLACEMENT, 2)),
                Arguments.of(new Case("n6-K1-B3-without", 6, 1, 8, Sampling.WITHOUT_REPLACEMENT, 3)),
                Arguments.of(new Case("n4-K2-B2-with", 4, 2, 5, Sampling.WITH_REPLACEMENT, 2)),
                Arguments.of(new Case("n4-K2-B2-without", 4, 2, 5, Sampling.WITHOUT_REPLACEMENT, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("simulationCases")
    void exactLossMatchesSimulatedSgdFast(Case c) {
        checkAgainstSimulation(c, 2_000, 41);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("simulationCases")
    void exactLossMatchesSimulatedSgdTight(Case c) {
        checkAgainstSimulation(c, 400_000, 42);
    }

    /** Simulates u ← (I − (η/B)ΘS)u with actually sampled indices; compares mean loss at checkpoints. */
    private static void checkAgainstSimulation(Case c, int trajectories, long seed) {
        Matrix j = Fixtures.jacobian(c.n() * c.k(), c.p(), 43);
        Matrix theta = Fixtures.gram(j);
        SecondMomentMap map = new SecondMomentMap(theta, c.n(), c.k(), c.sampling(), c.batch());
        double eta = 0.8 * CriticalLearningRate.find(map).eta();
        int steps = 12;
        int dim = c.n() * c.k();
        double[] u0 = Fixtures.times(j, new SplittableRandom(44).doubles(c.p(), -1, 1).toArray());
        Matrix n0 = new Matrix(dim, dim);
        for (int a = 0; a < dim; a++) {
            for (int b = 0; b < dim; b++) {
                n0.set(a, b, u0[a] * u0[b]);
            }
        }
        double[] exact = map.expectedLoss(eta, n0, steps);
        double[] sum = new double[steps + 1];
        double[] sumSq = new double[steps + 1];
        SplittableRandom rng = new SplittableRandom(seed);
        int[] perm = new int[c.n()];
        double[] su = new double[dim];
        for (int traj = 0; traj < trajectories; traj++) {
            double[] u = u0.clone();
            for (int t = 0; t <= steps; t++) {
                double loss = 0;
                for (double v : u) {
                    loss += v * v;
                }
                loss /= 2.0 * c.n();
                sum[t] += loss;
                sumSq[t] += loss * loss;
                if (t == steps) {
                    break;
                }
                java.util.Arrays.fill(su, 0);
                for (int i = 0; i < c.n(); i++) {
                    perm[i] = i;
                }
                for (int b = 0; b < c.batch(); b++) {
                    int idx;
                    if (c.sampling() == Sampling.WITH_REPLACEMENT) {
                        idx = rng.nextInt(c.n());
                    } else {
                        // Partial Fisher–Yates: the first B entries are a uniform B-subset.
                        int swap = b + rng.nextInt(c.n() - b);
                        int tmp = perm[b];
                        perm[b] = perm[swap];
                        perm[swap] = tmp;
                        idx = perm[b];
                    }
                    for (int k = 0; k < c.k(); k++) {
                        su[idx * c.k() + k] += u[idx * c.k() + k];
                    }
                }
                double[] tsu = Fixtures.times(theta, su);
                for (int a = 0; a < dim; a++) {
                    u[a] -= eta / c.batch() * tsu[a];
                }
            }
        }
        for (int t : new int[] {1, steps / 2, steps}) {
            double mean = sum[t] / trajectories;
            double var = (sumSq[t] / trajectories - mean * mean) * trajectories / (trajectories - 1.0);
            double se = Math.sqrt(var / trajectories);
            assertEquals(exact[t], mean, SIGMAS * se, c.name() + " t=" + t + " se=" + se);
        }
    }

    // ------------------------------------------------------------------ bad inputs

    @Test
    void rejectsBadInputs() {
        Matrix theta = Fixtures.theta(4, 1, 3, 51);
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(new Matrix(4, 3), 4, 1, Sampling.WITH_REPLACEMENT, 1));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(theta, 2, 1, Sampling.WITH_REPLACEMENT, 1));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(theta, 4, 2, Sampling.WITH_REPLACEMENT, 1));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(theta, 0, 1, Sampling.WITH_REPLACEMENT, 1));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(theta, 4, 0, Sampling.WITH_REPLACEMENT, 1));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(theta, 4, 1, Sampling.WITH_REPLACEMENT, 0));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(theta, 4, 1, Sampling.WITHOUT_REPLACEMENT, 5));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(theta, 4, 1, Sampling.EPOCH, 5));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(theta, 4, 1, null, 1));
        // With replacement any B ≥ 1 is allowed.
        new SecondMomentMap(theta, 4, 1, Sampling.WITH_REPLACEMENT, 9);

        Matrix nan = theta.copy();
        nan.set(1, 2, Double.NaN);
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(nan, 4, 1, Sampling.WITH_REPLACEMENT, 1));
        Matrix asym = theta.copy();
        asym.set(0, 3, asym.get(0, 3) + 0.1);
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(asym, 4, 1, Sampling.WITH_REPLACEMENT, 1));
        Matrix negative = theta.copy().scaleInPlace(-1);
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(negative, 4, 1, Sampling.WITH_REPLACEMENT, 1));
        assertThrows(IllegalArgumentException.class, () -> new SecondMomentMap(new Matrix(4, 4), 4, 1, Sampling.WITH_REPLACEMENT, 1));

        SecondMomentMap map = new SecondMomentMap(theta, 4, 1, Sampling.WITH_REPLACEMENT, 2);
        for (double eta : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> map.spectralRadius(eta));
            assertThrows(IllegalArgumentException.class, () -> map.apply(eta, Matrix.identity(4)));
            assertThrows(IllegalArgumentException.class, () -> map.expectedLoss(eta, Matrix.identity(4), 3));
        }
        assertThrows(IllegalArgumentException.class, () -> map.apply(0.1, Matrix.identity(3)));
        Matrix same = Matrix.identity(4);
        assertThrows(IllegalArgumentException.class, () -> map.apply(0.1, same, same));
        assertThrows(IllegalArgumentException.class, () -> map.expectedLoss(0.1, Matrix.identity(4), -1));
        assertThrows(IllegalArgumentException.class, () -> map.radius(0.1, Matrix.identity(map.rank() + 1)));
        assertThrows(IllegalArgumentException.class, () -> SecondMomentMap.gdThreshold(theta, 3));
    }
}
