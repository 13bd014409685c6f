package org.sgdstab.report;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import org.sgdstab.linalg.Blas;

/**
 * What every output records so a run can be replayed (Tribuo-style provenance): the tool and its
 * version, the git commit when known, the command, its config, the seed, the time and the machine.
 *
 * @param tool    "sgd-stability"
 * @param version the project version
 * @param commit  the git commit the jar was built from, or "unknown"
 * @param command the command that produced the output ("train", "analyze", ...)
 * @param seed    the root seed
 * @param config  the immutable config record of the command (serialised as JSON)
 * @param time    UTC time of the run's start, ISO-8601
 * @param machine OS, architecture, cores, Java version and BLAS backend
 */
public record Provenance(String tool, String version, String commit, String command, long seed, Object config,
                         String time, Machine machine) {

    /** The machine a result was computed on. */
    public record Machine(String os, String arch, int cores, String java, String blas) {
        public static Machine current() {
            return new Machine(System.getProperty("os.name") + " " + System.getProperty("os.version"),
                    System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"), Blas.get().backendName());
        }
    }

    /** Provenance for a run starting now. */
    public static Provenance now(String command, long seed, Object config) {
        return new Provenance("sgd-stability", currentVersion(), currentCommit(), command, seed, config,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), Machine.current());
    }

    /** The project version from the jar manifest or the build's properties. */
    public static String currentVersion() {
        String v = Provenance.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        Properties props = buildProperties();
        return props.getProperty("version", "dev");
    }

    /** The git commit recorded at build time, or "unknown". */
    public static String currentCommit() {
        // The launcher passes the checkout's commit; a bare jar does not know it.
        return System.getProperty("sgdstab.commit", buildProperties().getProperty("commit", "unknown"));
    }

    private static Properties buildProperties() {
        Properties props = new Properties();
        try (InputStream in = Provenance.class.getResourceAsStream("/sgdstab-build.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            // Missing build info only loses the commit id; outputs still carry everything else.
        }
        return props;
    }
}
