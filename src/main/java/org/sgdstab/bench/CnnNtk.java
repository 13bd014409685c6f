package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.sgdstab.data.ImportConfig;
import org.sgdstab.io.NdArray;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Conv2d;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Network;

/**
 * W6: the empirical NTK Gram matrix Θ (nK × nK, K = 10: the ten-class one-hot classifier) of the
 * small CNN on n = 256 Fashion-MNIST images, the first 256 rows of W5's balanced 2,000-image
 * subset (256 is not a multiple of 10, so no balanced draw of exactly 256 exists). Compared with
 * functorch's per-sample Jacobian route, Θ = Σ J·Jᵀ.
 */
public record CnnNtk(Scale scale, long seed, Path fashionMnist) implements Workload {
    static final String VARIANT = "gram";
    /**
     * The one product an exact Θ by per-sample gradients cannot avoid: Z·Zᵀ for the widest
     * per-sample-route layer's gradients Z (nK × p_layer), a single SYRK on seeded values. Timed in
     * the same run, it bounds from below what any implementation of that route can reach here.
     */
    static final String FLOOR = "syrk-floor";
    static final String PEER = "functorch-jjt";

    /** The default data location ({@code /usr/share/datasets/fashion-mnist}). */
    public CnnNtk(Scale scale, long seed) {
        this(scale, seed, null);
    }

    CnnProblem problem() {
        return scale == Scale.FULL
                ? new CnnProblem(ImportConfig.Split.TRAIN, 2000, 256, fashionMnist, seed)
                : new CnnProblem(ImportConfig.Split.TEST, 20, 8, fashionMnist, seed);
    }

    @Override
    public String id() {
        return "W6";
    }

    @Override
    public String description() {
        return "Θ (K = " + CnnProblem.CLASSES + ", nK × nK), " + problem().shape();
    }

    @Override
    public List<String> variants() {
        return List.of(VARIANT, FLOOR);
    }

    /** The parameter count of the largest layer whose Gram goes through per-sample gradients (0 if none). */
    int widestPerSampleLayer() {
        int n = problem().n();
        int widest = 0;
        for (Layer l : problem().layers()) {
            if (l instanceof Conv2d c && c.resolveGramStrategy(n, CnnProblem.CLASSES) == Conv2d.GramStrategy.PER_SAMPLE) {
                widest = Math.max(widest, l.paramCount());
            }
        }
        return widest;
    }

    /**
     * Flops of the Gram kernels the layers choose (each convolution's {@link Conv2d#resolveGramStrategy}
     * route, each dense layer's two SYRKs), without the backward passes of the sensitivities.
     */
    @Override
    public double gemmFlops(String variant) {
        int n = problem().n();
        if (variant.equals(FLOOR)) {
            double rows = (double) n * CnnProblem.CLASSES;
            return rows * rows * widestPerSampleLayer();
        }
        int k = CnnProblem.CLASSES;
        double f = 0;
        for (Layer l : problem().layers()) {
            if (l instanceof Conv2d c) {
                f += c.resolveGramStrategy(n, k) == Conv2d.GramStrategy.SPATIAL ? c.spatialGramFlops(n, k) : c.perSampleGramFlops(n, k);
            } else if (l instanceof org.sgdstab.nn.Dense) {
                f += (double) n * n * l.inputSize() + (double) n * k * n * k * l.outputSize();
            }
        }
        return f;
    }

    @Override
    public List<Comparison> comparisons() {
        return List.of(Comparison.peer("vs functorch per-sample J, then J·Jᵀ", VARIANT, List.of(PEER), 10));
    }

    @Override
    public Optional<String> unavailable() {
        return problem().unavailable();
    }

    @Override
    public Prepared prepare(Path dir) throws IOException {
        CnnProblem.Built b = problem().build(dir, spec -> spec.put("computes", "Θ, row/column i·K + k"));
        Network net = b.model().network();
        double[] theta = b.model().theta();
        int rows = problem().n() * CnnProblem.CLASSES;
        int width = Math.max(1, widestPerSampleLayer());
        // Z is drawn on the floor variant's first run, so that it does not count in Θ's peak RSS.
        double[][] zHolder = new double[1][];
        return variant -> {
            if (variant.equals(FLOOR)) {
                if (zHolder[0] == null) {
                    java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
                    zHolder[0] = new double[rows * width];
                    for (int i = 0; i < zHolder[0].length; i++) {
                        zHolder[0][i] = rng.nextDouble() - 0.5;
                    }
                }
                double[] z = zHolder[0];
                Matrix zzt = new Matrix(rows, rows);
                Blas.get().syrk(false, rows, width, 1.0, z, 0, width, 0.0, zzt.data, 0, rows);
                return Map.of("floor_trace", NdArray.of(new Matrix(1, 1, new double[] {zzt.trace()})));
            }
            if (!variant.equals(VARIANT)) {
                throw new IllegalArgumentException("W6 has no variant " + variant);
            }
            return Map.of("gram", NdArray.of(net.ntkGram(theta, b.data().x())));
        };
    }
}
