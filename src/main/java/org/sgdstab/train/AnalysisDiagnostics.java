package org.sgdstab.train;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.sgdstab.analysis.AnalysisOptions;
import org.sgdstab.analysis.Analyzer;
import org.sgdstab.data.Dataset;
import org.sgdstab.nn.Model;

/** Training diagnostics that are exactly {@code analyze}'s values on a fixed probe set. */
public final class AnalysisDiagnostics implements Diagnostics {
    private final Model model;
    private final Dataset probe;
    private final AnalysisOptions options;
    private final List<String> keys;
    private final double[] firstTheta;
    private final Map<String, Double> firstValues;

    /** Analyses the starting point once to learn the keys; that result is reused for step 0. */
    public AnalysisDiagnostics(Model model, Dataset probe, AnalysisOptions options) {
        this.model = model;
        this.probe = probe;
        this.options = options;
        this.firstTheta = model.theta().clone();
        this.firstValues = Analyzer.analyze(model, probe, options).values();
        this.keys = List.copyOf(firstValues.keySet());
    }

    @Override
    public List<String> keys() {
        return keys;
    }

    @Override
    public Map<String, Double> at(double[] theta) {
        if (Arrays.equals(theta, firstTheta)) {
            return firstValues;
        }
        return Analyzer.analyze(model.withTheta(theta), probe, options).values();
    }
}
