package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.io.NdArray;
import org.sgdstab.nn.Network;

/** W3: one forward and backward pass of the loss (L and ∇L), MLP 784→512→512→10 tanh, n = 512. */
public record ForwardBackward(Scale scale, long seed) implements Workload {
    static final String VARIANT = "loss+gradient";

    MlpProblem problem() {
        return scale == Scale.FULL
                ? new MlpProblem(512, 784, new int[] {512, 512}, 10, "tanh", 0, seed)
                : new MlpProblem(12, 10, new int[] {8, 6}, 3, "tanh", 0, seed);
    }

    @Override
    public String id() {
        return "W3";
    }

    @Override
    public String description() {
        return "one forward+backward of the loss, " + problem().shape();
    }

    @Override
    public List<String> variants() {
        return List.of(VARIANT);
    }

    @Override
    public double gemmFlops(String variant) {
        return problem().gradientFlops();
    }

    @Override
    public List<Comparison> comparisons() {
        return List.of(Comparison.peer("vs PyTorch autograd", VARIANT, List.of("autograd"), 1));
    }

    @Override
    public Prepared prepare(Path dir) throws IOException {
        MlpProblem.Built b = problem().build(dir);
        Network net = b.model().network();
        double[] theta = b.model().theta();
        double[] grad = new double[net.parameterCount()];
        return variant -> {
            if (!variant.equals(VARIANT)) {
                throw new IllegalArgumentException("W3 has no variant " + variant);
            }
            double loss = net.lossAndGradient(theta, b.x(), b.y(), grad);
            Map<String, NdArray> out = new LinkedHashMap<>();
            NtkDiagnostics.scalar(out, "loss", loss);
            out.put("grad", new NdArray(new int[] {grad.length}, grad));
            return out;
        };
    }
}
