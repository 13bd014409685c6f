package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.io.NdArray;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Network;
import org.sgdstab.stability.CriticalLearningRate;
import org.sgdstab.stability.SecondMomentMap;
import org.sgdstab.train.Sampling;

/**
 * W7: the exact critical learning rate η*(B) of the second-moment map, from the model (Θ included),
 * MLP 784→512→512→1 tanh, n = 512, B = 32 with replacement. {@code generalized} is the shipped
 * method ({@link CriticalLearningRate#find}); {@code bisection} brackets ρ(η) = 1 directly
 * ({@link CriticalLearningRate#findByBracketing}) and serves as the independent cross-check. No
 * PyTorch peer: PyTorch has no equivalent; the target is absolute (under 5 s).
 */
public record CriticalLearningRateWorkload(Scale scale, long seed) implements Workload {
    static final String GENERALIZED = "generalized";
    static final String BISECTION = "bisection";
    /** The published target for the shipped method. */
    static final double TARGET_SECONDS = 5.0;

    MlpProblem problem() {
        return scale == Scale.FULL
                ? new MlpProblem(512, 784, new int[] {512, 512}, 1, "tanh", 0, seed)
                : new MlpProblem(12, 10, new int[] {8, 6}, 1, "tanh", 0, seed);
    }

    int batchSize() {
        return scale == Scale.FULL ? 32 : 4;
    }

    @Override
    public String id() {
        return "W7";
    }

    @Override
    public String description() {
        return "exact critical learning rate η*(B = " + batchSize() + ", with replacement) including Θ, " + problem().shape();
    }

    @Override
    public List<String> variants() {
        return List.of(GENERALIZED, BISECTION);
    }

    /** Bisection needs dozens of spectral radii (about a minute at full scale): one run suffices for the cross-check. */
    @Override
    public boolean runOnce(String variant) {
        return variant.equals(BISECTION);
    }

    @Override
    public double gemmFlops(String variant) {
        return Double.NaN;
    }

    @Override
    public List<Comparison> comparisons() {
        return List.of(new Comparison("η* by the generalized eigenproblem vs bisection on ρ", GENERALIZED,
                Comparison.Side.JAVA, List.of(BISECTION), Double.NaN, TARGET_SECONDS));
    }

    @Override
    public Prepared prepare(Path dir) throws IOException {
        MlpProblem.Built b = problem().build(dir);
        Network net = b.model().network();
        double[] theta = b.model().theta();
        int n = problem().n();
        return variant -> {
            Matrix gram = net.ntkGram(theta, b.x());
            SecondMomentMap map = new SecondMomentMap(gram, n, net.outputSize(), Sampling.WITH_REPLACEMENT, batchSize());
            CriticalLearningRate.Result r = switch (variant) {
                case GENERALIZED -> CriticalLearningRate.find(map);
                case BISECTION -> CriticalLearningRate.findByBracketing(map);
                default -> throw new IllegalArgumentException("W7 has no variant " + variant);
            };
            Map<String, NdArray> out = new LinkedHashMap<>();
            NtkDiagnostics.scalar(out, "eta_star", r.eta());
            return out;
        };
    }
}
