package org.sgdstab.data;

import java.nio.file.Path;
import org.sgdstab.io.InputException;

/**
 * What {@link ImageImport} reads and how it turns it into a data set.
 *
 * @param format    the file format of the source
 * @param path      directory holding the source files; null for IDX means the Debian package's
 *                  Fashion-MNIST ({@link ImageImport#FASHION_MNIST_DIR}); required for CIFAR-10
 * @param split     training or test split
 * @param classes   original labels to keep, in the order that maps them to 0..K−1; null keeps all
 *                  10 in order. At least 2, distinct, each in 0..9
 * @param n         total number of images to draw, n/K per class (balanced, seeded); null keeps
 *                  every image of the chosen classes
 * @param targets   target coding of Y
 * @param normalize standardise each channel to mean 0 and standard deviation 1 over the selected
 *                  images (after scaling pixels to [0, 1]); otherwise only scale to [0, 1]
 * @param seed      root seed of the subsampling
 */
public record ImportConfig(Format format, Path path, Split split, int[] classes, Integer n, Targets targets,
                           boolean normalize, long seed) {

    /** Labels in both supported formats are 0..9. */
    public static final int SOURCE_CLASSES = 10;

    /** Source file formats. */
    public enum Format {
        /** MNIST-style IDX files: {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-*}. */
        IDX,
        /** CIFAR-10 binary batches: {@code data_batch_1..5.bin}, {@code test_batch.bin}. */
        CIFAR10
    }

    /** Which part of the source to read. */
    public enum Split {
        /** The training files. */
        TRAIN,
        /** The test files. */
        TEST
    }

    /**
     * Codings of the class index k ∈ 0..K−1 as square-loss targets.
     */
    public enum Targets {
        /** K outputs: 1 at k, 0 elsewhere. */
        ONEHOT,
        /**
         * For K = 2, one output: −1 for k = 0 and +1 for k = 1. For K &gt; 2, K outputs: +1 at k,
         * −1 elsewhere.
         */
        PM1
    }

    public ImportConfig {
        if (format == null || split == null || targets == null) {
            throw new IllegalArgumentException("format, split and targets are required");
        }
        if (format == Format.CIFAR10 && path == null) {
            throw new InputException("--path is required for --format cifar10 (the directory holding data_batch_1.bin … data_batch_5.bin and test_batch.bin)");
        }
        if (classes == null) {
            classes = new int[SOURCE_CLASSES];
            for (int k = 0; k < SOURCE_CLASSES; k++) {
                classes[k] = k;
            }
        } else {
            classes = classes.clone();
        }
        if (classes.length < 2) {
            throw new InputException("--classes needs at least 2 classes, got " + classes.length);
        }
        boolean[] seen = new boolean[SOURCE_CLASSES];
        for (int c : classes) {
            if (c < 0 || c >= SOURCE_CLASSES) {
                throw new InputException("--classes: class " + c + " is out of range 0.." + (SOURCE_CLASSES - 1));
            }
            if (seen[c]) {
                throw new InputException("--classes: class " + c + " is listed twice");
            }
            seen[c] = true;
        }
        if (n != null) {
            if (n < 1) {
                throw new InputException("--n must be at least 1, got " + n);
            }
            if (n % classes.length != 0) {
                throw new InputException("--n " + n + " is not divisible by the number of classes, " + classes.length
                        + " (balanced subsampling draws n/K images per class)");
            }
        }
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }
}
