package org.sgdstab.experiments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.sgdstab.io.InputException;

/**
 * A sweep: one command, its base options, and axes whose cartesian product gives the runs.
 * <pre>
 * {"command": "escape",
 *  "base":    {"model": "mlp.json", "x": "X.npy", "y": "Y.npy", "steps": 50, "trajectories": 100},
 *  "axes":    {"width": [32, 128], "batch-size": [5, 20], "lr": [0.1, 0.2], "seed": [1, 2, 3]},
 *  "metrics": ["escaped_fraction", "gamma0", "rho"]}
 * </pre>
 * Option names are the command's options without the leading dashes ({@link SweepCommand#options()}),
 * plus {@code width} (every hidden width) and {@code depth} (number of hidden blocks). Relative paths are
 * resolved against the spec file's directory. Runs are ordered with the last axis varying fastest.
 * "metrics" (optional) selects what {@code results.jsonl} and {@code aggregate.csv} report; by default
 * every metric of the command. Validation is strict: unknown fields, wrong types, options given twice,
 * missing required options and unknown metrics are {@link InputException}s naming the field.
 *
 * @param command the command
 * @param base    options shared by every run
 * @param axes    option → values, in file order
 * @param metrics metrics to report
 * @param baseDir directory against which relative paths resolve
 */
public record SweepSpec(SweepCommand command, ObjectNode base, Map<String, List<JsonNode>> axes, List<String> metrics, Path baseDir) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL = Set.of("command", "base", "axes", "metrics", "name");

    /** Reads and validates a spec file. */
    public static SweepSpec read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir);
    }

    /**
     * Parses and validates a spec.
     *
     * @param source  name for error messages
     * @param baseDir directory for relative paths
     */
    public static SweepSpec parse(String json, String source, Path baseDir) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InputException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InputException(source + ": expected a JSON object with \"command\", \"base\" and \"axes\"");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_LEVEL.contains(f)) {
                throw new InputException(source + ": unknown field \"" + f + "\" (expected command, base, axes, metrics or name)");
            }
        }
        JsonNode c = root.get("command");
        if (c == null || !c.isTextual()) {
            throw new InputException(source + ": field \"command\" must be a string (escape, linearized, train or analyze)");
        }
        SweepCommand command = SweepCommand.parse(c.asText(), source + ": field \"command\"");
        Map<String, SweepCommand.Type> options = command.options();

        JsonNode b = root.get("base");
        if (b != null && !b.isObject()) {
            throw new InputException(source + ": field \"base\" must be an object of options");
        }
        ObjectNode base = b == null ? JSON.createObjectNode() : (ObjectNode) b.deepCopy();
        for (Iterator<Map.Entry<String, JsonNode>> it = base.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            checkValue(source + ": base.\"" + e.getKey() + "\"", e.getKey(), e.getValue(), options, command);
        }

        JsonNode a = root.get("axes");
        if (a == null || !a.isObject() || a.isEmpty()) {
            throw new InputException(source + ": field \"axes\" must be a non-empty object of option → array of values");
        }
        Map<String, List<JsonNode>> axes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = source + ": axes.\"" + e.getKey() + "\"";
            if (!e.getValue().isArray() || e.getValue().isEmpty()) {
                throw new InputException(where + " must be a non-empty array of values");
            }
            if (base.has(e.getKey())) {
                throw new InputException(where + " is also given in base; give it in one place");
            }
            List<JsonNode> values = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                JsonNode v = e.getValue().get(i);
                checkValue(where + "[" + i + "]", e.getKey(), v, options, command);
                if (values.contains(v)) {
                    throw new InputException(where + "[" + i + "] repeats the value " + v);
                }
                values.add(v);
            }
            axes.put(e.getKey(), List.copyOf(values));
        }
        for (String req : command.required()) {
            if (!base.has(req) && !axes.containsKey(req)) {
                throw new InputException(source + ": missing option \"" + req + "\" (required by " + command.specName()
                        + "; give it in base or axes)");
            }
        }
        if ((base.has("weights") || axes.containsKey("weights")) && (base.has("width") || axes.containsKey("width")
                || base.has("depth") || axes.containsKey("depth"))) {
            throw new InputException(source + ": \"weights\" cannot be combined with \"width\" or \"depth\" (the weights fix the architecture)");
        }

        List<String> metrics;
        JsonNode m = root.get("metrics");
        if (m == null) {
            metrics = command.metrics();
        } else {
            if (!m.isArray() || m.isEmpty()) {
                throw new InputException(source + ": field \"metrics\" must be a non-empty array of metric names");
            }
            metrics = new ArrayList<>();
            for (int i = 0; i < m.size(); i++) {
                JsonNode v = m.get(i);
                if (!v.isTextual() || !command.metrics().contains(v.asText())) {
                    throw new InputException(source + ": metrics[" + i + "]: unknown metric " + v + " for " + command.specName()
                            + " (expected one of " + String.join(", ", command.metrics()) + ")");
                }
                if (metrics.contains(v.asText())) {
                    throw new InputException(source + ": metrics[" + i + "] repeats " + v);
                }
                metrics.add(v.asText());
            }
            metrics = List.copyOf(metrics);
        }
        return new SweepSpec(command, base, java.util.Collections.unmodifiableMap(axes), metrics, baseDir);
    }

    private static void checkValue(String where, String option, JsonNode v, Map<String, SweepCommand.Type> options, SweepCommand command) {
        SweepCommand.Type type = options.get(option);
        if (type == null) {
            throw new InputException(where + ": \"" + option + "\" is not an option of " + command.specName()
                    + " (expected one of " + String.join(", ", options.keySet()) + ")");
        }
        boolean ok = switch (type) {
            case PATH, STRING -> v.isTextual() && !v.asText().isEmpty();
            case NUMBER -> v.isNumber();
            case INTEGER -> v.isIntegralNumber() && v.canConvertToLong();
            case BOOLEAN -> v.isBoolean();
        };
        if (!ok) {
            String expected = switch (type) {
                case PATH -> "a file path (string)";
                case STRING -> "a non-empty string";
                case NUMBER -> "a number";
                case INTEGER -> "an integer";
                case BOOLEAN -> "true or false";
            };
            throw new InputException(where + " must be " + expected + ", got " + v);
        }
    }

    /** The runs, last axis fastest, each with its stable id. */
    public List<SweepJob> plan() {
        List<String> names = new ArrayList<>(axes.keySet());
        int total = 1;
        for (List<JsonNode> v : axes.values()) {
            total = Math.multiplyExact(total, v.size());
        }
        List<SweepJob> jobs = new ArrayList<>(total);
        int[] pos = new int[names.size()];
        for (int index = 0; index < total; index++) {
            ObjectNode opts = JSON.createObjectNode();
            for (String option : command.options().keySet()) {
                int a = names.indexOf(option);
                if (a >= 0) {
                    opts.set(option, axes.get(option).get(pos[a]).deepCopy());
                } else if (base.has(option)) {
                    opts.set(option, base.get(option).deepCopy());
                }
            }
            jobs.add(new SweepJob(index, id(command, opts), command, opts));
            for (int a = names.size() - 1; a >= 0; a--) {
                if (++pos[a] < axes.get(names.get(a)).size()) {
                    break;
                }
                pos[a] = 0;
            }
        }
        return jobs;
    }

    /** A hash of the command and its options (keys sorted), 16 hex digits. */
    static String id(SweepCommand command, ObjectNode options) {
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        options.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
        ObjectNode canon = JSON.createObjectNode();
        canon.put("command", command.specName());
        ObjectNode o = canon.putObject("options");
        sorted.forEach(o::set);
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(canon).getBytes(StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                sb.append(String.format("%02x", h[i]));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The spec as JSON (for sweep.json; resume compares it). */
    public ObjectNode toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("command", command.specName());
        o.set("base", base.deepCopy());
        ObjectNode ax = o.putObject("axes");
        axes.forEach((k, v) -> {
            ArrayNode arr = ax.putArray(k);
            v.forEach(arr::add);
        });
        ArrayNode ms = o.putArray("metrics");
        metrics.forEach(ms::add);
        return o;
    }
}
