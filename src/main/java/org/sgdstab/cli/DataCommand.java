package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sgdstab.data.Dataset;
import org.sgdstab.data.DatasetFiles;
import org.sgdstab.data.SyntheticConfig;
import org.sgdstab.data.SyntheticData;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sgdstab data ...}: make and import data sets. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Generate or import data sets (X.npy, Y.npy, meta.json).",
        subcommands = {DataCommand.Generate.class})
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
}
