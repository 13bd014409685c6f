package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One figure of the paper: the runs it needs, and how their results become its data, plots and claims.
 * Runs are planned first (so shared runs execute once and a progress bar knows the total), executed by
 * {@link Reproduce} through the {@link RunCache}, then handed back to {@link #render}.
 */
public sealed interface Figure permits Fig1, Fig2, Fig3, Fig4, Fig5, Fig6 {
    /** "fig1" … "fig6". */
    String id();

    /** The runs, in a fixed order. */
    List<RunTask> tasks(Problems problems, long rootSeed);

    /**
     * Writes the figure's data and plots into {@code dir} and checks its claims.
     *
     * @param results every task's done.json, by task
     * @param runs    the run cache (for the runs' own files)
     */
    FigureOutput render(Problems problems, long rootSeed, Map<RunTask, ObjectNode> results, RunCache runs, Path dir);

    /** Every figure, in order. */
    static List<Figure> all() {
        return List.of(new Fig1(), new Fig2(), new Fig3(), new Fig4(), new Fig5(), new Fig6());
    }

    /** The figure called {@code id} ("fig1" … "fig6"), or null. */
    static Figure byId(String id) {
        for (Figure f : all()) {
            if (f.id().equals(id)) {
                return f;
            }
        }
        return null;
    }

    /** The seed of run number {@code index} of a reproduction with root seed {@code rootSeed}. */
    static long runSeed(long rootSeed, int index) {
        return rootSeed * 1_000_003L + index;
    }
}
