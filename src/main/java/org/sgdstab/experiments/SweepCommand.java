package org.sgdstab.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sgdstab.io.InputException;

/**
 * The commands a sweep can run, with the options each accepts (the command-line option names without
 * the leading dashes, plus the architecture axes {@code width} and {@code depth}) and the scalar metrics
 * each reports into {@code results.jsonl}.
 */
public enum SweepCommand {
    /** {@code sgdstab escape}. */
    ESCAPE("escape"),
    /** {@code sgdstab linearized} (without model sizes). */
    LINEARIZED("linearized"),
    /** {@code sgdstab train}. */
    TRAIN("train"),
    /** {@code sgdstab analyze}. */
    ANALYZE("analyze");

    /** JSON value types of options. */
    public enum Type {
        /** A file path, as a string. */
        PATH,
        /** Any JSON number. */
        NUMBER,
        /** A JSON integer. */
        INTEGER,
        /** A JSON string. */
        STRING,
        /** true or false. */
        BOOLEAN
    }

    private final String name;

    SweepCommand(String name) {
        this.name = name;
    }

    /** The name in sweep specs. */
    public String specName() {
        return name;
    }

    /** Parses a spec's "command". */
    public static SweepCommand parse(String s, String where) {
        for (SweepCommand c : values()) {
            if (c.name.equals(s)) {
                return c;
            }
        }
        throw new InputException(where + ": unknown command \"" + s + "\" (expected escape, linearized, train or analyze)");
    }

    /** Options every command takes: the model, its data and architecture edits, and the seed. */
    private static final Map<String, Type> COMMON = ordered(
            "model", Type.PATH, "weights", Type.PATH, "x", Type.PATH, "y", Type.PATH, "init-sigma", Type.NUMBER,
            "width", Type.INTEGER, "depth", Type.INTEGER, "seed", Type.INTEGER);

    /** The options of this command, name → type. */
    public Map<String, Type> options() {
        Map<String, Type> m = new LinkedHashMap<>(COMMON);
        switch (this) {
            case ESCAPE -> m.putAll(ordered("lr", Type.NUMBER, "batch-size", Type.INTEGER, "sampling", Type.STRING,
                    "trajectories", Type.INTEGER, "steps", Type.INTEGER, "gd-tol", Type.NUMBER, "gd-max-steps", Type.INTEGER,
                    "skip-gd", Type.BOOLEAN, "divergence-cap", Type.NUMBER, "jobs", Type.INTEGER, "fit-window", Type.INTEGER,
                    "levels", Type.STRING, "hessian", Type.STRING, "probe", Type.INTEGER));
            case LINEARIZED -> m.putAll(ordered("lr", Type.NUMBER, "batch-size", Type.INTEGER, "sampling", Type.STRING,
                    "noise", Type.STRING, "trajectories", Type.INTEGER, "steps", Type.INTEGER, "init-loss", Type.NUMBER,
                    "divergence-cap", Type.NUMBER, "jobs", Type.INTEGER));
            case TRAIN -> m.putAll(ordered("optimizer", Type.STRING, "sampling", Type.STRING, "lr", Type.NUMBER,
                    "batch-size", Type.INTEGER, "steps", Type.INTEGER, "log-every", Type.INTEGER, "tol", Type.NUMBER,
                    "divergence-cap", Type.NUMBER));
            case ANALYZE -> m.putAll(ordered("lr", Type.NUMBER, "batch-size", Type.INTEGER, "sampling", Type.STRING,
                    "hessian", Type.STRING, "probes", Type.INTEGER, "top-k", Type.INTEGER, "critical-lr", Type.BOOLEAN,
                    "probe", Type.INTEGER));
        }
        return m;
    }

    /** Options that must be given (in base or axes). */
    public List<String> required() {
        return switch (this) {
            case ESCAPE, LINEARIZED -> List.of("model", "x", "y", "seed", "lr", "batch-size", "steps");
            case TRAIN -> List.of("model", "x", "y", "seed", "lr", "steps");
            case ANALYZE -> List.of("model", "x", "y", "seed", "lr", "batch-size");
        };
    }

    /** Every metric this command can report, in output order. */
    public List<String> metrics() {
        return switch (this) {
            case ESCAPE -> List.of("start_loss", "escaped_fraction", "final_mean_loss", "final_median_loss", "growth_factor_mean_log",
                    "growth_factor_log_mean", "first_step_mean_reaches_1", "gamma0", "rho", "critical_lr", "hessian_frobenius", "mu",
                    "bound_thm33", "bound_violated", "gd_steps");
            case LINEARIZED -> List.of("p", "rank", "trace_h", "frobenius_h", "lambda_max",
                    "growth_minibatch", "growth_geometry", "growth_isotropic", "growth_bounded",
                    "fit_minibatch", "fit_geometry", "fit_isotropic", "fit_bounded",
                    "final_mean_minibatch", "final_mean_geometry", "final_mean_isotropic", "final_mean_bounded", "minibatch_agrees");
            case TRAIN -> List.of("final_loss", "steps", "converged", "diverged");
            case ANALYZE -> List.of("n", "p", "loss", "grad_norm", "fisher_trace", "fisher_frobenius", "fisher_lambda_max", "alpha",
                    "beta", "mu", "mu1", "mu2", "gamma", "tau", "bound_thm33", "bound_prop34", "escape_factor_gamma0",
                    "hessian_frobenius", "hessian_trace", "hessian_lambda_max", "critical_lr", "gd_critical_lr", "rho_at_lr");
        };
    }

    private static Map<String, Type> ordered(Object... kv) {
        Map<String, Type> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Type) kv[i + 1]);
        }
        return m;
    }
}
