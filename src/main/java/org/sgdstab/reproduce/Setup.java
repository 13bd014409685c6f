package org.sgdstab.reproduce;

/**
 * The sizes of one model family at one {@link Scale}.
 *
 * @param n           training samples
 * @param d           input dimension
 * @param sizes       model sizes (the family's size parameter) for the size studies, ascending
 * @param trainSize   the size trained for the along-training figures (1a, 2, 3b)
 * @param lrFraction  η = lrFraction · 2/λ_max(G) at the initialisation of the largest size (fixed across sizes);
 *                    for VGG and ResNet at the initialisation of each depth (see {@link Problems#learningRate(Family, int)})
 * @param batch       B of the SGD runs
 * @param steps       maximum SGD steps
 * @param seeds       seeds of the size studies
 * @param points      diagnostics points along training (evenly spaced, plus the start and the end)
 */
public record Setup(int n, int d, int[] sizes, int trainSize, double lrFraction, int batch, int steps, int seeds, int points) {
    /** Convergence: SGD stops when the training loss falls to this. */
    public static final double TOLERANCE = 1e-5;

    public Setup {
        sizes = sizes.clone();
    }

    @Override
    public int[] sizes() {
        return sizes.clone();
    }

    /** The setup of {@code family} at {@code scale}. */
    public static Setup of(Family family, Scale scale) {
        return switch (family) {
            case RF -> switch (scale) {
                case TINY -> new Setup(20, 5, new int[] {32, 256}, 64, 0.5, 5, 150, 2, 4);
                case QUICK -> new Setup(100, 10, new int[] {100, 1000, 10000}, 1000, 0.5, 5, 1500, 5, 20);
                case FULL -> new Setup(400, 20, new int[] {400, 4000, 40000}, 4000, 0.5, 5, 20000, 5, 50);
            };
            case LINEAR -> switch (scale) {
                case TINY -> new Setup(10, 20, new int[] {4, 16}, 8, 0.1, 5, 150, 2, 4);
                case QUICK -> new Setup(50, 100, new int[] {4, 16, 64, 256}, 64, 0.1, 5, 1500, 5, 20);
                case FULL -> new Setup(100, 200, new int[] {8, 32, 128, 512}, 128, 0.1, 5, 20000, 5, 50);
            };
            case FCN -> switch (scale) {
                case TINY -> new Setup(20, 196, new int[] {4, 32}, 8, 0.25, 5, 150, 2, 4);
                // 6000 quick steps: at 1500 the FCN had not converged (L ≈ 0.08) on the hard T-shirt/shirt pair.
                case QUICK -> new Setup(100, 196, new int[] {4, 16, 64, 512}, 64, 0.25, 5, 6000, 5, 20);
                case FULL -> new Setup(1000, 784, new int[] {16, 64, 256, 1024}, 256, 0.25, 5, 20000, 5, 50);
            };
            // Sizes: the channels c of the first convolution (p ≈ 18c²), so p spans two orders of magnitude.
            case CNN -> switch (scale) {
                case TINY -> new Setup(20, 49, new int[] {2, 8}, 4, 0.25, 5, 150, 2, 4);
                case QUICK -> new Setup(100, 196, new int[] {2, 8, 32}, 8, 0.25, 5, 4000, 5, 20);
                case FULL -> new Setup(1000, 784, new int[] {2, 8, 32, 64}, 16, 0.25, 5, 20000, 5, 50);
            };
            // Sizes: depths (channel multiplier: Problems.channelMultiplier). VGG sees full 28×28 images: its max-pools
            // shrink 14×14 maps to 1×1, where the He-initialised signal of VGG-16/19 vanishes and they do not train.
            // η = 0.1 (not 0.25) · the GD edge: at 0.25 VGG-13 stayed at the constant predictor (L ≈ 0.5).
            case VGG -> switch (scale) {
                case TINY -> new Setup(10, 49, new int[] {11, 13}, 11, 0.1, 5, 60, 1, 3);
                case QUICK -> new Setup(100, 784, new int[] {11, 13, 16, 19}, 11, 0.1, 5, 4000, 1, 20);
                case FULL -> new Setup(1000, 784, new int[] {11, 13, 16, 19}, 11, 0.1, 5, 20000, 3, 50);
            };
            case RESNET -> switch (scale) {
                case TINY -> new Setup(10, 49, new int[] {8, 14}, 8, 0.25, 5, 60, 1, 3);
                case QUICK -> new Setup(100, 196, new int[] {8, 14, 20}, 8, 0.25, 5, 6000, 1, 20);
                case FULL -> new Setup(1000, 784, new int[] {20, 32, 44, 56}, 20, 0.25, 5, 20000, 3, 50);
            };
        };
    }
}
