package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sgdstab.data.Dataset;
import org.sgdstab.data.ImportConfig;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Network;
import org.sgdstab.train.BatchSampler;
import org.sgdstab.train.Sampling;
import org.sgdstab.train.Trainer;

/**
 * W5: one SGD epoch of the small CNN on 2,000 Fashion-MNIST images, B = 64, η = 0.05, square
 * loss on one-hot targets. The order is {@link Sampling#EPOCH}'s (one seeded shuffle, consecutive
 * batches); the last partial batch is dropped (PyTorch's {@code drop_last=True}), so an epoch is
 * ⌊n/B⌋ = 31 steps. The Java side writes that order ({@code order.npy}, steps × B indices), so
 * the peer takes exactly the same batches. Each run starts from the same θ₀; the outputs are the
 * final θ and the loss of every batch.
 */
public record SgdEpoch(Scale scale, long seed, Path fashionMnist) implements Workload {
    static final String VARIANT = "sgd-epoch";
    static final String PEER = "torch-sgd";
    /** A step size well inside the stable range at initialisation (the batch loss falls over the epoch). */
    static final double LR = 0.05;

    /** The default data location ({@code /usr/share/datasets/fashion-mnist}). */
    public SgdEpoch(Scale scale, long seed) {
        this(scale, seed, null);
    }

    CnnProblem problem() {
        return scale == Scale.FULL
                ? new CnnProblem(ImportConfig.Split.TRAIN, 2000, 2000, fashionMnist, seed)
                : new CnnProblem(ImportConfig.Split.TEST, 20, 20, fashionMnist, seed);
    }

    int batchSize() {
        return scale == Scale.FULL ? 64 : 4;
    }

    int steps() {
        return problem().n() / batchSize();
    }

    @Override
    public String id() {
        return "W5";
    }

    @Override
    public String description() {
        return "one SGD epoch (" + steps() + " steps, B = " + batchSize() + ", η = " + LR + ", epoch order), " + problem().shape();
    }

    @Override
    public List<String> variants() {
        return List.of(VARIANT);
    }

    @Override
    public double gemmFlops(String variant) {
        return Double.NaN;
    }

    @Override
    public List<Comparison> comparisons() {
        return List.of(Comparison.peer("vs the same SGD loop in PyTorch (nn.Sequential, autograd)", VARIANT, List.of(PEER), 0.5));
    }

    @Override
    public Optional<String> unavailable() {
        return problem().unavailable();
    }

    @Override
    public Prepared prepare(Path dir) throws IOException {
        int batch = batchSize();
        int steps = steps();
        CnnProblem.Built b = problem().build(dir, spec -> {
            spec.put("batch_size", batch);
            spec.put("steps", steps);
            spec.put("lr", LR);
            spec.put("sampling", "epoch: order.npy holds the steps × B indices; the last partial batch is dropped");
        });
        Network net = b.model().network();
        double[] theta0 = b.model().theta();
        int n = problem().n();
        int[][] order = new int[steps][batch];
        BatchSampler sampler = new BatchSampler(Sampling.EPOCH, n, batch, b.orderRng());
        Matrix orderOut = new Matrix(steps, batch);
        for (int t = 0; t < steps; t++) {
            sampler.next(order[t]);
            for (int j = 0; j < batch; j++) {
                orderOut.data[t * batch + j] = order[t][j];
            }
        }
        Npy.write(dir.resolve("order.npy"), NdArray.of(orderOut));

        Dataset data = b.data();
        Matrix xb = new Matrix(batch, data.inputSize());
        Matrix yb = new Matrix(batch, data.outputs());
        double[] theta = new double[theta0.length];
        double[] grad = new double[theta0.length];
        double[] losses = new double[steps];
        return variant -> {
            if (!variant.equals(VARIANT)) {
                throw new IllegalArgumentException("W5 has no variant " + variant);
            }
            System.arraycopy(theta0, 0, theta, 0, theta.length);
            for (int t = 0; t < steps; t++) {
                Trainer.gather(data, order[t], xb, yb);
                losses[t] = net.lossAndGradient(theta, xb, yb, grad);
                for (int j = 0; j < theta.length; j++) {
                    theta[j] -= LR * grad[j];
                }
            }
            Map<String, NdArray> out = new LinkedHashMap<>();
            out.put("batch_losses", new NdArray(new int[] {steps}, losses));
            out.put("theta", new NdArray(new int[] {theta.length}, theta));
            return out;
        };
    }
}
