package org.sgdstab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.sgdstab.data.ImportConfig.Format;
import org.sgdstab.data.ImportConfig.Split;
import org.sgdstab.data.ImportConfig.Targets;
import org.sgdstab.linalg.Matrix;

/**
 * The real Fashion-MNIST of Debian's {@code dataset-fashion-mnist} (installed by {@code .ci/run});
 * skipped, saying so, where the package is absent.
 */
class FashionMnistTest {
    /** Standardised data: mean 0 and std 1 up to rounding over 78 400 values of size O(1). */
    private static final double STANDARDISED_TOL = 1e-12;
    /**
     * The commonly quoted statistics of the Fashion-MNIST training pixels /255 are mean 0.2860 and
     * std 0.3530, given to 4 decimals.
     */
    private static final double KNOWN_MEAN = 0.2860;
    private static final double KNOWN_STD = 0.3530;
    private static final double KNOWN_TOL = 1e-4;

    /** Per test, so each is reported as skipped with the reason. */
    @BeforeEach
    void requirePackage() {
        Path dir = ImageImport.FASHION_MNIST_DIR;
        boolean present = Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz"))
                && Files.isRegularFile(dir.resolve("train-labels-idx1-ubyte.gz"))
                && Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"))
                && Files.isRegularFile(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        assumeTrue(present, "Fashion-MNIST not installed in " + dir + " (" + ImageImport.FASHION_MNIST_INSTALL
                + "); skipping the real-data tests");
    }

    @Test
    void readerSeesTheWholeTrainingSetWithItsKnownStatistics() {
        Path dir = ImageImport.FASHION_MNIST_DIR;
        LabeledImages im = IdxReader.read(dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"), 10);
        assertEquals(60000, im.size());
        assertEquals(1, im.channels());
        assertEquals(28, im.height());
        assertEquals(28, im.width());
        int[] counts = new int[10];
        for (int label : im.labels()) {
            counts[label]++;
        }
        int[] sixThousand = new int[10];
        Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, counts, "Fashion-MNIST's training set has 6000 images per class");
        double sum = 0;
        double sumSq = 0;
        for (byte b : im.pixels()) {
            double v = (b & 0xff) / 255.0;
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / im.pixels().length;
        double std = Math.sqrt(sumSq / im.pixels().length - mean * mean);
        assertEquals(KNOWN_MEAN, mean, KNOWN_TOL, "pixel mean");
        assertEquals(KNOWN_STD, std, KNOWN_TOL, "pixel std");
    }

    @Test
    void twoClassesOfOneHundredImages() {
        ImportedImages im = ImageImport.run(new ImportConfig(Format.IDX, null, Split.TRAIN, new int[] {0, 1}, 200,
                Targets.ONEHOT, false, 1));
        Dataset d = im.data();
        assertArrayEquals(new int[] {1, 28, 28}, d.inputShape());
        assertEquals(200, d.size());
        assertEquals(784, d.inputSize());
        assertEquals(2, d.outputs());
        assertArrayEquals(new int[] {100, 100}, im.classCounts());
        Matrix y = d.y();
        double[] columnSums = new double[2];
        for (int r = 0; r < y.rows; r++) {
            assertEquals(1.0, y.get(r, 0) + y.get(r, 1), 0.0, "one-hot row " + r);
            columnSums[0] += y.get(r, 0);
            columnSums[1] += y.get(r, 1);
        }
        assertArrayEquals(new double[] {100, 100}, columnSums, 0.0, "label balance");
        double[] x = d.x().data;
        assertEquals(0.0, Arrays.stream(x).min().orElseThrow(), 0.0, "backgrounds are black");
        assertEquals(1.0, Arrays.stream(x).max().orElseThrow(), 0.0, "some pixels are saturated");
        for (int r = 0; r < d.size(); r++) {
            double[] row = Arrays.copyOfRange(x, r * 784, (r + 1) * 784);
            assertTrue(Arrays.stream(row).distinct().count() > 10, "image " + r + " is not blank");
        }

        ImportedImages z = ImageImport.run(new ImportConfig(Format.IDX, null, Split.TRAIN, new int[] {0, 1}, 200,
                Targets.PM1, true, 1));
        assertArrayEquals(im.sourceIndex(), z.sourceIndex(), "same seed, same images");
        double[] xs = z.data().x().data;
        double mean = Arrays.stream(xs).sum() / xs.length;
        double var = Arrays.stream(xs).map(v -> (v - mean) * (v - mean)).sum() / xs.length;
        assertEquals(0.0, mean, STANDARDISED_TOL);
        assertEquals(1.0, Math.sqrt(var), STANDARDISED_TOL);
        assertEquals(1, z.data().outputs(), "±1 targets for 2 classes: one output");
    }

    @Test
    void testSplitHasOneThousandImagesPerClass() {
        ImportedImages im = ImageImport.run(new ImportConfig(Format.IDX, null, Split.TEST, new int[] {9, 4, 2}, null,
                Targets.ONEHOT, false, 1));
        assertArrayEquals(new int[] {1000, 1000, 1000}, im.classCounts());
        assertArrayEquals(new int[] {3000, 784}, new int[] {im.data().size(), im.data().inputSize()});
    }
}
