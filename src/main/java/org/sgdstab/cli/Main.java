package org.sgdstab.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import org.sgdstab.io.InputException;
import org.sgdstab.report.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code sgdstab} command line. Commands only parse options, build a config record and call
 * the library. Exit status: 0 success, 2 bad input (one line on stderr naming the file or option
 * and the problem), 1 internal error (stack trace only with {@code --debug}).
 */
@Command(name = "sgdstab", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "SGD noise alignment, curvature and linear stability of minima (Wu, Wang & Su, NeurIPS 2022).",
        subcommands = {ReproduceCommand.class, DemoCommand.class, DataCommand.class, ModelCommand.class, TrainCommand.class,
                AnalyzeCommand.class, StabilityCommand.class, EscapeCommand.class, LinearizedCommand.class, SweepCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit status for bad user input. */
    public static final int EXIT_INPUT = 2;
    /** Exit status for an internal error. */
    public static final int EXIT_INTERNAL = 1;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the CLI with the given streams and returns the exit status (used by tests). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("sgdstab: error: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return EXIT_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean debug = parseResult.hasMatchedOption("--debug")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"))
                    || deepMatched(parseResult);
            Throwable cause = ex;
            if (ex instanceof UncheckedIOException u && u.getCause() != null) {
                cause = u;
            }
            if (cause instanceof InputException) {
                err.println("sgdstab: error: " + cause.getMessage());
                if (debug) {
                    cause.printStackTrace(err);
                }
                err.flush();
                return EXIT_INPUT;
            }
            err.println("sgdstab: internal error: " + cause);
            if (debug) {
                cause.printStackTrace(err);
            } else {
                err.println("(run again with --debug for the stack trace)");
            }
            err.flush();
            return EXIT_INTERNAL;
        });
        return cli.execute(args);
    }

    private static boolean deepMatched(CommandLine.ParseResult r) {
        for (CommandLine.ParseResult p = r; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** Reports the version, commit and BLAS backend. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sgd-stability " + Provenance.currentVersion() + " (commit " + Provenance.currentCommit() + ")",
                    "BLAS: " + org.sgdstab.linalg.Blas.get().backendName(), "Java: " + System.getProperty("java.version")};
        }
    }
}
