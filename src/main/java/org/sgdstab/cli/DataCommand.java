package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sgdstab.data.Dataset;
import org.sgdstab.data.DatasetFiles;
import org.sgdstab.data.ImageImport;
import org.sgdstab.data.ImportConfig;
import org.sgdstab.data.SyntheticConfig;
import org.sgdstab.data.SyntheticData;
import org.sgdstab.io.InputException;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sgdstab data ...}: make and import data sets. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Generate or import data sets (X.npy, Y.npy, meta.json).",
        subcommands = {DataCommand.Generate.class, DataCommand.Import.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate a synthetic regression data set with a random teacher.")
    static final class Generate implements Callable<Integer> {
        @Option(names = "--kind", defaultValue = "gaussian", description = "Input distribution: gaussian or sphere (default: ${DEFAULT-VALUE}).")
        String kind;
        @Option(names = "--n", required = true, description = "Number of samples.")
        int n;
        @Option(names = "--d", required = true, description = "Input dimension.")
        int d;
        @Option(names = "--cov-spectrum", description = "Variances of the d coordinates (gaussian only): comma-separated values, or power:A for j^-A.")
        String covSpectrum;
        @Option(names = "--teacher", defaultValue = "linear", description = "Teacher: linear, mlp-tanh or mlp-relu (default: ${DEFAULT-VALUE}).")
        String teacher;
        @Option(names = "--teacher-width", defaultValue = "32", description = "Hidden width of an MLP teacher (default: ${DEFAULT-VALUE}).")
        int teacherWidth;
        @Option(names = "--outputs", defaultValue = "1", description = "Targets per sample K (default: ${DEFAULT-VALUE}).")
        int outputs;
        @Option(names = "--noise", defaultValue = "0", description = "Standard deviation of label noise (default: ${DEFAULT-VALUE}).")
        double noise;
        @Option(names = "--seed", required = true, description = "Random seed.")
        long seed;
        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;

        @Override
        public Integer call() {
            SyntheticConfig config = new SyntheticConfig(Options.inputKind(kind), n, d, Options.spectrum(covSpectrum, d),
                    Options.teacher(teacher), teacherWidth, outputs, noise, seed);
            Dataset data = SyntheticData.generate(config);
            var meta = Json.object();
            meta.put("n", data.size());
            meta.put("d", data.inputSize());
            meta.put("K", data.outputs());
            meta.set("provenance", Json.tree(Provenance.now("data generate", seed, config)));
            DatasetFiles.write(out, data, meta);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import real images (Fashion-MNIST/MNIST IDX, CIFAR-10 binary) as X.npy (N, C, H, W), Y.npy (N, K) and meta.json.",
                    "Without --path, --format idx reads Fashion-MNIST from /usr/share/datasets/fashion-mnist"
                            + " (Debian package dataset-fashion-mnist)."})
    static final class Import implements Callable<Integer> {
        @Option(names = "--format", required = true, description = "Source format: idx or cifar10.")
        String format;
        @Option(names = "--path", description = "Directory of the source files (idx: {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]; "
                + "cifar10: data_batch_1..5.bin, test_batch.bin).")
        Path path;
        @Option(names = "--split", defaultValue = "train", description = "train or test (default: ${DEFAULT-VALUE}).")
        String split;
        @Option(names = "--classes", description = "Original labels to keep, comma-separated; they become classes 0..K-1 in this order (default: all 10).")
        String classes;
        @Option(names = "--n", description = "Balanced subsample: n/K images per class, drawn with the seed (default: all images of the classes).")
        Integer n;
        @Option(names = "--targets", defaultValue = "onehot",
                description = "onehot (K outputs, 1/0) or pm1 (K = 2: one output, -1/+1; K > 2: K outputs, +1/-1) (default: ${DEFAULT-VALUE}).")
        String targets;
        @Option(names = "--normalize", description = "Standardise each channel to mean 0, std 1 over the selected images (else pixels in [0, 1]).")
        boolean normalize;
        @Option(names = "--seed", required = true, description = "Random seed of the subsampling.")
        long seed;
        @Option(names = "--out", required = true, description = "Output directory.")
        Path out;

        @Override
        public Integer call() {
            ImportConfig config = new ImportConfig(format(format), path, split(split), classes == null ? null : labels(classes),
                    n, targets(targets), normalize, seed);
            ImageImport.write(out, ImageImport.run(config));
            return 0;
        }

        private static ImportConfig.Format format(String s) {
            return switch (s) {
                case "idx" -> ImportConfig.Format.IDX;
                case "cifar10" -> ImportConfig.Format.CIFAR10;
                default -> throw new InputException("--format: unknown value '" + s + "' (expected idx or cifar10)");
            };
        }

        private static ImportConfig.Split split(String s) {
            return switch (s) {
                case "train" -> ImportConfig.Split.TRAIN;
                case "test" -> ImportConfig.Split.TEST;
                default -> throw new InputException("--split: unknown value '" + s + "' (expected train or test)");
            };
        }

        private static ImportConfig.Targets targets(String s) {
            return switch (s) {
                case "onehot" -> ImportConfig.Targets.ONEHOT;
                case "pm1" -> ImportConfig.Targets.PM1;
                default -> throw new InputException("--targets: unknown value '" + s + "' (expected onehot or pm1)");
            };
        }

        private static int[] labels(String s) {
            String[] parts = s.split(",");
            int[] v = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                v[i] = Options.integer(parts[i].trim(), "--classes");
            }
            return v;
        }
    }
}
