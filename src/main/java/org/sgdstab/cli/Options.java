package org.sgdstab.cli;

import org.sgdstab.data.SyntheticConfig;
import org.sgdstab.geometry.CurvatureSummary;
import org.sgdstab.io.InputException;

/** Parsing of option values shared by several commands; every failure is an {@link InputException}. */
final class Options {
    private Options() {
    }

    static SyntheticConfig.InputKind inputKind(String s) {
        return switch (s) {
            case "gaussian" -> SyntheticConfig.InputKind.GAUSSIAN;
            case "sphere" -> SyntheticConfig.InputKind.SPHERE;
            default -> throw new InputException("--kind: unknown value '" + s + "' (expected gaussian or sphere)");
        };
    }

    static SyntheticConfig.Teacher teacher(String s) {
        return switch (s) {
            case "linear" -> SyntheticConfig.Teacher.LINEAR;
            case "mlp-tanh" -> SyntheticConfig.Teacher.MLP_TANH;
            case "mlp-relu" -> SyntheticConfig.Teacher.MLP_RELU;
            default -> throw new InputException("--teacher: unknown value '" + s + "' (expected linear, mlp-tanh or mlp-relu)");
        };
    }

    /** A --hessian value: null for "none", else {@link CurvatureSummary.Method#parse}. */
    static CurvatureSummary.Method hessian(String s) {
        return s.equals("none") ? null : CurvatureSummary.Method.parse(s);
    }

    /** A --jobs value: the number of available processors when not given. */
    static int jobs(Integer jobs) {
        return jobs == null ? Runtime.getRuntime().availableProcessors() : jobs;
    }

    /** "1,0.5,0.25" or "power:A" (λ_j = j^−A, j = 1..d); null stays null (isotropic). */
    static double[] spectrum(String s, int d) {
        if (s == null) {
            return null;
        }
        if (s.startsWith("power:")) {
            double a = number(s.substring(6), "--cov-spectrum");
            double[] v = new double[Math.max(d, 0)];
            for (int j = 0; j < v.length; j++) {
                v[j] = Math.pow(j + 1, -a);
            }
            return v;
        }
        return numbers(s, "--cov-spectrum");
    }

    /** A comma-separated list of positive integers, e.g. "1,2,4". */
    static int[] positiveInts(String s, String option) {
        String[] parts = s.split(",");
        int[] v = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = integer(parts[i].trim(), option);
            if (v[i] < 1) {
                throw new InputException(option + ": values must be positive, got " + v[i]);
            }
        }
        return v;
    }

    /** A comma-separated list of numbers, e.g. "1e-3,1e-2". */
    static double[] numbers(String s, String option) {
        String[] parts = s.split(",");
        double[] v = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            v[i] = number(parts[i].trim(), option);
        }
        return v;
    }

    static int integer(String s, String option) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new InputException(option + ": '" + s + "' is not an integer");
        }
    }

    static double number(String s, String option) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new InputException(option + ": '" + s + "' is not a number");
        }
    }

    static void requirePositive(double v, String option) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new InputException(option + " must be a positive number, got " + v);
        }
    }

    static void requireAtLeast(long v, long min, String option) {
        if (v < min) {
            throw new InputException(option + " must be at least " + min + ", got " + v);
        }
    }
}
