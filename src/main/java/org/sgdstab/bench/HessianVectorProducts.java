package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.sgdstab.io.NdArray;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Network;

/**
 * W2: exact Hessian-vector products of the loss by the R-operator, MLP 784→512→512→10 tanh,
 * n = 512: one direction ({@code hvp-1}) and a block of 16 ({@code hvp-block}), against PyTorch's
 * double backward and functorch's forward-over-reverse (the faster of the two counts).
 */
public record HessianVectorProducts(Scale scale, long seed) implements Workload {
    static final String ONE = "hvp-1";
    static final String BLOCK = "hvp-block";

    MlpProblem problem() {
        return scale == Scale.FULL
                ? new MlpProblem(512, 784, new int[] {512, 512}, 10, "tanh", 16, seed)
                : new MlpProblem(12, 10, new int[] {8, 6}, 3, "tanh", 4, seed);
    }

    @Override
    public String id() {
        return "W2";
    }

    @Override
    public String description() {
        return "exact HVP of the loss (1 and " + problem().directions() + " directions), " + problem().shape();
    }

    @Override
    public List<String> variants() {
        return List.of(ONE, BLOCK);
    }

    @Override
    public double gemmFlops(String variant) {
        return problem().hvpFlops(variant.equals(ONE) ? 1 : problem().directions());
    }

    @Override
    public List<Comparison> comparisons() {
        int m = problem().directions();
        return List.of(
                Comparison.peer("1 HVP vs PyTorch's best single HVP", ONE, List.of("double-backward", "functorch-fwdrev"), 1),
                // The target: a block of m against PyTorch's per-vector throughput, m single HVPs.
                Comparison.peerPerVector(m + " HVPs vs " + m + " × PyTorch's best single HVP", BLOCK,
                        List.of("double-backward", "functorch-fwdrev"), 3, m),
                // Stricter, no target: against PyTorch's own batched m (one retained graph, or vmap).
                Comparison.peer(m + " HVPs vs PyTorch's best batched " + m, BLOCK,
                        List.of("double-backward-block", "functorch-fwdrev-block"), Double.NaN));
    }

    @Override
    public Prepared prepare(Path dir) throws IOException {
        MlpProblem.Built b = problem().build(dir);
        Network net = b.model().network();
        double[] theta = b.model().theta();
        int p = net.parameterCount();
        Matrix dirs = b.dirs();
        Matrix one = new Matrix(1, p, java.util.Arrays.copyOf(dirs.data, p));
        Matrix outOne = new Matrix(1, p);
        Matrix outBlock = new Matrix(dirs.rows, p);
        return variant -> {
            switch (variant) {
                case ONE -> {
                    net.hessianVectorProduct(theta, b.x(), b.y(), one, outOne);
                    return Map.of("hv", NdArray.of(outOne));
                }
                case BLOCK -> {
                    net.hessianVectorProduct(theta, b.x(), b.y(), dirs, outBlock);
                    return Map.of("hv", NdArray.of(outBlock));
                }
                default -> throw new IllegalArgumentException("W2 has no variant " + variant);
            }
        };
    }
}
