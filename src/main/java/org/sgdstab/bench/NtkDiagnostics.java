package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.io.NdArray;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Network;
import org.sgdstab.noise.NoiseAlignment;

/**
 * W1: the empirical NTK Gram matrix Θ and every noise-alignment diagnostic of
 * {@link NoiseAlignment} (α, β, µ, µ1, µ2, γ, τ and the traces and norms behind them), for an
 * MLP 784→512→512→1 tanh on n = 512 samples. Variant {@code gram} times Θ alone (the GEMM-bound
 * part); {@code gram+diagnostics} is the full computation compared with PyTorch.
 */
public record NtkDiagnostics(Scale scale, long seed) implements Workload {
    static final String GRAM = "gram";
    static final String FULL = "gram+diagnostics";

    MlpProblem problem() {
        return scale == Scale.FULL
                ? new MlpProblem(512, 784, new int[] {512, 512}, 1, "tanh", 0, seed)
                : new MlpProblem(12, 10, new int[] {8, 6}, 1, "tanh", 0, seed);
    }

    @Override
    public String id() {
        return "W1";
    }

    @Override
    public String description() {
        return "Θ plus every alignment diagnostic, " + problem().shape();
    }

    @Override
    public List<String> variants() {
        return List.of(GRAM, FULL);
    }

    @Override
    public double gemmFlops(String variant) {
        return variant.equals(GRAM) ? problem().gramFlops() : Double.NaN;
    }

    @Override
    public List<Comparison> comparisons() {
        return List.of(
                Comparison.peer("vs functorch per-sample J, then J·Jᵀ", FULL, List.of("functorch-jjt"), 30),
                Comparison.peer("vs the structured per-layer formula in PyTorch", FULL, List.of("structured"), 1));
    }

    @Override
    public Prepared prepare(Path dir) throws IOException {
        MlpProblem.Built b = problem().build(dir);
        Network net = b.model().network();
        double[] theta = b.model().theta();
        return variant -> switch (variant) {
            case GRAM -> Map.of("gram", NdArray.of(net.ntkGram(theta, b.x())));
            case FULL -> {
                Matrix gram = net.ntkGram(theta, b.x());
                NoiseAlignment a = NoiseAlignment.of(gram, net.residuals(theta, b.x(), b.y()));
                yield outputs(gram, a);
            }
            default -> throw new IllegalArgumentException("W1 has no variant " + variant);
        };
    }

    /** Θ and every diagnostic, named as the peer names them. */
    static Map<String, NdArray> outputs(Matrix gram, NoiseAlignment a) {
        Map<String, NdArray> out = new LinkedHashMap<>();
        out.put("gram", NdArray.of(gram));
        scalar(out, "loss", a.loss());
        scalar(out, "grad_norm", a.gradNorm());
        scalar(out, "fisher_trace", a.fisherTrace());
        scalar(out, "fisher_frobenius", a.fisherFrobenius());
        scalar(out, "fisher_lambda_max", a.fisherLambdaMax());
        scalar(out, "tr_sigma_g", a.trSigmaG());
        scalar(out, "tr_sigma1_g", a.trSigma1G());
        scalar(out, "tr_sigma2_g", a.trSigma2G());
        scalar(out, "sigma_frobenius", a.sigmaFrobenius());
        scalar(out, "alpha", a.alpha());
        scalar(out, "beta", a.beta());
        scalar(out, "mu", a.mu());
        scalar(out, "mu1", a.mu1());
        scalar(out, "mu2", a.mu2());
        scalar(out, "gamma", a.gamma());
        scalar(out, "tau", a.tau());
        return out;
    }

    static void scalar(Map<String, NdArray> out, String name, double v) {
        out.put(name, new NdArray(new int[0], new double[] {v}));
    }
}
