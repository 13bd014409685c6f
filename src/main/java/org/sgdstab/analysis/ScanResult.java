package org.sgdstab.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.CsvWriter;
import org.sgdstab.noise.NoiseAlignment;
import org.sgdstab.report.Json;

/**
 * The critical learning rate η*(B) over batch sizes at one point θ, next to the paper's bounds
 * (theory.md §5). Lists are unmodifiable.
 *
 * @param n           probe-set size
 * @param d           input features
 * @param p           trainable parameters
 * @param config      what was asked for
 * @param noise       the noise geometry from Θ (µ, µ1, ‖G‖_F, ...)
 * @param hessian     the Hessian quantities behind ‖H‖_F
 * @param thetaRank   rank of Θ kept by the second-moment map
 * @param gdThreshold {@code 2/λ_max(Θ/n)}: η*(n) without replacement, i.e. gradient descent
 * @param rows        one row per finished batch size, ascending
 * @param status      whether the scan is still running, finished every B, or was stopped
 */
public record ScanResult(int n, int d, int p, ScanConfig config, NoiseAlignment noise, CurvatureSummary hessian,
                         int thetaRank, double gdThreshold, List<Row> rows, Status status) {

    /** Where the scan stands. */
    public enum Status {
        /** Θ and the global quantities are known; rows are still being computed. */
        RUNNING("running"),
        /** Every batch size is done. */
        COMPLETE("complete"),
        /** Stopped (Ctrl-C) before every batch size, or the last one's ρ grid, was done. */
        INTERRUPTED("interrupted");

        private final String label;

        Status(String label) {
            this.label = label;
        }

        /** The name written to outputs. */
        public String label() {
            return label;
        }
    }

    private static final String CERTIFIED = "certified";

    public ScanResult {
        rows = List.copyOf(rows);
    }

    /** The same result with other rows and status. */
    public ScanResult with(List<Row> newRows, Status newStatus) {
        return new ScanResult(n, d, p, config, noise, hessian, thetaRank, gdThreshold, newRows, newStatus);
    }

    /**
     * One batch size.
     *
     * @param batchSize       B
     * @param criticalLr      η*(B), where ρ crosses 1
     * @param certified       whether ρ(lower) < 1 < ρ(upper) was confirmed; when false, ρ just below η*
     *                        could not be resolved from 1 within the certificate's budget (typical of
     *                        ill-conditioned Θ), see {@link org.sgdstab.stability.CriticalLearningRate}
     * @param lower           lower end of the certificate bracket
     * @param upper           upper end of the certificate bracket
     * @param rhoLower        ρ(lower) (a Ritz value: a lower bound on ρ)
     * @param rhoUpper        ρ(upper)
     * @param applications    second-moment map applications spent on η*
     * @param boundThm33      the paper's {@code sqrt(B/µ)/‖H‖_F} (Theorem 3.3); +∞ when µ ≤ 0, NaN when µ is undefined
     * @param boundProp34     {@code min(B/sqrt((B−1)µ1), 2B/µ1)/‖H‖_F} (Proposition 3.4), same conventions
     * @param rhoAtLr         ρ at the configured learning rate, NaN when none was given
     * @param rhoAtLrResidual the Ritz residual of {@code rhoAtLr}: an eigenvalue of T_η lies within it
     * @param rho             the ρ(η) grid around η*, ascending in η (empty when no grid was asked for)
     */
    public record Row(int batchSize, double criticalLr, boolean certified, double lower, double upper, double rhoLower,
                      double rhoUpper, int applications, double boundThm33, double boundProp34, double rhoAtLr,
                      double rhoAtLrResidual, List<RhoPoint> rho) {
        public Row {
            rho = List.copyOf(rho);
        }

        /** η*(B) over the Theorem 3.3 bound: how much of the paper's allowance the exact criterion uses (≤ 1 if the theorem applies). */
        public double tightness() {
            return criticalLr / boundThm33;
        }
    }

    /**
     * One point of the ρ(η) grid.
     *
     * @param eta      the learning rate
     * @param rho      ρ(η), a Lanczos Ritz value (never above the true ρ)
     * @param residual its residual: an eigenvalue of T_η lies within it
     */
    public record RhoPoint(double eta, double rho, double residual) {
    }

    /** ‖H‖_F as used by the bounds. */
    public double hessianFrobenius() {
        return hessian.frobenius();
    }

    /** {@code 2/λ_max(H)}, the GD sharpness limit from the Hessian itself (NaN when λ_max(H) ≤ 0). */
    public double gdThresholdHessian() {
        return hessian.lambdaMax() > 0 ? 2.0 / hessian.lambdaMax() : Double.NaN;
    }

    /**
     * The numbers of {@code row} under their {@code stability.csv} column names, in column order:
     * certified as 1 or 0, and {@code rho_at_lr}, {@code rho_at_lr_residual} only when a learning rate was given.
     */
    public Map<String, Double> values(Row row) {
        LinkedHashMap<String, Double> v = new LinkedHashMap<>();
        v.put("batch_size", (double) row.batchSize());
        v.put("eta_star", row.criticalLr());
        v.put(CERTIFIED, row.certified() ? 1.0 : 0.0);
        v.put("eta_bound_thm33", row.boundThm33());
        v.put("eta_bound_prop34", row.boundProp34());
        v.put("eta_gd", gdThreshold);
        v.put("tightness_thm33", row.tightness());
        v.put("eta_star_lower", row.lower());
        v.put("eta_star_upper", row.upper());
        v.put("rho_lower", row.rhoLower());
        v.put("rho_upper", row.rhoUpper());
        v.put("applications", (double) row.applications());
        if (config.lr() != null) {
            v.put("rho_at_lr", row.rhoAtLr());
            v.put("rho_at_lr_residual", row.rhoAtLrResidual());
        }
        return v;
    }

    /** Columns of {@code stability.csv}. */
    public List<String> header() {
        return List.copyOf(values(new Row(0, Double.NaN, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, List.of())).keySet());
    }

    /** The CSV cells of {@code row} in the order of {@link #header()} ({@code certified} as true/false). */
    public List<String> cells(Row row) {
        List<String> c = new ArrayList<>();
        for (Map.Entry<String, Double> e : values(row).entrySet()) {
            c.add(e.getKey().equals(CERTIFIED) ? Boolean.toString(row.certified()) : CsvWriter.format(e.getValue()));
        }
        return c;
    }

    /** Columns of {@code rho.csv}. */
    public static List<String> rhoHeader() {
        return List.of("batch_size", "eta", "rho", "rho_residual");
    }

    /** The JSON object of {@code summary.json}: status, global quantities, per-B rows, and the given provenance. */
    public ObjectNode toJson(Object provenance) {
        ObjectNode o = Json.object();
        o.put("status", status.label());
        o.put("n", n);
        o.put("d", d);
        o.put("K", noise.outputs());
        o.put("p", p);
        o.put("sampling", config.sampling().cliName());
        Json.put(o, "loss", noise.loss());
        Json.put(o, "grad_norm", noise.gradNorm());
        Json.put(o, "mu", noise.mu());
        Json.put(o, "mu1", noise.mu1());
        Json.put(o, "mu2", noise.mu2());
        Json.put(o, "alpha", noise.alpha());
        Json.put(o, "beta", noise.beta());
        Json.put(o, "fisher_frobenius", noise.fisherFrobenius());
        Json.put(o, "hessian_frobenius", hessian.frobenius());
        Json.put(o, "hessian_frobenius_stderr", hessian.frobeniusStdErr());
        o.put("hessian_method", hessian.method().cliName());
        o.put("hessian_probes", hessian.probes());
        Json.put(o, "hessian_lambda_max", hessian.lambdaMax());
        o.put("theta_rank", thetaRank);
        Json.put(o, "eta_gd", gdThreshold);
        Json.put(o, "eta_gd_hessian", gdThresholdHessian());
        if (config.lr() != null) {
            o.put("lr", config.lr());
        }
        ArrayNode rs = o.putArray("rows");
        for (Row r : rows) {
            ObjectNode j = rs.addObject();
            for (Map.Entry<String, Double> e : values(r).entrySet()) {
                String k = e.getKey();
                if (k.equals(CERTIFIED)) {
                    j.put(k, r.certified());
                } else if (k.equals("batch_size") || k.equals("applications")) {
                    j.put(k, e.getValue().intValue());
                } else {
                    Json.put(j, k, e.getValue());
                }
            }
        }
        o.set("provenance", Json.tree(provenance));
        return o;
    }
}
