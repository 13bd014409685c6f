package org.sgdstab.reproduce;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.sgdstab.data.Dataset;
import org.sgdstab.data.ImageImport;
import org.sgdstab.data.ImportConfig;
import org.sgdstab.data.SyntheticConfig;
import org.sgdstab.data.SyntheticData;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Conv2d;
import org.sgdstab.nn.ConvPresets;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Flatten;
import org.sgdstab.nn.ImageShape;
import org.sgdstab.nn.MaxPool2d;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelPresets;
import org.sgdstab.nn.Network;
import org.sgdstab.nn.Relu;
import org.sgdstab.noise.NoiseAlignment;

/**
 * The data sets and models of the reproduction. Data depend only on the family, the scale and the root
 * seed (every model of a family sees the same data); models on the size and the run's seed. Data sets
 * are built once per process and shared read-only.
 */
public final class Problems {
    /** Fashion-MNIST classes of the image tasks (FCN, CNN, VGG, ResNet): T-shirt/top (−1) against shirt (+1), a hard pair. */
    static final int[] FASHION_CLASSES = {0, 6};
    /** Teacher width of the random-feature task's targets. */
    static final int TEACHER_WIDTH = 16;

    private final Scale scale;
    private final long seed;
    private final Map<Family, Dataset> data = new ConcurrentHashMap<>();
    private final Map<Family, Double> lr = new ConcurrentHashMap<>();
    private final Map<Integer, Double> depthLr = new ConcurrentHashMap<>();

    /** Problems for one reproduction. */
    public Problems(Scale scale, long seed) {
        this.scale = scale;
        this.seed = seed;
    }

    /** The scale. */
    public Scale scale() {
        return scale;
    }

    /** The family's setup at this scale. */
    public Setup setup(Family f) {
        return Setup.of(f, scale);
    }

    /** The family's training data (built on first use; not to be modified). */
    public Dataset data(Family f) {
        return data.computeIfAbsent(f, this::buildData);
    }

    private Dataset buildData(Family f) {
        Setup s = setup(f);
        long dataSeed = new SplittableRandom(seed).split().nextLong() ^ f.ordinal();
        return switch (f) {
            // x uniform on S^{d−1} as in Proposition 2.5; targets from a random tanh teacher.
            case RF -> SyntheticData.generate(new SyntheticConfig(SyntheticConfig.InputKind.SPHERE, s.n(), s.d(), null,
                    SyntheticConfig.Teacher.MLP_TANH, TEACHER_WIDTH, 1, 0.0, dataSeed));
            // x ~ N(0, I_d/d) so that ‖x‖ ≈ 1, y = √d·Wx with W ~ N(0, 1/d) so y = O(1): n < d, so interpolation is possible.
            case LINEAR -> {
                Dataset g = SyntheticData.generate(new SyntheticConfig(SyntheticConfig.InputKind.GAUSSIAN, s.n(), s.d(), null,
                        SyntheticConfig.Teacher.LINEAR, 1, 1, 0.0, dataSeed));
                Matrix x = g.x().copy();
                double scaleX = 1.0 / Math.sqrt(s.d());
                for (int i = 0; i < x.data.length; i++) {
                    x.data[i] *= scaleX;
                }
                yield new Dataset(x, g.y());
            }
            case FCN, CNN, VGG, RESNET -> fashion(s.n(), s.d(), dataSeed);
        };
    }

    /**
     * A balanced two-class Fashion-MNIST subset with ±1 targets, average-pooled to d = side² pixels
     * (28 must be a multiple of the side) and standardised to mean 0, variance 1 over all its pixels.
     */
    static Dataset fashion(int n, int d, long seed) {
        int side = (int) Math.round(Math.sqrt(d));
        if (side * side != d || 28 % side != 0) {
            throw new IllegalArgumentException("d = " + d + " is not a square whose side divides 28");
        }
        Dataset raw = ImageImport.run(new ImportConfig(ImportConfig.Format.IDX, null, ImportConfig.Split.TRAIN, FASHION_CLASSES, n,
                ImportConfig.Targets.PM1, false, seed)).data();
        int f = 28 / side;
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    double sum = 0;
                    for (int a = 0; a < f; a++) {
                        for (int b = 0; b < f; b++) {
                            sum += raw.x().data[i * 784 + (r * f + a) * 28 + c * f + b];
                        }
                    }
                    x.data[i * d + r * side + c] = sum / (f * f);
                }
            }
        }
        double mean = 0;
        for (double v : x.data) {
            mean += v;
        }
        mean /= x.data.length;
        double var = 0;
        for (double v : x.data) {
            var += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(var / x.data.length);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = (x.data[i] - mean) / sd;
        }
        return new Dataset(x, raw.y().copy(), new int[] {1, side, side});
    }

    /** A fresh model of the family at {@code size}, initialised from {@code modelSeed}. */
    public Model model(Family f, int size, long modelSeed) {
        Setup s = setup(f);
        SplittableRandom rng = new SplittableRandom(modelSeed);
        return switch (f) {
            case RF -> ntkRandomFeatures(s.d(), size, rng);
            // N(0, 1/fan_in) weights preserve norms layer to layer, so the curvature at initialisation is already
            // of the order it has at the minima (with PyTorch's default the product of three small matrices starts near 0).
            case LINEAR -> new Initializer.ScaledGaussian(1.0).initialize(ModelPresets.deepLinear(s.d(), new int[] {size, size}, 1), rng);
            case FCN -> new Initializer.TorchDefault().initialize(ModelPresets.mlp(s.d(), new int[] {size}, "tanh", 1), rng);
            case CNN -> new Initializer.TorchDefault().initialize(smallCnn(side(s.d()), size), rng);
            // He initialisation: without batch normalisation PyTorch's default (variance 1/(3 fan_in)) shrinks the
            // signal layer by layer, and a VGG-19 would start with a constant output and vanishing gradients.
            case VGG -> new Initializer.ScaledGaussian(Math.sqrt(2)).initialize(
                    ConvPresets.vgg(size, channelMultiplier(f, scale), 1, side(s.d()), side(s.d()), 1), rng);
            case RESNET -> new Initializer.Fixup().initialize(
                    ConvPresets.resnet(size, channelMultiplier(f, scale), 1, side(s.d()), side(s.d()), 1), rng);
        };
    }

    /** The channel multiplier of the VGG and ResNet families at {@code scale} (1 for the others). */
    static double channelMultiplier(Family f, Scale scale) {
        return switch (f) {
            // VGG: 64 … 512 channels scaled to 4 … 32 (tiny), 8 … 64 (quick), 16 … 128 (full).
            case VGG -> switch (scale) {
                case TINY -> 1.0 / 16;
                case QUICK -> 1.0 / 8;
                case FULL -> 1.0 / 4;
            };
            // ResNet: 16, 32, 64 channels scaled to 4, 8, 16 (tiny), 8, 16, 32 (quick), full width (full).
            case RESNET -> switch (scale) {
                case TINY -> 0.25;
                case QUICK -> 0.5;
                case FULL -> 1.0;
            };
            default -> 1.0;
        };
    }

    private static int side(int d) {
        return (int) Math.round(Math.sqrt(d));
    }

    /**
     * The small CNN with a channel multiplier: conv3×3(1→c, pad 1) ReLU maxpool2 conv3×3(c→2c, pad 1) ReLU
     * maxpool2, flatten, linear(→1); {@link ConvPresets#smallCnn} is the c = 16 member on any input.
     */
    static List<Layer> smallCnn(int side, int c) {
        List<Layer> layers = new java.util.ArrayList<>();
        ImageShape s = new ImageShape(1, side, side);
        for (int out : new int[] {c, 2 * c}) {
            Conv2d conv = new Conv2d(s, out, 3, 1, 1, true, true);
            layers.add(conv);
            layers.add(new Relu(conv.outputSize()));
            MaxPool2d pool = new MaxPool2d(conv.outputShape(), 2, 2);
            layers.add(pool);
            s = pool.outputShape();
        }
        layers.add(new Flatten(s.size()));
        layers.add(new Dense(s.size(), 1, true, true));
        return layers;
    }

    /**
     * Proposition 2.5's features φ_j(x) = ReLU(w_jᵀx), w_j ~ Unif(√d·S^{d−1}) frozen, in the NTK scaling
     * f(x) = m^{−1/2} Σ_j a_j φ_j(x) with a_j ~ N(0, 1): ReLU is positively homogeneous, so the factor
     * m^{−1/2} is folded into the frozen weights. It keeps the curvature of order 1 for every m, so one η
     * serves all sizes.
     */
    static Model ntkRandomFeatures(int d, int m, SplittableRandom rng) {
        Model base = ModelPresets.randomFeatures(d, m, 1, rng);
        double[] w = base.network().frozenWeights().clone();
        double s = 1.0 / Math.sqrt(m);
        for (int i = 0; i < w.length; i++) {
            w[i] *= s;
        }
        double[] head = base.theta().clone();
        double up = Math.sqrt(m);
        for (int i = 0; i < head.length; i++) {
            head[i] *= up;
        }
        List<Layer> layers = List.of(new Dense(d, m, false, false), new Relu(m), new Dense(m, 1, false, true));
        return new Model(new Network(layers, w), head);
    }

    /** λ_max(G) at a fresh model of the family's largest size (seeded by the root seed). */
    public double initialSharpness(Family f) {
        int[] sizes = setup(f).sizes();
        return initialSharpness(f, sizes[sizes.length - 1]);
    }

    /** λ_max(G) at a fresh model of the family at {@code size} (seeded by the root seed). */
    double initialSharpness(Family f, int size) {
        Model m = model(f, size, seed);
        Dataset dd = data(f);
        return NoiseAlignment.of(m.network(), m.theta(), dd.x(), dd.y()).fisherLambdaMax();
    }

    /**
     * The SGD learning rate of the family at {@code size}: {@link #learningRate(Family)} for the families of
     * the size studies (one η for every size); for VGG and ResNet a fraction of the GD edge at the
     * initialisation of that depth, since their curvature at initialisation differs by orders of magnitude
     * across depths and Figure 6 compares each depth with its own bound sqrt(B/µ)/η.
     */
    public double learningRate(Family f, int size) {
        return switch (f) {
            case VGG, RESNET -> depthLr.computeIfAbsent(f.ordinal() * 1_000_000 + size,
                    k -> setup(f).lrFraction() * 2.0 / initialSharpness(f, size));
            default -> learningRate(f);
        };
    }

    /**
     * The family's SGD learning rate, the same for every size: a fraction of the GD edge 2/λ_max(G) at
     * the initialisation of the largest model, whose curvature is the largest.
     */
    public double learningRate(Family f) {
        return lr.computeIfAbsent(f, k -> setup(k).lrFraction() * 2.0 / initialSharpness(k));
    }
}
