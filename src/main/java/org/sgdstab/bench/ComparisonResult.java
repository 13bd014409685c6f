package org.sgdstab.bench;

/**
 * The outcome of one {@link Comparison}.
 *
 * @param comparison       what was compared
 * @param reference        the fastest reference variant measured, or null if none was
 * @param oursSeconds      our median time
 * @param ratio            reference median / our median (NaN without a reference)
 * @param maxRelativeError the worst normwise relative error over every array and reference (NaN if unchecked)
 * @param worst            "reference:array" where that error occurred, or null
 * @param numbersMatch     whether every array of every measured reference agreed to the tolerance
 * @param problem          empty, or why some reference is missing
 */
public record ComparisonResult(Comparison comparison, String reference, double oursSeconds, double ratio,
                               double maxRelativeError, String worst, boolean numbersMatch, String problem) {

    /** Whether the comparison's target holds: null when it has none or could not be evaluated. */
    public Boolean targetMet() {
        boolean hasRatio = !Double.isNaN(comparison.minRatio());
        boolean hasTime = !Double.isNaN(comparison.maxSeconds());
        if (!hasRatio && !hasTime) {
            return null;
        }
        if (hasRatio && Double.isNaN(ratio)) {
            return null;
        }
        return (!hasRatio || ratio >= comparison.minRatio()) && (!hasTime || oursSeconds <= comparison.maxSeconds());
    }

    /** "≥ 30×", "≤ 5 s", both, or "—". */
    public String targetText() {
        StringBuilder sb = new StringBuilder();
        if (!Double.isNaN(comparison.minRatio())) {
            sb.append("≥ ").append(BenchReport.number(comparison.minRatio())).append('×');
        }
        if (!Double.isNaN(comparison.maxSeconds())) {
            sb.append(sb.length() > 0 ? ", " : "").append("≤ ").append(BenchReport.number(comparison.maxSeconds())).append(" s");
        }
        return sb.length() == 0 ? "—" : sb.toString();
    }
}
