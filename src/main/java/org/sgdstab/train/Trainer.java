package org.sgdstab.train;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.sgdstab.data.Dataset;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.Network;

/**
 * SGD (with or without replacement, or epoch shuffling) and GD on the square loss.
 * Step t's record holds the state after t updates, from t = 0.
 */
public final class Trainer {
    private Trainer() {
    }

    /** How a run ended. */
    public enum Status {
        /** All steps done. */
        COMPLETED,
        /** The training loss fell to the tolerance. */
        CONVERGED,
        /** The loss exceeded the divergence cap or stopped being finite; the last finite state is kept. */
        DIVERGED,
        /** Stopped from outside (Ctrl-C); the state at the stop is kept. */
        INTERRUPTED;

        /** Lower-case name for outputs. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Receives the run's records as they happen. */
    public interface Observer {
        /** A logged step: the full training loss and, on diagnostic steps, the diagnostics (else null). */
        void onLog(long step, double loss, Map<String, Double> diagnostics);

        /** An intermediate checkpoint of θ after {@code step} updates; θ must be copied if kept. */
        default void onCheckpoint(long step, double[] theta) {
        }

        /** Progress after each update, for progress bars. */
        default void onStep(long step) {
        }
    }

    /**
     * The outcome.
     *
     * @param status    how it ended
     * @param steps     updates applied to the returned θ
     * @param finalLoss training loss of the returned θ
     * @param theta     the final (or last finite) parameters
     */
    public record Result(Status status, long steps, double finalLoss, double[] theta) {
    }

    /**
     * Trains from {@code start} (not modified).
     *
     * @param diagnostics evaluated every {@code diagnosticsEvery} steps, or null
     * @param stop        polled each step; true ends the run as interrupted
     */
    public static Result run(Model start, Dataset data, TrainConfig cfg, Diagnostics diagnostics,
                             BooleanSupplier stop, Observer observer) {
        Network net = start.network();
        data.requireFits(net.inputSize(), net.outputSize(), "X", "Y");
        cfg.requireFits(data.size());
        int n = data.size();
        SplittableRandom root = new SplittableRandom(cfg.seed());
        SplittableRandom batchRng = root.split();
        boolean gd = cfg.optimizer() == TrainConfig.Optimizer.GD;
        int b = gd ? n : cfg.batchSize();
        BatchSampler sampler = gd ? null : new BatchSampler(cfg.sampling(), n, b, batchRng);
        int[] idx = new int[b];
        Matrix xb = new Matrix(b, data.inputSize());
        Matrix yb = new Matrix(b, data.outputs());
        double[] theta = start.theta().clone();
        double[] lastFinite = theta.clone();
        double[] grad = new double[theta.length];
        long lastFiniteStep = 0;
        double lastFiniteLoss = Double.NaN;

        for (long t = 0; ; t++) {
            boolean last = t == cfg.steps();
            boolean logStep = t % cfg.logEvery() == 0 || last;
            boolean diagStep = diagnostics != null && cfg.diagnosticsEvery() > 0 && (t % cfg.diagnosticsEvery() == 0 || last);
            double loss = Double.NaN;
            if (logStep || diagStep) {
                loss = net.loss(theta, data.x(), data.y());
                if (!Double.isFinite(loss) || loss > cfg.divergenceCap()) {
                    observer.onLog(t, loss, null);
                    return new Result(Status.DIVERGED, lastFiniteStep, lastFiniteLoss, lastFinite);
                }
                observer.onLog(t, loss, diagStep ? diagnostics.at(theta) : null);
                System.arraycopy(theta, 0, lastFinite, 0, theta.length);
                lastFiniteStep = t;
                lastFiniteLoss = loss;
                if (loss <= cfg.tolerance()) {
                    return new Result(Status.CONVERGED, t, loss, theta);
                }
            }
            if (cfg.checkpointEvery() > 0 && t > 0 && t % cfg.checkpointEvery() == 0 && !last) {
                observer.onCheckpoint(t, theta);
            }
            if (last) {
                return new Result(Status.COMPLETED, t, loss, theta);
            }
            if (stop.getAsBoolean()) {
                double l = Double.isNaN(loss) ? net.loss(theta, data.x(), data.y()) : loss;
                if (!logStep && Double.isFinite(l)) {
                    observer.onLog(t, l, null);
                }
                return Double.isFinite(l)
                        ? new Result(Status.INTERRUPTED, t, l, theta)
                        : new Result(Status.INTERRUPTED, lastFiniteStep, lastFiniteLoss, lastFinite);
            }
            double batchLoss;
            if (gd) {
                batchLoss = net.lossAndGradient(theta, data.x(), data.y(), grad);
            } else {
                sampler.next(idx);
                gather(data, idx, xb, yb);
                batchLoss = net.lossAndGradient(theta, xb, yb, grad);
            }
            if (!Double.isFinite(batchLoss)) {
                return new Result(Status.DIVERGED, lastFiniteStep, lastFiniteLoss, lastFinite);
            }
            double lr = cfg.lr();
            for (int j = 0; j < theta.length; j++) {
                theta[j] -= lr * grad[j];
            }
            observer.onStep(t + 1);
        }
    }

    /** Copies the rows idx of the data set into xb, yb. Modifies xb, yb. */
    public static void gather(Dataset data, int[] idx, Matrix xb, Matrix yb) {
        int d = data.inputSize();
        int k = data.outputs();
        for (int r = 0; r < idx.length; r++) {
            System.arraycopy(data.x().data, idx[r] * d, xb.data, r * d, d);
            System.arraycopy(data.y().data, idx[r] * k, yb.data, r * k, k);
        }
    }
}
