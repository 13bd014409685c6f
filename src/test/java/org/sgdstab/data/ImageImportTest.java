package org.sgdstab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.data.ImportConfig.Format;
import org.sgdstab.data.ImportConfig.Split;
import org.sgdstab.data.ImportConfig.Targets;
import org.sgdstab.io.InputException;
import org.sgdstab.linalg.Matrix;

/**
 * {@link ImageImport} on small generated sources: the rows are exactly the chosen images (checked
 * against the pixel function the files were written from), balanced and seeded, with the right
 * targets and per-channel standardisation.
 */
class ImageImportTest {
    /** Standardised data: mean 0 and std 1 up to rounding over ≤ 10⁴ values of size O(1). */
    private static final double STANDARDISED_TOL = 1e-12;
    /** Recorded statistics against a plain-loop recomputation, both summing O(10⁴) terms. */
    private static final double STATS_TOL = 1e-13;

    private static final int ROWS = 6;
    private static final int COLS = 5;
    private static final int[] IDX_TRAIN = ImageFixtures.labels(200, 11);
    private static final int[] IDX_TEST = ImageFixtures.labels(50, 12);
    private static final int[] CIFAR_TRAIN = ImageFixtures.labels(60, 13);
    /** Two images of each class, so every class can be chosen. */
    private static final int[] CIFAR_TEST = java.util.stream.IntStream.range(0, 20).map(i -> i % 10).toArray();

    @TempDir
    static Path root;
    static Path idx;
    static Path idxPlain;
    static Path cifar;

    @BeforeAll
    static void writeSources() {
        idx = root.resolve("idx");
        idxPlain = root.resolve("idx-plain");
        cifar = root.resolve("cifar");
        ImageFixtures.writeIdx(idx, IDX_TRAIN, IDX_TEST, ROWS, COLS, true);
        ImageFixtures.writeIdx(idxPlain, IDX_TRAIN, IDX_TEST, ROWS, COLS, false);
        ImageFixtures.writeCifar(cifar, CIFAR_TRAIN, CIFAR_TEST);
    }

    static ImportConfig config(Format f, Path path, Split split, int[] classes, Integer n, Targets t, boolean normalize, long seed) {
        return new ImportConfig(f, path, split, classes, n, t, normalize, seed);
    }

    // ---------------------------------------------------------------- selection and coding

    /** A named import and the labels of its source split. */
    record Case(String name, Supplier<ImportConfig> config, int[] sourceLabels, int channels, int height, int width) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("idx gz, 2 classes, n=20, onehot", () -> config(Format.IDX, idx, Split.TRAIN, new int[] {3, 7}, 20, Targets.ONEHOT, false, 1),
                        IDX_TRAIN, 1, ROWS, COLS),
                new Case("idx plain, classes in reverse order, pm1 single output", () -> config(Format.IDX, idxPlain, Split.TRAIN, new int[] {7, 3}, 20,
                        Targets.PM1, false, 1), IDX_TRAIN, 1, ROWS, COLS),
                new Case("idx, 3 classes, pm1 one-hot style", () -> config(Format.IDX, idx, Split.TRAIN, new int[] {0, 5, 9}, 12, Targets.PM1, false, 2),
                        IDX_TRAIN, 1, ROWS, COLS),
                new Case("idx test split, all of 2 classes", () -> config(Format.IDX, idx, Split.TEST, new int[] {1, 2}, null, Targets.ONEHOT, false, 3),
                        IDX_TEST, 1, ROWS, COLS),
                new Case("idx, all 10 classes, all images", () -> config(Format.IDX, idx, Split.TRAIN, null, null, Targets.ONEHOT, false, 3),
                        IDX_TRAIN, 1, ROWS, COLS),
                new Case("cifar train (5 batches), 2 classes, n=6", () -> config(Format.CIFAR10, cifar, Split.TRAIN, new int[] {4, 2}, 6,
                        Targets.ONEHOT, false, 4), CIFAR_TRAIN, 3, 32, 32),
                new Case("cifar test, 3 classes, pm1, all", () -> config(Format.CIFAR10, cifar, Split.TEST, new int[] {0, 1, 2}, null,
                        Targets.PM1, false, 5), CIFAR_TEST, 3, 32, 32)
        ).map(c -> Arguments.of(c.name(), c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rowsAreTheChosenImagesScaledAndCoded(String name, Case c) {
        ImportConfig cfg = c.config().get();
        ImportedImages im = ImageImport.run(cfg);
        int[] classes = cfg.classes();
        int k = classes.length;
        int[] src = im.sourceIndex();
        Dataset d = im.data();
        assertArrayEquals(new int[] {c.channels(), c.height(), c.width()}, d.inputShape(), name);
        assertEquals(src.length, d.size(), name);

        // Which images: in source order, only chosen classes, balanced or complete.
        int[] perClass = new int[k];
        for (int r = 0; r < src.length; r++) {
            if (r > 0) {
                assertTrue(src[r] > src[r - 1], name + ": rows must follow source order");
            }
            int pos = indexOf(classes, c.sourceLabels()[src[r]]);
            assertTrue(pos >= 0, name + ": row " + r + " has unchosen label " + c.sourceLabels()[src[r]]);
            perClass[pos]++;
        }
        assertArrayEquals(perClass, im.classCounts(), name);
        if (cfg.n() != null) {
            assertEquals(cfg.n(), d.size(), name);
            for (int p : perClass) {
                assertEquals(cfg.n() / k, p, name + ": balanced");
            }
        } else {
            int[] expected = java.util.stream.IntStream.range(0, c.sourceLabels().length)
                    .filter(i -> indexOf(classes, c.sourceLabels()[i]) >= 0).toArray();
            assertArrayEquals(expected, src, name + ": every image of the chosen classes");
        }

        // Pixels: x[r, c, h, w] = pixel(src[r], c, h, w) / 255 exactly.
        Matrix x = d.x();
        for (int r = 0; r < src.length; r++) {
            for (int ch = 0; ch < c.channels(); ch++) {
                for (int h = 0; h < c.height(); h++) {
                    for (int w = 0; w < c.width(); w++) {
                        double got = x.data[r * x.cols + (ch * c.height() + h) * c.width() + w];
                        assertEquals(ImageFixtures.pixel(src[r], ch, h, w) / 255.0, got, 0.0, name);
                    }
                }
            }
        }

        // Targets, written out case by case.
        Matrix y = d.y();
        boolean pm1 = cfg.targets() == Targets.PM1;
        assertEquals(pm1 && k == 2 ? 1 : k, y.cols, name + ": outputs");
        for (int r = 0; r < src.length; r++) {
            int cls = indexOf(classes, c.sourceLabels()[src[r]]);
            if (pm1 && k == 2) {
                assertEquals(cls == 0 ? -1.0 : 1.0, y.get(r, 0), name);
            } else {
                for (int j = 0; j < k; j++) {
                    double on = 1.0;
                    double off = pm1 ? -1.0 : 0.0;
                    assertEquals(j == cls ? on : off, y.get(r, j), name + " row " + r + " output " + j);
                }
            }
        }
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- standardisation

    static Stream<Arguments> normalizeCases() {
        return Stream.of(
                Arguments.of("idx, 1 channel", config(Format.IDX, idx, Split.TRAIN, new int[] {2, 8}, 30, Targets.ONEHOT, false, 9)),
                Arguments.of("cifar, 3 channels", config(Format.CIFAR10, cifar, Split.TRAIN, null, null, Targets.ONEHOT, false, 9)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normalizeCases")
    void normalizeStandardisesEachChannelWithRecordedStatistics(String name, ImportConfig raw) {
        ImportConfig norm = new ImportConfig(raw.format(), raw.path(), raw.split(), raw.classes(), raw.n(), raw.targets(), true, raw.seed());
        ImportedImages a = ImageImport.run(raw);
        ImportedImages b = ImageImport.run(norm);
        assertArrayEquals(a.sourceIndex(), b.sourceIndex(), name + ": normalize must not change the selection");
        Matrix xa = a.data().x();
        Matrix xb = b.data().x();
        int channels = a.data().inputShape()[0];
        int plane = xa.cols / channels;
        for (int ch = 0; ch < channels; ch++) {
            // Plain-loop statistics of the [0, 1] pixels, in the other summation order (pixel-major).
            double sum = 0;
            for (int j = 0; j < plane; j++) {
                for (int r = 0; r < xa.rows; r++) {
                    sum += xa.get(r, ch * plane + j);
                }
            }
            double count = (double) xa.rows * plane;
            double mean = sum / count;
            double ss = 0;
            for (int j = 0; j < plane; j++) {
                for (int r = 0; r < xa.rows; r++) {
                    double dev = xa.get(r, ch * plane + j) - mean;
                    ss += dev * dev;
                }
            }
            double std = Math.sqrt(ss / count);
            assertEquals(mean, a.channelMean()[ch], STATS_TOL, name + ": mean of channel " + ch);
            assertEquals(std, a.channelStd()[ch], STATS_TOL, name + ": std of channel " + ch);
            assertEquals(a.channelMean()[ch], b.channelMean()[ch], 0.0, name + ": stats are of the [0, 1] pixels either way");

            double zs = 0;
            double zss = 0;
            for (int r = 0; r < xb.rows; r++) {
                for (int j = 0; j < plane; j++) {
                    double z = xb.get(r, ch * plane + j);
                    assertEquals((xa.get(r, ch * plane + j) - mean) / std, z, STANDARDISED_TOL, name);
                    zs += z;
                    zss += z * z;
                }
            }
            assertEquals(0.0, zs / count, STANDARDISED_TOL, name + ": standardised mean, channel " + ch);
            assertEquals(1.0, Math.sqrt(zss / count), STANDARDISED_TOL, name + ": standardised std, channel " + ch);
        }
        if (channels == 3) {
            assertNotEquals(a.channelMean()[0], a.channelMean()[1], name + ": channels must get their own statistics");
        }
        double min = Arrays.stream(xa.data).min().orElseThrow();
        double max = Arrays.stream(xa.data).max().orElseThrow();
        assertTrue(min >= 0 && max <= 1, name + ": without normalize pixels lie in [0, 1]");
    }

    // ---------------------------------------------------------------- seeding

    @Test
    void sameSeedSameRowsOtherSeedOtherRows() {
        int[] one = ImageImport.run(config(Format.IDX, idx, Split.TRAIN, new int[] {0, 1}, 10, Targets.ONEHOT, false, 5)).sourceIndex();
        int[] again = ImageImport.run(config(Format.IDX, idxPlain, Split.TRAIN, new int[] {0, 1}, 10, Targets.ONEHOT, false, 5)).sourceIndex();
        int[] other = ImageImport.run(config(Format.IDX, idx, Split.TRAIN, new int[] {0, 1}, 10, Targets.ONEHOT, false, 6)).sourceIndex();
        assertArrayEquals(one, again, "same seed, gzipped or plain: same rows");
        assertFalse(Arrays.equals(one, other), "another seed draws other rows");
    }

    /**
     * Each image of a class is drawn with probability m / count; over T seeds its frequency must
     * lie within {@code sigmas} binomial standard deviations of that.
     */
    static void drawIsUniform(int seeds, double sigmas) {
        int[] classes = {0, 1};
        int m = 5;
        int[] hits = new int[IDX_TRAIN.length];
        for (int s = 0; s < seeds; s++) {
            for (int i : ImageImport.run(config(Format.IDX, idxPlain, Split.TRAIN, classes, 2 * m, Targets.ONEHOT, false, s)).sourceIndex()) {
                hits[i]++;
            }
        }
        for (int cls : classes) {
            long count = Arrays.stream(IDX_TRAIN).filter(l -> l == cls).count();
            double p = (double) m / count;
            double tol = sigmas * Math.sqrt(p * (1 - p) / seeds);
            for (int i = 0; i < IDX_TRAIN.length; i++) {
                if (IDX_TRAIN[i] == cls) {
                    assertEquals(p, (double) hits[i] / seeds, tol, "image " + i + " of class " + cls);
                } else if (IDX_TRAIN[i] > 1) {
                    assertEquals(0, hits[i], "image " + i + " is of an unchosen class");
                }
            }
        }
    }

    @Test
    void balancedDrawIsUniformLoose() {
        drawIsUniform(300, 5);
    }

    @Test
    @Tag("slow")
    void balancedDrawIsUniformTight() {
        drawIsUniform(20000, 4.5);
    }

    // ---------------------------------------------------------------- meta

    @Test
    void metaRecordsMappingCodingStatisticsAndProvenance() {
        ImportedImages im = ImageImport.run(config(Format.CIFAR10, cifar, Split.TEST, new int[] {2, 0}, 4, Targets.PM1, true, 8));
        ObjectNode meta = ImageImport.meta(im);
        assertEquals(4, meta.get("n").asInt());
        assertEquals("[4,3,32,32]", meta.get("x_shape").toString());
        assertEquals(1, meta.get("K").asInt());
        assertEquals(2, meta.get("classes").get(0).get("source_label").asInt());
        assertEquals(0, meta.get("classes").get(0).get("target_class").asInt());
        assertEquals(0, meta.get("classes").get(1).get("source_label").asInt());
        assertEquals(2, meta.get("classes").get(1).get("count").asInt());
        assertTrue(meta.get("target_coding").asText().contains("-1 for target class 0"));
        assertEquals(3, meta.get("normalization").get("channel_std").size());
        assertEquals(im.channelMean()[1], meta.get("normalization").get("channel_mean").get(1).asDouble(), 0.0);
        assertEquals(8, meta.get("provenance").get("seed").asLong());
        assertEquals("data import", meta.get("provenance").get("command").asText());
        assertEquals("[2,0]", meta.get("provenance").get("config").get("classes").toString());
        assertEquals(Arrays.toString(im.sourceIndex()).replace(" ", ""), meta.get("source_index").toString());
        assertEquals(cifar.resolve("test_batch.bin").toString(), meta.get("sources").get(0).asText());
    }

    // ---------------------------------------------------------------- errors

    static Stream<Arguments> errors() {
        Path constant = root.resolve("constant");
        Path fewClasses = root.resolve("few");
        return Stream.of(
                Arguments.of("n not divisible by K", (Supplier<Object>) () -> config(Format.IDX, idx, Split.TRAIN, new int[] {0, 1, 2}, 10,
                        Targets.ONEHOT, false, 1), "--n 10 is not divisible by the number of classes, 3"),
                Arguments.of("too few images for n", (Supplier<Object>) () -> ImageImport.run(config(Format.IDX, idx, Split.TEST, new int[] {0, 1},
                        200, Targets.ONEHOT, false, 1)), "images in the test split of " + idx + ", 100 needed per class"),
                Arguments.of("class out of range", (Supplier<Object>) () -> config(Format.IDX, idx, Split.TRAIN, new int[] {0, 10}, null,
                        Targets.ONEHOT, false, 1), "--classes: class 10 is out of range 0..9"),
                Arguments.of("negative class", (Supplier<Object>) () -> config(Format.IDX, idx, Split.TRAIN, new int[] {-1, 2}, null,
                        Targets.ONEHOT, false, 1), "--classes: class -1 is out of range"),
                Arguments.of("class twice", (Supplier<Object>) () -> config(Format.IDX, idx, Split.TRAIN, new int[] {4, 4}, null,
                        Targets.ONEHOT, false, 1), "--classes: class 4 is listed twice"),
                Arguments.of("one class", (Supplier<Object>) () -> config(Format.IDX, idx, Split.TRAIN, new int[] {4}, null,
                        Targets.ONEHOT, false, 1), "--classes needs at least 2 classes"),
                Arguments.of("n zero", (Supplier<Object>) () -> config(Format.IDX, idx, Split.TRAIN, new int[] {1, 4}, 0,
                        Targets.ONEHOT, false, 1), "--n must be at least 1"),
                Arguments.of("cifar without path", (Supplier<Object>) () -> config(Format.CIFAR10, null, Split.TRAIN, null, null,
                        Targets.ONEHOT, false, 1), "--path is required for --format cifar10"),
                Arguments.of("path does not exist", (Supplier<Object>) () -> ImageImport.run(config(Format.IDX, root.resolve("nope"), Split.TRAIN,
                        null, null, Targets.ONEHOT, false, 1)), "--path " + root.resolve("nope") + ": no such directory"),
                Arguments.of("path is a file", (Supplier<Object>) () -> ImageImport.run(config(Format.CIFAR10, cifar.resolve("test_batch.bin"),
                        Split.TEST, null, null, Targets.ONEHOT, false, 1)), "not a directory"),
                Arguments.of("idx files absent", (Supplier<Object>) () -> ImageImport.run(config(Format.IDX, cifar, Split.TRAIN, null, null,
                        Targets.ONEHOT, false, 1)), "no train-images-idx3-ubyte or train-images-idx3-ubyte.gz"),
                Arguments.of("cifar batch absent", (Supplier<Object>) () -> ImageImport.run(config(Format.CIFAR10, idx, Split.TRAIN, null, null,
                        Targets.ONEHOT, false, 1)), "no data_batch_1.bin"),
                Arguments.of("class with no images", (Supplier<Object>) () -> {
                    ImageFixtures.writeIdx(fewClasses, new int[] {0, 1, 2, 0, 1, 2}, new int[] {0}, ROWS, COLS, false);
                    return ImageImport.run(config(Format.IDX, fewClasses, Split.TRAIN, new int[] {2, 9}, null, Targets.ONEHOT, false, 1));
                }, "class 9 has no images in the train split of " + fewClasses + " (choose the classes with --classes)"),
                Arguments.of("constant channel with normalize", (Supplier<Object>) () -> {
                    ImageFixtures.writeIdx(constant, new int[] {0, 1}, new int[] {0}, ROWS, COLS, false);
                    byte[] blank = ByteBuffer.allocate(16 + 2 * ROWS * COLS).putInt(0x803).putInt(2).putInt(ROWS).putInt(COLS).array();
                    ImageFixtures.write(constant.resolve("train-images-idx3-ubyte"), blank, false);
                    return ImageImport.run(config(Format.IDX, constant, Split.TRAIN, new int[] {0, 1}, null, Targets.ONEHOT, true, 1));
                }, "--normalize: channel 0 is constant"),
                Arguments.of("default Fashion-MNIST location absent", (Supplier<Object>) () -> ImageImport.idxDirectory(null, root.resolve("usr-share")),
                        "Fashion-MNIST not found in " + root.resolve("usr-share") + ": install it with 'sudo apt-get install dataset-fashion-mnist'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void badRequestIsOneLineNamingOptionAndProblem(String name, Supplier<Object> attempt, String expected) {
        InputException e = assertThrows(InputException.class, attempt::get, name);
        assertFalse(e.getMessage().contains("\n"), name + ": one line");
        assertTrue(e.getMessage().contains(expected), name + ": '" + e.getMessage() + "' should contain '" + expected + "'");
    }
}
