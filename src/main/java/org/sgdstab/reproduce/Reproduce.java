package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.sgdstab.experiments.TrajectoryPool;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.InputException;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;

/**
 * {@code sgdstab reproduce} as a library call: plans every run of the chosen figures, executes the
 * unfinished ones on a pool of {@code jobs} threads through a {@link RunCache} in {@code out/runs/}, then
 * writes each figure's folder ({@code out/figN/}: data, plots, claims.json) and {@code out/report.html}.
 * Runs are independent and seeded by their own keys, so results do not depend on {@code jobs} or order.
 */
public final class Reproduce {
    /** The file that marks a directory as a reproduction (so a second one without --resume is refused). */
    public static final String MANIFEST = "reproduce.json";

    private Reproduce() {
    }

    /** Progress of the runs. */
    public interface Listener {
        /** Before any run: the number of distinct runs and how many are already finished. */
        void planned(int total, int finished);

        /** A run finished (or was found finished). */
        void finished(String label);
    }

    /** Thrown when the stop flag ended the reproduction before it finished; finished runs are kept. */
    public static final class Stopped extends RuntimeException {
        Stopped(int done, int total) {
            super("interrupted after " + done + " of " + total + " runs; rerun with --resume to continue");
        }
    }

    /**
     * The outcome.
     *
     * @param figures  what each figure produced
     * @param executed runs executed by this call
     * @param reused   runs found finished in the cache
     * @param seconds  wall-clock time of this call
     */
    public record Result(List<FigureOutput> figures, int executed, int reused, double seconds) {
        /** Whether every claim passed. */
        public boolean allPassed() {
            return figures.stream().allMatch(f -> f.claims().stream().allMatch(Claim::passed));
        }
    }

    /**
     * Reproduces {@code figures}.
     *
     * @throws InputException if {@code out} already holds a reproduction and resume is off
     * @throws Stopped        if {@code stop} was raised (finished runs are kept for --resume)
     */
    public static Result run(ReproduceConfig cfg, List<Figure> figures, BooleanSupplier stop, Listener listener) {
        long t0 = System.nanoTime();
        Path out = cfg.out();
        Path manifest = out.resolve(MANIFEST);
        if (!cfg.resume() && (Files.exists(manifest) || Files.exists(out.resolve("runs")))) {
            throw new InputException("--out " + out + " already holds a reproduction; add --resume to continue it or choose a new directory");
        }
        Problems problems = new Problems(cfg.scale(), cfg.seed());
        RunCache cache = new RunCache(out.resolve("runs"));
        Map<String, RunTask> distinct = new LinkedHashMap<>();
        Map<Figure, List<RunTask>> perFigure = new LinkedHashMap<>();
        for (Figure f : figures) {
            List<RunTask> tasks = f.tasks(problems, cfg.seed());
            perFigure.put(f, tasks);
            for (RunTask t : tasks) {
                distinct.putIfAbsent(RunCache.id(t.kind(), t.key()), t);
            }
        }
        writeManifest(manifest, cfg, figures);
        Map<String, ObjectNode> done = new java.util.concurrent.ConcurrentHashMap<>();
        List<Map.Entry<String, RunTask>> todo = new ArrayList<>();
        for (Map.Entry<String, RunTask> e : distinct.entrySet()) {
            ObjectNode d = cache.finished(e.getKey());
            if (d != null) {
                done.put(e.getKey(), d);
            } else {
                todo.add(e);
            }
        }
        listener.planned(distinct.size(), done.size());
        execute(todo, problems, cache, done, cfg.jobs(), stop, listener);
        if (done.size() < distinct.size()) {
            throw new Stopped(done.size(), distinct.size());
        }
        List<FigureOutput> outputs = new ArrayList<>();
        for (Figure f : figures) {
            Map<RunTask, ObjectNode> results = new LinkedHashMap<>();
            for (RunTask t : perFigure.get(f)) {
                results.put(t, done.get(RunCache.id(t.kind(), t.key())));
            }
            Path dir = out.resolve(f.id());
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
            FigureOutput fo = f.render(problems, cfg.seed(), results, cache, dir);
            writeClaims(dir.resolve("claims.json"), fo, cfg);
            outputs.add(fo);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        Result r = new Result(List.copyOf(outputs), cache.executed(), cache.reused(), seconds);
        ReportHtml.write(out.resolve("report.html"), out, r, cfg, Provenance.now("reproduce", cfg.seed(), cfg));
        return r;
    }

    private static void execute(List<Map.Entry<String, RunTask>> todo, Problems problems, RunCache cache, Map<String, ObjectNode> done,
                                int jobs, BooleanSupplier stop, Listener listener) {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Runnable body = () -> {
            for (int i = next.getAndIncrement(); i < todo.size() && failure.get() == null && !stop.getAsBoolean(); i = next.getAndIncrement()) {
                Map.Entry<String, RunTask> e = todo.get(i);
                try {
                    Path dir = cache.dir(e.getKey());
                    ObjectNode result = e.getValue().execute(problems, dir, stop);
                    if (result == null) {
                        continue;
                    }
                    ObjectNode stored = Json.object();
                    stored.put("kind", e.getValue().kind());
                    stored.set("key", e.getValue().key());
                    stored.setAll(result);
                    stored.set("provenance", Json.tree(Provenance.now("reproduce run " + e.getKey(), 0, e.getValue().key())));
                    cache.finish(e.getKey(), stored);
                    done.put(e.getKey(), stored);
                    listener.finished(e.getValue().label());
                } catch (RuntimeException ex) {
                    failure.compareAndSet(null, ex);
                }
            }
        };
        int n = Math.min(jobs, Math.max(1, todo.size()));
        TrajectoryPool.onThreads(n, true, "sgdstab-reproduce-", "runs", body);
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private static void writeManifest(Path manifest, ReproduceConfig cfg, List<Figure> figures) {
        ObjectNode o = Json.object();
        o.put("scale", cfg.scale().cliName());
        o.put("seed", cfg.seed());
        ArrayNode f = o.putArray("figures");
        figures.forEach(x -> f.add(x.id()));
        o.set("provenance", Json.tree(Provenance.now("reproduce", cfg.seed(), cfg)));
        try {
            Files.createDirectories(manifest.getParent());
            AtomicFiles.writeString(manifest, Json.write(o));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + manifest, e);
        }
    }

    private static void writeClaims(Path file, FigureOutput fo, ReproduceConfig cfg) {
        ObjectNode o = Json.object();
        o.put("figure", fo.id());
        o.put("title", fo.title());
        ArrayNode c = o.putArray("claims");
        fo.claims().forEach(x -> c.add(x.toJson()));
        o.set("provenance", Json.tree(Provenance.now("reproduce " + fo.id(), cfg.seed(), cfg)));
        try {
            AtomicFiles.writeString(file, Json.write(o));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
