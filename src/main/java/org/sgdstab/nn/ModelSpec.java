package org.sgdstab.nn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.sgdstab.io.InputException;

/**
 * The model JSON format, a mirror of PyTorch's {@code nn.Sequential}:
 * <pre>{"layers": [{"type":"linear","in":8,"out":16,"bias":true}, {"type":"tanh"}, {"type":"linear","in":16,"out":1}]}</pre>
 * Layer types: {@code linear} (in, out, bias = true, trainable = true), {@code diagonal} (dim,
 * trainable = true), and the activations {@code relu, tanh, sigmoid, gelu, identity} (optional
 * dim, otherwise the previous layer's width). Unknown types, unknown or missing fields and
 * width mismatches are errors that name the layer index.
 */
public final class ModelSpec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("layers", "name");

    private ModelSpec() {
    }

    /** Reads and validates a model file. */
    public static List<Layer> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": no such file");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /**
     * Parses and validates a model spec.
     *
     * @param source name used in error messages (a file name)
     */
    public static List<Layer> parse(String json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InputException(source + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InputException(source + ": expected a JSON object with a \"layers\" array");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP_LEVEL_FIELDS.contains(f)) {
                throw new InputException(source + ": unknown top-level field \"" + f + "\" (expected \"layers\")");
            }
        }
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new InputException(source + ": \"layers\" must be a non-empty array");
        }
        List<Layer> layers = new ArrayList<>();
        int width = -1;
        for (int i = 0; i < layersNode.size(); i++) {
            Layer layer = parseLayer(layersNode.get(i), width, source + ": layer " + i);
            if (width >= 0 && layer.inputSize() != width) {
                throw new InputException(source + ": layer " + i + " (" + layer.typeName() + ") expects " + layer.inputSize()
                        + " inputs but layer " + (i - 1) + " outputs " + width);
            }
            layers.add(layer);
            width = layer.outputSize();
        }
        return List.copyOf(layers);
    }

    private static Layer parseLayer(JsonNode node, int previousWidth, String where) {
        if (node == null || !node.isObject()) {
            throw new InputException(where + ": expected an object");
        }
        String type = text(node, "type", where);
        return switch (type) {
            case "linear" -> {
                allowOnly(node, where, "type", "in", "out", "bias", "trainable");
                yield new Dense(positiveInt(node, "in", where), positiveInt(node, "out", where),
                        bool(node, "bias", true, where), bool(node, "trainable", true, where));
            }
            case "diagonal" -> {
                allowOnly(node, where, "type", "dim", "trainable");
                yield new Diagonal(positiveInt(node, "dim", where), bool(node, "trainable", true, where));
            }
            case "relu", "tanh", "sigmoid", "gelu", "identity" -> {
                allowOnly(node, where, "type", "dim");
                int dim;
                if (node.has("dim")) {
                    dim = positiveInt(node, "dim", where);
                } else if (previousWidth > 0) {
                    dim = previousWidth;
                } else {
                    throw new InputException(where + " (" + type + "): missing field \"dim\" (needed when an activation comes first)");
                }
                yield activation(type, dim);
            }
            default -> throw new InputException(where + ": unknown layer type \"" + type
                    + "\" (expected linear, diagonal, relu, tanh, sigmoid, gelu or identity)");
        };
    }

    /** An activation layer by its spec name. */
    public static Elementwise activation(String type, int dim) {
        return switch (type) {
            case "relu" -> new Relu(dim);
            case "tanh" -> new Tanh(dim);
            case "sigmoid" -> new Sigmoid(dim);
            case "gelu" -> new Gelu(dim);
            case "identity" -> new Identity(dim);
            default -> throw new InputException("unknown activation \"" + type + "\" (expected relu, tanh, sigmoid, gelu or identity)");
        };
    }

    /** The spec of a list of layers as pretty-printed JSON; {@link #parse} reads it back. */
    public static String toJson(List<Layer> layers) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("layers");
        for (Layer layer : layers) {
            ObjectNode o = arr.addObject();
            o.put("type", layer.typeName());
            if (layer instanceof Dense d) {
                o.put("in", d.inputSize());
                o.put("out", d.outputSize());
                o.put("bias", d.hasBias());
                o.put("trainable", d.trainable());
            } else if (layer instanceof Diagonal g) {
                o.put("dim", g.inputSize());
                o.put("trainable", g.trainable());
            } else {
                o.put("dim", layer.inputSize());
            }
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void allowOnly(JsonNode node, String where, String... fields) {
        Set<String> allowed = Set.of(fields);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new InputException(where + " (" + node.get("type").asText() + "): unknown field \"" + f + "\"");
            }
        }
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new InputException(where + ": missing field \"" + field + "\"");
        }
        if (!v.isTextual()) {
            throw new InputException(where + ": field \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    private static int positiveInt(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        String type = node.get("type").asText();
        if (v == null) {
            throw new InputException(where + " (" + type + "): missing field \"" + field + "\"");
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
            throw new InputException(where + " (" + type + "): field \"" + field + "\" must be a positive integer, got " + v);
        }
        return v.asInt();
    }

    private static boolean bool(JsonNode node, String field, boolean dflt, String where) {
        JsonNode v = node.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isBoolean()) {
            throw new InputException(where + " (" + node.get("type").asText() + "): field \"" + field + "\" must be true or false, got " + v);
        }
        return v.asBoolean();
    }
}
