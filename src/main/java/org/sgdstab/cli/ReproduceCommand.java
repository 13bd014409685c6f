package org.sgdstab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.sgdstab.io.InputException;
import org.sgdstab.reproduce.Claim;
import org.sgdstab.reproduce.Figure;
import org.sgdstab.reproduce.FigureOutput;
import org.sgdstab.reproduce.ReproduceConfig;
import org.sgdstab.reproduce.Reproduce;
import org.sgdstab.reproduce.Scale;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sgdstab reproduce}: the paper's figures, their data and plots, checked claims and report.html. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        description = {"Reproduce the paper's figures: runs the experiments (cached per run in DIR/runs/), writes DIR/figN/ "
                + "(CSV data, PNG+SVG plots, claims.json) and DIR/report.html (every figure, setup, claim with its numbers "
                + "and pass/fail, provenance). Setups: docs/experiments.md.",
                "FIGURE: fig1 … fig6 or all. Exit status 0 also when a claim fails (the report says which)."})
final class ReproduceCommand implements Callable<Integer> {
    /** Exit status when Ctrl-C stopped the runs (finished runs are kept for --resume). */
    static final int EXIT_STOPPED = 130;

    @Parameters(index = "0", paramLabel = "FIGURE", description = "fig1 … fig6, or all.")
    String figure;

    static final class ScaleChoice {
        @Option(names = "--quick", description = "Minutes-sized runs (the default): Figures 1–4 within about 10 minutes, 5–6 within about 30, on 2 cores.")
        boolean quick;
        @Option(names = "--full", description = "Paper-like sizes (hours; see docs/experiments.md).")
        boolean full;
        @Option(names = "--tiny", hidden = true, description = "Seconds-sized runs, for tests.")
        boolean tiny;
        @Option(names = "--scale", paramLabel = "tiny|quick|full", description = "The scale by name.")
        String scale;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ScaleChoice scale;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/reproduce", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Root seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--resume", description = "Continue a reproduction in --out: finished runs are not redone.")
    boolean resume;
    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;
    @Option(names = "--jobs", paramLabel = "N", description = "Runs at once (default: all cores; results do not depend on it).")
    Integer jobs;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Figure> figures = new ArrayList<>();
        if (figure.equals("all")) {
            figures.addAll(Figure.all());
        } else {
            Figure f = Figure.byId(figure);
            if (f == null) {
                throw new InputException("FIGURE: unknown figure '" + figure + "' (expected fig1 … fig6 or all)");
            }
            figures.add(f);
        }
        Scale s = scale == null ? Scale.QUICK : scale.full ? Scale.FULL : scale.tiny ? Scale.TINY
                : scale.scale != null ? Scale.parse(scale.scale) : Scale.QUICK;
        int threads = Options.jobs(jobs);
        ReproduceConfig cfg = new ReproduceConfig(s, seed, out, resume, quiet, threads);
        var o = spec.commandLine().getOut();
        Reproduce.Result r;
        try (Interruption stop = Interruption.install(); RunProgress progress = new RunProgress(quiet)) {
            r = Reproduce.run(cfg, figures, stop, progress);
        } catch (Reproduce.Stopped e) {
            spec.commandLine().getErr().println("sgdstab: " + e.getMessage());
            return EXIT_STOPPED;
        }
        for (FigureOutput f : r.figures()) {
            for (Claim c : f.claims()) {
                o.printf("%-4s %s: %s%n", c.passed() ? "PASS" : "FAIL", c.id(), c.statement());
            }
        }
        o.printf("reproduce: %d runs executed, %d reused, %.1f s -> %s%n", r.executed(), r.reused(), r.seconds(),
                out.resolve("report.html"));
        o.flush();
        return 0;
    }

    /** A progress bar over runs. */
    private static final class RunProgress implements Reproduce.Listener, AutoCloseable {
        private final boolean quiet;
        private Progress bar;
        private long count;

        RunProgress(boolean quiet) {
            this.quiet = quiet;
        }

        @Override
        public synchronized void planned(int total, int finished) {
            bar = Progress.open("reproduce", total, quiet);
            count = finished;
            bar.step(count, Double.NaN);
        }

        @Override
        public synchronized void finished(String label) {
            bar.step(++count, Double.NaN);
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
