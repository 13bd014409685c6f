package org.sgdstab.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.CsvWriter;
import org.sgdstab.io.InputException;
import org.sgdstab.report.Json;
import org.sgdstab.report.Provenance;

/**
 * Runs a {@link SweepSpec} on a {@link SweepExecutor} into a directory:
 * <ul>
 *   <li>{@code sweep.json}: the spec, the plan (index, id, options of every run) and provenance;</li>
 *   <li>{@code results.jsonl}: one line per finished run, {@code {"index", "id", "command", "options",
 *       "status", "metrics"}} (or {@code "error"}), ordered by plan index. Every update rewrites the file
 *       through a temporary file, fsync and an atomic rename, so a crash (even {@code kill -9}) leaves the
 *       previous complete file: no finished run is lost and no row is ever partial. Rows hold no times or
 *       paths of the output directory, so an interrupted and resumed sweep ends with the same bytes as an
 *       uninterrupted one;</li>
 *   <li>{@code aggregate.csv}: per setting of the non-seed axes, the number of successful runs and each
 *       metric's mean and sample standard deviation over seeds (empty cells where undefined), ready for
 *       error-bar plots;</li>
 *   <li>{@code runs/<id>/}: each run's own outputs.</li>
 * </ul>
 * With {@code resume}, runs with an "ok" row are skipped; failed runs are retried.
 */
public final class Sweep {
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private Sweep() {
    }

    /** Counts of one sweep invocation. */
    public record Summary(int planned, int skipped, int ok, int failed, int interrupted) {
    }

    /**
     * Runs (or resumes) the sweep.
     *
     * @param out    the sweep directory (created)
     * @param resume continue a sweep already in {@code out}; without it, {@code out} must not hold one
     * @param stop   polled by the runs; true stops launching runs and records nothing for the ones it cut short
     * @throws InputException if {@code out} holds a sweep and {@code resume} is false, or holds another spec
     */
    public static Summary run(SweepSpec spec, Path out, SweepExecutor executor, boolean resume, BooleanSupplier stop,
                              Provenance provenance) {
        List<SweepJob> plan = spec.plan();
        Path results = out.resolve("results.jsonl");
        Path sweepJson = out.resolve("sweep.json");
        ObjectNode specJson = spec.toJson();
        TreeMap<Integer, String> rows = new TreeMap<>();
        if (Files.exists(sweepJson) || Files.exists(results)) {
            if (!resume) {
                throw new InputException("--out " + out + " already holds a sweep; use --resume to continue it or choose a new directory");
            }
            JsonNode previous = readJson(sweepJson);
            if (previous == null || !specJson.equals(previous.get("spec"))) {
                throw new InputException("--resume: " + sweepJson + " was written for a different spec; use a new --out for this one");
            }
            rows.putAll(readRows(results, plan));
        } else {
            ObjectNode s = Json.object();
            s.set("spec", specJson);
            ArrayNode p = s.putArray("plan");
            for (SweepJob j : plan) {
                ObjectNode o = p.addObject();
                o.put("index", j.index());
                o.put("id", j.id());
                o.set("options", j.options());
            }
            s.set("provenance", Json.tree(provenance));
            try {
                Files.createDirectories(out);
                AtomicFiles.writeString(sweepJson, Json.write(s));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + sweepJson, e);
            }
        }
        Set<Integer> done = new HashSet<>();
        for (Map.Entry<Integer, String> e : rows.entrySet()) {
            try {
                if ("ok".equals(COMPACT.readTree(e.getValue()).path("status").asText())) {
                    done.add(e.getKey());
                }
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("a row kept from results.jsonl does not parse", ex);
            }
        }
        List<SweepJob> todo = new ArrayList<>();
        for (SweepJob j : plan) {
            if (!done.contains(j.index())) {
                todo.add(j);
            }
        }
        int[] counts = new int[3];
        Object lock = new Object();
        executor.execute(todo, (job, st) -> SweepTasks.run(job, spec.baseDir(), out.resolve("runs").resolve(job.id()), st), outcome -> {
            synchronized (lock) {
                counts[outcome.status().ordinal()]++;
                if (outcome.status() == SweepOutcome.Status.INTERRUPTED) {
                    return;
                }
                rows.put(outcome.job().index(), row(outcome, spec.metrics()));
                writeRows(results, rows);
            }
        }, stop);
        synchronized (lock) {
            writeRows(results, rows);
            writeAggregate(out.resolve("aggregate.csv"), spec, plan, rows);
        }
        return new Summary(plan.size(), plan.size() - todo.size(), counts[0], counts[1], counts[2]);
    }

    private static JsonNode readJson(Path file) {
        try {
            return Files.exists(file) ? Json.MAPPER.readTree(Files.readString(file)) : null;
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** The rows of an existing results.jsonl that belong to this plan (same index and id); anything else is dropped. */
    static Map<Integer, String> readRows(Path results, List<SweepJob> plan) {
        Map<Integer, String> rows = new TreeMap<>();
        if (!Files.exists(results)) {
            return rows;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(results);
        } catch (IOException e) {
            throw new InputException(results + ": cannot read: " + e.getMessage());
        }
        for (String line : lines) {
            JsonNode row;
            try {
                row = COMPACT.readTree(line);
            } catch (JsonProcessingException e) {
                continue;
            }
            if (row == null || !row.has("index") || !row.has("id")) {
                continue;
            }
            int index = row.get("index").asInt(-1);
            if (index >= 0 && index < plan.size() && plan.get(index).id().equals(row.get("id").asText())) {
                rows.put(index, line);
            }
        }
        return rows;
    }

    /** One compact JSON line. */
    static String row(SweepOutcome outcome, List<String> metrics) {
        ObjectNode o = COMPACT.createObjectNode();
        o.put("index", outcome.job().index());
        o.put("id", outcome.job().id());
        o.put("command", outcome.job().command().specName());
        o.set("options", outcome.job().options());
        o.put("status", outcome.status() == SweepOutcome.Status.OK ? "ok" : "failed");
        if (outcome.status() == SweepOutcome.Status.OK) {
            ObjectNode m = o.putObject("metrics");
            for (String k : metrics) {
                Double v = outcome.metrics().get(k);
                m.set(k, SweepTasks.value(v == null ? Double.NaN : v));
            }
        } else {
            o.put("error", String.valueOf(outcome.error()));
        }
        try {
            return COMPACT.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeRows(Path results, Map<Integer, String> rows) {
        StringBuilder sb = new StringBuilder();
        for (String line : rows.values()) {
            sb.append(line).append('\n');
        }
        try {
            AtomicFiles.writeString(results, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + results, e);
        }
    }

    /** Mean ± sample standard deviation over seeds of every metric, per setting of the other axes. */
    static void writeAggregate(Path file, SweepSpec spec, List<SweepJob> plan, Map<Integer, String> rows) {
        List<String> groupAxes = new ArrayList<>();
        for (String a : spec.axes().keySet()) {
            if (!a.equals("seed")) {
                groupAxes.add(a);
            }
        }
        Map<String, List<JsonNode>> groups = new LinkedHashMap<>();
        Map<String, SweepJob> firstJob = new LinkedHashMap<>();
        for (SweepJob j : plan) {
            String key = groupKey(j, groupAxes);
            groups.computeIfAbsent(key, k -> new ArrayList<>());
            firstJob.putIfAbsent(key, j);
            String line = rows.get(j.index());
            if (line == null) {
                continue;
            }
            try {
                JsonNode row = COMPACT.readTree(line);
                if ("ok".equals(row.path("status").asText())) {
                    groups.get(key).add(row.get("metrics"));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a row written by this sweep does not parse: " + line, e);
            }
        }
        List<String> header = new ArrayList<>(groupAxes);
        header.add("runs");
        for (String m : spec.metrics()) {
            header.add(m + "_mean");
            header.add(m + "_std");
        }
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        for (Map.Entry<String, List<JsonNode>> g : groups.entrySet()) {
            List<String> cells = new ArrayList<>();
            SweepJob j = firstJob.get(g.getKey());
            for (String a : groupAxes) {
                cells.add(cell(j.options().get(a)));
            }
            cells.add(Integer.toString(g.getValue().size()));
            for (String m : spec.metrics()) {
                double s = 0;
                int c = 0;
                for (JsonNode row : g.getValue()) {
                    JsonNode v = row.get(m);
                    if (v != null && v.isNumber()) {
                        s += v.asDouble();
                        c++;
                    }
                }
                double mean = c == 0 ? Double.NaN : s / c;
                double ss = 0;
                for (JsonNode row : g.getValue()) {
                    JsonNode v = row.get(m);
                    if (v != null && v.isNumber()) {
                        ss += (v.asDouble() - mean) * (v.asDouble() - mean);
                    }
                }
                cells.add(CsvWriter.format(mean));
                cells.add(CsvWriter.format(c > 1 ? Math.sqrt(ss / (c - 1)) : Double.NaN));
            }
            sb.append(String.join(",", cells)).append('\n');
        }
        try {
            AtomicFiles.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String groupKey(SweepJob j, List<String> axes) {
        ObjectNode k = COMPACT.createObjectNode();
        for (String a : axes) {
            k.set(a, j.options().get(a));
        }
        return k.toString();
    }

    private static String cell(JsonNode v) {
        if (v == null) {
            return "";
        }
        String s = v.isTextual() ? v.asText() : v.isNumber() ? CsvWriter.format(v.asDouble()) : v.toString();
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
