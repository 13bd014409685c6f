package org.sgdstab.reproduce;

import org.sgdstab.io.InputException;

/** How large the reproduction's runs are (docs/experiments.md lists every size). */
public enum Scale {
    /** For tests: seconds per figure, only checks that everything runs and is written. */
    TINY,
    /** Minutes: Figures 1–4 within 10 minutes, Figures 5–6 within 30, on 2 cores. */
    QUICK,
    /** Paper-like sizes (hours). */
    FULL;

    /** Lower-case name, as on the command line. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** "tiny", "quick" or "full". */
    public static Scale parse(String s) {
        for (Scale v : values()) {
            if (v.cliName().equals(s)) {
                return v;
            }
        }
        throw new InputException("--scale: unknown value '" + s + "' (expected tiny, quick or full)");
    }
}
