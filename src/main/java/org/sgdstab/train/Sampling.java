package org.sgdstab.train;

/** How SGD draws its mini-batches of size B from n samples (theory.md §1). */
public enum Sampling {
    /** B indices i.i.d. uniform on {0..n-1}: the theory's default. */
    WITH_REPLACEMENT("with-replacement"),
    /** A uniformly random subset of size B, drawn afresh each step. */
    WITHOUT_REPLACEMENT("without-replacement"),
    /** Shuffle once per epoch and walk through it in consecutive batches. */
    EPOCH("epoch");

    private final String cliName;

    Sampling(String cliName) {
        this.cliName = cliName;
    }

    /** The name used on the command line and in outputs. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String cliName() {
        return cliName;
    }

    /**
     * Throws an {@link org.sgdstab.io.InputException} if batches of {@code batchSize} cannot be drawn
     * from n samples this way (only sampling without replacement, or by epoch, needs B ≤ n).
     */
    public void requireBatchFits(int batchSize, int n) {
        if (this != WITH_REPLACEMENT && batchSize > n) {
            throw new org.sgdstab.io.InputException("--batch-size " + batchSize + " exceeds n = " + n + ", impossible " + cliName
                    + " sampling");
        }
    }

    /** Parses a command-line name such as "with-replacement". */
    public static Sampling parse(String name) {
        for (Sampling s : values()) {
            if (s.cliName.equals(name)) {
                return s;
            }
        }
        throw new org.sgdstab.io.InputException("unknown sampling '" + name + "' (expected with-replacement, without-replacement or epoch)");
    }
}
