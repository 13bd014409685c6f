package org.sgdstab.experiments;

import java.util.Map;

/**
 * How one sweep run ended.
 *
 * @param job     the run
 * @param status  {@link Status#OK}, {@link Status#FAILED} (its error is recorded and a resume retries it) or
 *                {@link Status#INTERRUPTED} (not recorded; a resume reruns it)
 * @param error   the one-line error of a failed run, else null
 * @param metrics the run's scalar metrics (NaN where undefined), in the command's metric order; empty unless OK
 */
public record SweepOutcome(SweepJob job, Status status, String error, Map<String, Double> metrics) {
    /** Outcome kinds. */
    public enum Status {
        /** Finished; its row is final. */
        OK,
        /** Failed with an error. */
        FAILED,
        /** Stopped from outside before finishing. */
        INTERRUPTED
    }
}
