package org.sgdstab.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.noise.NoiseAlignment;
import org.sgdstab.report.Json;
import org.sgdstab.stability.Bounds;

/**
 * Everything {@code analyze} reports at one point θ.
 *
 * @param n         probe-set size
 * @param d         input features
 * @param p         trainable parameters
 * @param options   what was asked for
 * @param noise     the noise geometry from Θ
 * @param hessian   Hessian quantities, or null if not computed
 * @param stability exact linear-stability quantities, or null if not computed
 * @param bounds    the paper's bounds checked at this point; those that need µ or µ1 are undefined where
 *                  these are (an exact interpolating fit, L = 0), see {@link Bounds}
 */
public record Analysis(int n, int d, int p, AnalysisOptions options, NoiseAlignment noise, CurvatureSummary hessian,
                       Stability stability, List<Bounds.BoundCheck> bounds) {

    /**
     * Exact linear stability from the second-moment map.
     *
     * @param criticalLr   η*(B) for the chosen sampling
     * @param gdCriticalLr 2/λ_max(Θ/n)
     * @param rhoAtLr      ρ(η) at the analysed η (a Lanczos Ritz value: a lower bound on ρ)
     * @param rhoResidual  the Ritz residual: an eigenvalue of T_η lies within it of {@code rhoAtLr}
     */
    public record Stability(double criticalLr, double gdCriticalLr, double rhoAtLr, double rhoResidual) {
    }

    /** ‖H‖_F if the Hessian was computed, else ‖G‖_F (equal at a global minimum). */
    public double flatness() {
        return hessian != null ? hessian.frobenius() : noise.fisherFrobenius();
    }

    /**
     * The check of {@link #bounds} with the given {@link Bounds.BoundCheck#name() name}, e.g.
     * {@link Bounds#THEOREM_33}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Bounds.BoundCheck bound(String name) {
        for (Bounds.BoundCheck c : bounds) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no bound check named '" + name + "'");
    }

    /** Every numeric result under its snake_case key, in a fixed order (CSV columns, JSON keys). */
    public Map<String, Double> values() {
        LinkedHashMap<String, Double> v = new LinkedHashMap<>();
        double eta = options.lr();
        int b = options.batchSize();
        v.put("n", (double) n);
        v.put("d", (double) d);
        v.put("K", (double) noise.outputs());
        v.put("p", (double) p);
        v.put("loss", noise.loss());
        v.put("grad_norm", noise.gradNorm());
        v.put("fisher_trace", noise.fisherTrace());
        v.put("fisher_frobenius", noise.fisherFrobenius());
        v.put("fisher_lambda_max", noise.fisherLambdaMax());
        v.put("tr_sigma_g", noise.trSigmaG());
        v.put("sigma_frobenius", noise.sigmaFrobenius());
        v.put("alpha", noise.alpha());
        v.put("beta", noise.beta());
        v.put("mu", noise.mu());
        v.put("mu1", noise.mu1());
        v.put("mu2", noise.mu2());
        v.put("gamma", noise.gamma());
        v.put("tau", noise.tau());
        v.put("bound_thm33", bound(Bounds.THEOREM_33).bound());
        v.put("bound_prop34", bound(Bounds.PROPOSITION_34).bound());
        v.put("gd_bound_lambda", bound(Bounds.GD_SHARPNESS).bound());
        v.put("bound_gd_frobenius", bound(Bounds.GD_FROBENIUS).bound());
        v.put("bound_isotropic_trace", bound(Bounds.ISOTROPIC_NOISE).bound());
        v.put("escape_factor_gamma0", Bounds.escape(noise.mu(), flatness(), eta, b, 1e-3).gamma0());
        if (hessian != null) {
            v.put("hessian_frobenius", hessian.frobenius());
            v.put("hessian_frobenius_stderr", hessian.frobeniusStdErr());
            v.put("hessian_trace", hessian.trace());
            v.put("hessian_trace_stderr", hessian.traceStdErr());
            v.put("hessian_lambda_max", hessian.lambdaMax());
            v.put("hessian_lambda_max_residual", hessian.lambdaMaxResidual());
        }
        if (stability != null) {
            v.put("critical_lr", stability.criticalLr());
            v.put("gd_critical_lr", stability.gdCriticalLr());
            v.put("rho_at_lr", stability.rhoAtLr());
            v.put("rho_at_lr_residual", stability.rhoResidual());
        }
        return v;
    }

    /** The JSON object of {@code analyze}: every value, the bound checks, and the given provenance. */
    public ObjectNode toJson(Object provenance) {
        ObjectNode o = Json.object();
        for (Map.Entry<String, Double> e : values().entrySet()) {
            String k = e.getKey();
            if (k.equals("n") || k.equals("d") || k.equals("K") || k.equals("p")) {
                o.put(k, e.getValue().intValue());
            } else {
                Json.put(o, k, e.getValue());
            }
        }
        o.put("lr", options.lr());
        o.put("batch_size", options.batchSize());
        o.put("sampling", options.sampling().cliName());
        if (hessian != null) {
            o.put("hessian_method", hessian.method().cliName());
            o.put("hessian_probes", hessian.probes());
            ArrayNode top = o.putArray("hessian_top_eigenvalues");
            for (double t : hessian.topEigenvalues()) {
                top.add(t);
            }
        }
        ArrayNode checks = o.putArray("bounds");
        for (Bounds.BoundCheck c : bounds) {
            ObjectNode bc = checks.addObject();
            bc.put("name", c.name());
            Json.put(bc, "bound", c.bound());
            Json.put(bc, "measured", c.measured());
            if (c.defined()) {
                bc.put("holds", c.holds());
            } else {
                bc.putNull("holds");
            }
            Json.put(bc, "ratio", c.ratio());
            bc.put("undefined_reason", undefinedReason(c));
        }
        o.set("provenance", Json.tree(provenance));
        return o;
    }

    /** A readable two-column table. */
    public String toText() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : values().entrySet()) {
            sb.append(String.format("%-28s %s%n", e.getKey(), formatNumber(e.getValue())));
        }
        if (hessian != null) {
            sb.append(String.format("%-28s %s%n", "hessian_method", hessian.method().cliName()));
        }
        sb.append(String.format("%nbound checks (measured ≤ bound):%n"));
        for (Bounds.BoundCheck c : bounds) {
            String verdict = !c.defined() ? "undefined: " + c.undefinedReason() : c.holds() ? "holds" : "VIOLATED";
            sb.append(String.format("  %-34s measured %-12s bound %-12s ratio %-10s %s%n", c.name(), formatNumber(c.measured()),
                    formatNumber(c.bound()), formatNumber(c.ratio()), verdict));
        }
        if (noise.undefinedReason() != null) {
            sb.append(String.format("%nundefined: %s; the bounds that need them are undefined.%n", noise.undefinedReason()));
        }
        return sb.toString();
    }

    /** Why check {@code c} is undefined, with the cause at this point; null when it is defined. */
    private String undefinedReason(Bounds.BoundCheck c) {
        if (c.defined()) {
            return null;
        }
        String cause = noise.undefinedReason();
        return cause == null ? c.undefinedReason() : c.undefinedReason() + ": " + cause;
    }

    private static String formatNumber(double v) {
        if (Double.isNaN(v)) {
            return "undefined";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        return String.format("%.6g", v);
    }
}
