package org.sgdstab.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Peak resident set size of this process, from Linux's /proc (unavailable elsewhere). */
final class Rss {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private Rss() {
    }

    /** VmHWM (the peak RSS since start or the last {@link #resetPeak}) in bytes, or −1 if unknown. */
    static long peakBytes() {
        return field("VmHWM:");
    }

    /** VmRSS (the resident set now) in bytes, or −1 if unknown. */
    static long currentBytes() {
        return field("VmRSS:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(name)) {
                    String[] parts = line.substring(name.length()).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is hidden: the tables then say "n/a".
        }
        return -1;
    }

    /**
     * Resets VmHWM to the current RSS (Linux ≥ 4.0: "5" into clear_refs), so the next
     * {@link #peakBytes} covers only what runs in between. Returns false when that is not possible.
     */
    static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
