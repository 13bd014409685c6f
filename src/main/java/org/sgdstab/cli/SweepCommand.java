package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sgdstab.experiments.LocalPoolExecutor;
import org.sgdstab.experiments.Sweep;
import org.sgdstab.experiments.SweepSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sgdstab sweep}: a grid of escape, linearized, train or analyze runs on a pool of workers. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run every combination of a spec's axes (e.g. width, depth, lr, batch-size, seed) of one command on a pool of workers. "
                + "Writes sweep.json, results.jsonl (one atomically written row per finished run), aggregate.csv (mean and std over seeds) "
                + "and runs/<id>/.",
                "Spec: {\"command\": \"escape\", \"base\": {option: value}, \"axes\": {option: [values]}, \"metrics\": [names]}; options are the "
                        + "command's option names without dashes, relative paths resolve against the spec's directory."})
final class SweepCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC.json", description = "The sweep spec.")
    Path specFile;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Sweep directory.")
    Path out;
    @Option(names = "--jobs", paramLabel = "N", description = "Runs at once (default: all cores).")
    Integer jobs;
    @Option(names = "--resume", description = "Continue the sweep in --out, skipping finished runs.")
    boolean resume;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The replayable configuration of one sweep call. */
    record SweepCall(String spec, String out, int jobs, boolean resume) {
    }

    @Override
    public Integer call() {
        SweepSpec s = SweepSpec.read(specFile);
        int threads = Options.jobs(jobs);
        Options.requireAtLeast(threads, 1, "--jobs");
        Sweep.Summary summary;
        try (Interruption stop = Interruption.install()) {
            summary = Sweep.run(s, out, new LocalPoolExecutor(threads), resume, stop,
                    org.sgdstab.report.Provenance.now("sweep", 0L, new SweepCall(specFile.toString(), out.toString(), threads, resume)));
        }
        var o = spec.commandLine().getOut();
        o.printf("sweep: %d runs planned, %d already finished, %d ok, %d failed, %d interrupted -> %s%n", summary.planned(),
                summary.skipped(), summary.ok(), summary.failed(), summary.interrupted(), out);
        o.flush();
        return summary.failed() > 0 ? 1 : 0;
    }
}
