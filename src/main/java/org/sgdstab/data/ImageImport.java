package org.sgdstab.data;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.sgdstab.io.InputException;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;

/**
 * Imports real image data (Fashion-MNIST/MNIST in IDX format, CIFAR-10 binary) as a square-loss
 * data set: X of shape (N, C, H, W), Y of shape (N, K).
 *
 * <ul>
 *   <li><b>Classes.</b> The chosen original labels c_0, …, c_{K−1} become target classes
 *       0..K−1 in that order; images of other classes are dropped.</li>
 *   <li><b>Subsampling.</b> With n given, exactly n/K images of each class are drawn uniformly
 *       without replacement. The root {@link SplittableRandom} of the seed is split once per class,
 *       in class order, so a class's draw depends only on the seed and its position. The rows
 *       are then ordered by their index in the source split (so classes interleave as they do
 *       in the source). Without n, every image of the chosen classes is kept, in source order.</li>
 *   <li><b>Pixels.</b> Scaled to [0, 1] by /255. With normalize, each channel is then
 *       standardised with its mean and population standard deviation over all selected images
 *       and pixels; those statistics (of the [0, 1] values) are recorded either way.</li>
 *   <li><b>Targets.</b> See {@link ImportConfig.Targets}.</li>
 * </ul>
 */
public final class ImageImport {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the Fashion-MNIST IDX files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The command that installs it. */
    public static final String FASHION_MNIST_INSTALL = "sudo apt-get install dataset-fashion-mnist";

    /** PIXEL[v] = v / 255, correctly rounded (as NumPy's {@code x / 255.0}; v · (1/255) can be 1 ulp off). */
    private static final double[] PIXEL = new double[256];

    static {
        for (int v = 0; v < 256; v++) {
            PIXEL[v] = v / 255.0;
        }
    }

    private ImageImport() {
    }

    /**
     * Reads the source files, selects and codes the images.
     *
     * @param config what to import. Not modified.
     * @return the data set, its class mapping and its per-channel statistics
     * @throws InputException if the source is missing or malformed, a class has no images, or
     *     there are too few images for a balanced subsample of n
     */
    public static ImportedImages run(ImportConfig config) {
        LabeledImages raw = load(config);
        int[] classes = config.classes();
        int k = classes.length;
        int[] target = targetIndex(classes);
        int[][] byClass = indicesByClass(raw.labels(), target, k);
        for (int c = 0; c < k; c++) {
            if (byClass[c].length == 0) {
                throw new InputException("class " + classes[c] + " has no images in the " + splitName(config)
                        + " split of " + sourceName(raw) + " (choose the classes with --classes)");
            }
        }
        int[] selected = config.n() == null ? all(byClass) : balanced(byClass, config.n() / k, config, classes, raw);
        int[] counts = new int[k];
        for (int i : selected) {
            counts[target[raw.labels()[i]]]++;
        }
        Matrix x = pixels(raw, selected);
        double[][] stats = channelStats(x, raw.channels());
        if (config.normalize()) {
            standardise(x, raw.channels(), stats[0], stats[1]);
        }
        Matrix y = targets(raw.labels(), selected, target, k, config.targets());
        List<String> sources = new ArrayList<>();
        for (Path f : raw.files()) {
            sources.add(f.toString());
        }
        Dataset data = new Dataset(x, y, new int[] {raw.channels(), raw.height(), raw.width()});
        return new ImportedImages(data, config, sources, selected, classes, counts, stats[0], stats[1]);
    }

    /**
     * Writes {@code dir/X.npy} (N, C, H, W), {@code dir/Y.npy} (N, K) and {@code dir/meta.json}
     * (class mapping, target coding, channel statistics, sources, config and provenance).
     *
     * @param dir      output directory, created if needed. Modified.
     * @param imported the import to write. Not modified.
     */
    public static void write(Path dir, ImportedImages imported) {
        DatasetFiles.write(dir, imported.data(), meta(imported));
    }

    /** The meta.json content of an import. */
    public static ObjectNode meta(ImportedImages im) {
        ImportConfig c = im.config();
        Dataset d = im.data();
        int[] in = d.inputShape();
        ObjectNode meta = Json.object();
        meta.put("n", d.size());
        ArrayNode shape = meta.putArray("x_shape").add(d.size());
        for (int s : in) {
            shape.add(s);
        }
        meta.put("K", d.outputs());
        meta.put("format", c.format().name().toLowerCase());
        meta.put("split", splitName(c));
        ArrayNode sources = meta.putArray("sources");
        im.sources().forEach(sources::add);
        ArrayNode classes = meta.putArray("classes");
        int[] cls = im.classes();
        int[] counts = im.classCounts();
        for (int k = 0; k < cls.length; k++) {
            ObjectNode e = classes.addObject();
            e.put("target_class", k);
            e.put("source_label", cls[k]);
            e.put("count", counts[k]);
        }
        meta.put("targets", c.targets().name().toLowerCase());
        meta.put("target_coding", targetCoding(c.targets(), cls.length));
        meta.put("row_order", c.n() == null
                ? "all images of the chosen classes, in source order"
                : "n/K images per class drawn without replacement (SplittableRandom(seed) split once per class in class order), rows in source order");
        ObjectNode norm = meta.putObject("normalization");
        norm.put("pixel_scale", "x = pixel / 255");
        norm.put("standardized", c.normalize());
        if (c.normalize()) {
            norm.put("formula", "x = (pixel / 255 - channel_mean[c]) / channel_std[c]");
        }
        ArrayNode mean = norm.putArray("channel_mean");
        ArrayNode std = norm.putArray("channel_std");
        for (int ch = 0; ch < in[0]; ch++) {
            mean.add(im.channelMean()[ch]);
            std.add(im.channelStd()[ch]);
        }
        norm.put("statistics_of", "pixel / 255 over the selected images (population standard deviation)");
        meta.set("provenance", Json.tree(Provenance.now("data import", c.seed(), c)));
        // Last, being long: exactly which source images the rows are.
        ArrayNode index = meta.putArray("source_index");
        for (int i : im.sourceIndex()) {
            index.add(i);
        }
        return meta;
    }

    private static String targetCoding(ImportConfig.Targets t, int k) {
        return switch (t) {
            case ONEHOT -> "Y[i, k] = 1 if row i is target class k, else 0";
            case PM1 -> k == 2 ? "Y[i, 0] = -1 for target class 0, +1 for target class 1"
                    : "Y[i, k] = +1 if row i is target class k, else -1";
        };
    }

    // ---------------------------------------------------------------- sources

    static LabeledImages load(ImportConfig c) {
        return switch (c.format()) {
            case IDX -> {
                Path dir = idxDirectory(c.path(), FASHION_MNIST_DIR);
                String prefix = c.split() == ImportConfig.Split.TRAIN ? "train" : "t10k";
                yield IdxReader.read(idxFile(dir, prefix + "-images-idx3-ubyte"), idxFile(dir, prefix + "-labels-idx1-ubyte"),
                        ImportConfig.SOURCE_CLASSES);
            }
            case CIFAR10 -> {
                requireDirectory(c.path());
                List<Path> files = new ArrayList<>();
                if (c.split() == ImportConfig.Split.TRAIN) {
                    for (int b = 1; b <= 5; b++) {
                        files.add(c.path().resolve("data_batch_" + b + ".bin"));
                    }
                } else {
                    files.add(c.path().resolve("test_batch.bin"));
                }
                for (Path f : files) {
                    if (!Files.exists(f)) {
                        throw new InputException("--path " + c.path() + ": no " + f.getFileName()
                                + " (expected the CIFAR-10 binary batches data_batch_1..5.bin and test_batch.bin)");
                    }
                }
                yield Cifar10Reader.read(files);
            }
        };
    }

    /**
     * The directory of the IDX files: {@code path} when given, else {@code defaultDir}, which must
     * then exist (otherwise the one-line error says how to install Fashion-MNIST).
     */
    static Path idxDirectory(Path path, Path defaultDir) {
        if (path != null) {
            requireDirectory(path);
            return path;
        }
        if (!Files.isDirectory(defaultDir)) {
            throw new InputException("Fashion-MNIST not found in " + defaultDir + ": install it with '" + FASHION_MNIST_INSTALL
                    + "', or pass --path DIR holding the IDX files");
        }
        return defaultDir;
    }

    private static void requireDirectory(Path path) {
        if (!Files.exists(path)) {
            throw new InputException("--path " + path + ": no such directory");
        }
        if (!Files.isDirectory(path)) {
            throw new InputException("--path " + path + ": not a directory (give the directory holding the data files)");
        }
    }

    /** {@code dir/stem}, or {@code dir/stem.gz} when only that exists. */
    private static Path idxFile(Path dir, String stem) {
        Path plain = dir.resolve(stem);
        if (Files.exists(plain)) {
            return plain;
        }
        Path gz = dir.resolve(stem + ".gz");
        if (Files.exists(gz)) {
            return gz;
        }
        throw new InputException(dir + ": no " + stem + " or " + stem + ".gz");
    }

    private static String splitName(ImportConfig c) {
        return c.split().name().toLowerCase();
    }

    private static String sourceName(LabeledImages raw) {
        Path parent = raw.files().get(0).toAbsolutePath().getParent();
        return parent == null ? raw.files().get(0).toString() : parent.toString();
    }

    // ---------------------------------------------------------------- selection

    /** target[label] = k for label c_k, −1 for labels not chosen. */
    private static int[] targetIndex(int[] classes) {
        int[] target = new int[ImportConfig.SOURCE_CLASSES];
        Arrays.fill(target, -1);
        for (int k = 0; k < classes.length; k++) {
            target[classes[k]] = k;
        }
        return target;
    }

    /** For each target class, the source indices of its images, increasing. */
    private static int[][] indicesByClass(int[] labels, int[] target, int k) {
        int[] count = new int[k];
        for (int label : labels) {
            if (target[label] >= 0) {
                count[target[label]]++;
            }
        }
        int[][] idx = new int[k][];
        for (int c = 0; c < k; c++) {
            idx[c] = new int[count[c]];
        }
        int[] fill = new int[k];
        for (int i = 0; i < labels.length; i++) {
            int c = target[labels[i]];
            if (c >= 0) {
                idx[c][fill[c]++] = i;
            }
        }
        return idx;
    }

    private static int[] all(int[][] byClass) {
        int total = 0;
        for (int[] b : byClass) {
            total += b.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] b : byClass) {
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        Arrays.sort(out);
        return out;
    }

    private static int[] balanced(int[][] byClass, int perClass, ImportConfig c, int[] classes, LabeledImages raw) {
        for (int k = 0; k < byClass.length; k++) {
            if (byClass[k].length < perClass) {
                throw new InputException("--n " + c.n() + ": class " + classes[k] + " has only " + byClass[k].length
                        + " images in the " + splitName(c) + " split of " + sourceName(raw) + ", " + perClass + " needed per class");
            }
        }
        SplittableRandom root = new SplittableRandom(c.seed());
        int[] out = new int[perClass * byClass.length];
        for (int k = 0; k < byClass.length; k++) {
            SplittableRandom rng = root.split();
            int[] pool = byClass[k].clone();
            // Partial Fisher–Yates: the first perClass entries are a uniform draw without replacement.
            for (int i = 0; i < perClass; i++) {
                int j = i + rng.nextInt(pool.length - i);
                int t = pool[i];
                pool[i] = pool[j];
                pool[j] = t;
            }
            System.arraycopy(pool, 0, out, k * perClass, perClass);
        }
        Arrays.sort(out);
        return out;
    }

    // ---------------------------------------------------------------- values

    private static Matrix pixels(LabeledImages raw, int[] selected) {
        int d = raw.imageSize();
        Matrix x = new Matrix(selected.length, d);
        byte[] p = raw.pixels();
        for (int r = 0; r < selected.length; r++) {
            int src = selected[r] * d;
            int dst = r * d;
            for (int j = 0; j < d; j++) {
                x.data[dst + j] = PIXEL[p[src + j] & 0xff];
            }
        }
        return x;
    }

    /** {mean[c], std[c]} over all rows and pixels of channel c, two-pass for accuracy. */
    private static double[][] channelStats(Matrix x, int channels) {
        int plane = x.cols / channels;
        double[] mean = new double[channels];
        double[] std = new double[channels];
        double count = (double) x.rows * plane;
        for (int ch = 0; ch < channels; ch++) {
            // Sums per image, then over images: rounding error grows with ~plane + rows, not rows·plane.
            double s = 0;
            for (int r = 0; r < x.rows; r++) {
                int base = r * x.cols + ch * plane;
                double row = 0;
                for (int j = 0; j < plane; j++) {
                    row += x.data[base + j];
                }
                s += row;
            }
            mean[ch] = s / count;
            double ss = 0;
            for (int r = 0; r < x.rows; r++) {
                int base = r * x.cols + ch * plane;
                double row = 0;
                for (int j = 0; j < plane; j++) {
                    double dev = x.data[base + j] - mean[ch];
                    row += dev * dev;
                }
                ss += row;
            }
            std[ch] = Math.sqrt(ss / count);
        }
        return new double[][] {mean, std};
    }

    private static void standardise(Matrix x, int channels, double[] mean, double[] std) {
        for (int ch = 0; ch < channels; ch++) {
            if (!(std[ch] > 0)) {
                throw new InputException("--normalize: channel " + ch + " is constant (standard deviation 0) over the "
                        + x.rows + " selected images");
            }
        }
        int plane = x.cols / channels;
        for (int r = 0; r < x.rows; r++) {
            for (int ch = 0; ch < channels; ch++) {
                int base = r * x.cols + ch * plane;
                double m = mean[ch];
                double inv = 1.0 / std[ch];
                for (int j = 0; j < plane; j++) {
                    x.data[base + j] = (x.data[base + j] - m) * inv;
                }
            }
        }
    }

    private static Matrix targets(int[] labels, int[] selected, int[] target, int k, ImportConfig.Targets coding) {
        int outputs = coding == ImportConfig.Targets.PM1 && k == 2 ? 1 : k;
        Matrix y = new Matrix(selected.length, outputs);
        for (int r = 0; r < selected.length; r++) {
            int c = target[labels[selected[r]]];
            switch (coding) {
                case ONEHOT -> y.data[r * k + c] = 1.0;
                case PM1 -> {
                    if (k == 2) {
                        y.data[r] = c == 1 ? 1.0 : -1.0;
                    } else {
                        Arrays.fill(y.data, r * k, (r + 1) * k, -1.0);
                        y.data[r * k + c] = 1.0;
                    }
                }
            }
        }
        return y;
    }
}
