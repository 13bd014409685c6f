package org.sgdstab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.data.Dataset;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.Network;
import org.sgdstab.train.BatchSampler;
import org.sgdstab.train.Sampling;

/** The engine's trajectory equals a plain loop of Network.lossAndGradient on gathered batches, step for step. */
class SgdEngineTest {
    /**
     * Relative agreement of losses and θ. The engine reorders sums (incremental pre-activations, row
     * gathers) so the two agree to round-off that grows slowly with steps; 1e-10 is far above that
     * (about 1e-14 per step) and far below any real error (a wrong step changes the loss at O(η)).
     */
    static final double RELATIVE_TOLERANCE = 1e-10;
    /** Long enough to cross two exact refreshes of the incremental pre-activations. */
    static final int STEPS = 2 * SgdEngine.REFRESH_EVERY + 5;
    static final double LR = 0.05;
    static final int BATCH = 3;

    static Stream<Arguments> cases() {
        return Problems.engineCases().stream().map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPlainLoop(String name, Problems.Case c) {
        Network net = c.model().network();
        Dataset data = c.data();
        SgdEngine engine = new SgdEngine(net, data, BATCH, LR, null);
        engine.reset(c.model().theta());
        BatchSampler s1 = new BatchSampler(Sampling.WITH_REPLACEMENT, data.size(), BATCH, new SplittableRandom(9));
        BatchSampler s2 = new BatchSampler(Sampling.WITH_REPLACEMENT, data.size(), BATCH, new SplittableRandom(9));
        double[] theta = c.model().theta().clone();
        double[] grad = new double[theta.length];
        int[] idx1 = new int[BATCH];
        int[] idx2 = new int[BATCH];
        Matrix xb = new Matrix(BATCH, data.inputSize());
        Matrix yb = new Matrix(BATCH, data.outputs());
        for (int t = 0; t <= STEPS; t++) {
            double expected = net.loss(theta, data.x(), data.y());
            double got = engine.loss();
            assertEquals(expected, got, RELATIVE_TOLERANCE * Math.abs(expected), name + ": loss at step " + t);
            s1.next(idx1);
            s2.next(idx2);
            engine.step(idx1);
            for (int r = 0; r < BATCH; r++) {
                System.arraycopy(data.x().data, idx2[r] * data.inputSize(), xb.data, r * data.inputSize(), data.inputSize());
                System.arraycopy(data.y().data, idx2[r] * data.outputs(), yb.data, r * data.outputs(), data.outputs());
            }
            net.lossAndGradient(theta, xb, yb, grad);
            for (int j = 0; j < theta.length; j++) {
                theta[j] -= LR * grad[j];
            }
        }
        double[] mine = engine.theta();
        double scale = 0;
        for (double v : theta) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int j = 0; j < theta.length; j++) {
            assertEquals(theta[j], mine[j], RELATIVE_TOLERANCE * scale, name + ": θ[" + j + "]");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void lossWithoutStepsIsTheNetworkLoss(String name, Problems.Case c) {
        Model m = c.model();
        SgdEngine engine = new SgdEngine(m.network(), c.data(), BATCH, LR, SgdEngine.inputGram(m.network(), c.data()));
        engine.reset(m.theta());
        double expected = m.loss(c.data().x(), c.data().y());
        assertEquals(expected, engine.loss(), RELATIVE_TOLERANCE * expected, name);
        assertTrue(engine.loss() == engine.loss(), name + ": repeated loss without a step is the same");
    }
}
