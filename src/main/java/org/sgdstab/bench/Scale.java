package org.sgdstab.bench;

import org.sgdstab.io.InputException;

/** Problem sizes: the full sizes, or tiny ones that check the harness in a second. */
public enum Scale {
    /** The sizes of the published targets (n = 512, width 512, …). */
    FULL,
    /** Tiny shapes for the CI smoke test; timings are meaningless. */
    SMOKE;

    /** Parses the CLI name ("full" or "smoke"). */
    public static Scale parse(String s) {
        return switch (s) {
            case "full" -> FULL;
            case "smoke" -> SMOKE;
            default -> throw new InputException("--scale: unknown value '" + s + "' (expected full or smoke)");
        };
    }

    /** The CLI name. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
