package org.sgdstab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.sgdstab.report.Json;

/**
 * Runs one PyTorch peer variant of {@code bench/peers/torch_peers.py} in its own Python process
 * (so that its getrusage peak RSS is its own) and parses the JSON line it prints.
 */
public final class PeerLauncher {
    /** The script, relative to the project root. */
    public static final Path SCRIPT = Path.of("bench", "peers", "torch_peers.py");
    /** The interpreter the issue names: Debian's python3 with python3-torch. */
    public static final Path DEFAULT_PYTHON = Path.of("/usr/bin/python3");
    /** Seconds allowed for checking that the interpreter imports torch. */
    private static final long PROBE_SECONDS = 120;

    private PeerLauncher() {
    }

    /**
     * The peer script: under the working directory, else under a parent of the jar or classes
     * directory this class was loaded from (target/… in a checkout).
     */
    public static Optional<Path> defaultScript() {
        Path cwd = Path.of("").toAbsolutePath().resolve(SCRIPT);
        if (Files.isRegularFile(cwd)) {
            return Optional.of(cwd);
        }
        try {
            var source = PeerLauncher.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                for (Path p = Path.of(source.getLocation().toURI()).toAbsolutePath(); p != null; p = p.getParent()) {
                    if (Files.isRegularFile(p.resolve(SCRIPT))) {
                        return Optional.of(p.resolve(SCRIPT));
                    }
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // An unusual class source: the caller then needs --peer-script.
        }
        return Optional.empty();
    }

    /** Why {@code python} cannot run the peers (it cannot import torch, functorch and numpy), or empty if it can. */
    public static Optional<String> unavailable(Path python) {
        if (!Files.isExecutable(python)) {
            return Optional.of(python + " is not an executable file");
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", "import torch, functorch, numpy")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of(python + " did not import torch within " + PROBE_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String msg = new String(out, StandardCharsets.UTF_8).strip();
                String last = msg.isEmpty() ? "exit status " + p.exitValue() : msg.substring(msg.lastIndexOf('\n') + 1);
                return Optional.of(python + " cannot import torch, functorch and numpy (" + last + ")");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot start " + python + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while checking " + python);
        }
    }

    /**
     * A peer's measurement.
     *
     * @param timing       its timed runs and peak RSS
     * @param torchVersion torch.__version__
     */
    public record Result(Timing timing, String torchVersion) {
    }

    /**
     * Runs peer {@code variant} of {@code workload} on the inputs in {@code dir}; its numbers go to
     * {@code out}, its stderr to {@code out/peer.log}.
     *
     * @throws IllegalStateException if the peer fails (the message carries the end of its log)
     */
    static Result run(Path python, Path script, String workload, String variant, Path dir, Path out,
                      int warmup, int repeats, int threads) throws IOException {
        Files.createDirectories(out);
        Path log = out.resolve("peer.log");
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), "--workload", workload,
                "--variant", variant, "--dir", dir.toString(), "--out", out.toString(),
                "--warmup", Integer.toString(warmup), "--repeats", Integer.toString(repeats),
                "--threads", Integer.toString(threads)));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(log.toFile());
        threadEnvironment(pb, threads);
        Process p = start(pb);
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        await(p, log, "interrupted while running peer " + workload + "/" + variant, "peer " + workload + "/" + variant);
        String[] lines = stdout.strip().split("\n");
        JsonNode root = Json.MAPPER.readTree(lines[lines.length - 1]);
        double[] seconds = doubles(root.get("times_s"));
        return new Result(new Timing("torch", variant, seconds, root.get("peak_rss_bytes").asLong()), root.get("torch").asText());
    }

    /** Pins OpenMP, OpenBLAS and MKL to the benchmark's thread count in a child process. Modifies pb. */
    static void threadEnvironment(ProcessBuilder pb, int threads) {
        String t = Integer.toString(threads);
        pb.environment().put("OMP_NUM_THREADS", t);
        pb.environment().put("OPENBLAS_NUM_THREADS", t);
        pb.environment().put("MKL_NUM_THREADS", t);
    }

    /**
     * The start of a command line that runs this JVM's java binary, with the vector module when
     * this JVM has it.
     */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        return cmd;
    }

    /** Starts pb's process with its standard input closed. */
    static Process start(ProcessBuilder pb) throws IOException {
        Process p = pb.start();
        p.getOutputStream().close();
        return p;
    }

    /**
     * Waits for p to exit.
     *
     * @throws IllegalStateException with {@code interruptedMessage} if interrupted (p is then
     *                               killed and the interrupt flag kept), or with "{@code what} failed
     *                               (exit N): " and the end of {@code log} if p exits non-zero
     */
    static void await(Process p, Path log, String interruptedMessage, String what) {
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interruptedMessage);
        }
        if (status != 0) {
            throw new IllegalStateException(what + " failed (exit " + status + "): " + tail(log));
        }
    }

    /** The numbers of a JSON array (a child's answer). */
    static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    /** The last lines of a log, for error messages. */
    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log at " + log + ")";
        }
    }
}
