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
 * trainable = true), the activations {@code relu, tanh, sigmoid, gelu, identity} (optional dim,
 * otherwise the previous layer's width), and the image layers {@code conv2d} (in_channels,
 * out_channels, kernel_size, stride = 1, padding = 0, bias = true, trainable = true; the last three
 * sizes an integer or an [h, w] pair), {@code maxpool2d} and {@code avgpool2d} (kernel_size,
 * stride = kernel_size), {@code global_avgpool}, {@code flatten}, {@code batchnorm2d}
 * (num_features, eps = 1e-5; evaluation mode, always frozen) and {@code residual} (body: a layer
 * array, shortcut: null for the identity or a layer array). Image layers take their input height
 * and width from the layer before, so a model whose first layer needs an image gives the optional
 * top-level {@code "input_shape": [C, H, W]}. Samples are flattened C·H·W in C order (NCHW).
 * Unknown types, unknown or missing fields and shape mismatches are errors that name the layer
 * (nested layers as {@code layer 3.body.0}). docs/models.md describes the format in full.
 */
public final class ModelSpec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TOP_LEVEL_FIELDS = Set.of("layers", "name", "input_shape");
    private static final String TYPES = "linear, diagonal, relu, tanh, sigmoid, gelu, identity, conv2d, maxpool2d, avgpool2d, "
            + "global_avgpool, flatten, batchnorm2d or residual";

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

    /** The per-sample shape flowing between layers: its width, and its image shape when it has one. */
    private record Shape(int size, ImageShape image) {
        static Shape flat(int size) {
            return new Shape(size, null);
        }

        static Shape of(ImageShape image) {
            return new Shape(image.size(), image);
        }

        String describe() {
            return image != null ? "shape " + image : "a flat vector of " + size + " features";
        }
    }

    /** A parsed layer sequence and the shape it outputs. */
    private record Sequence(List<Layer> layers, Shape out) {
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
                throw new InputException(source + ": unknown top-level field \"" + f + "\" (expected \"layers\", \"name\" or \"input_shape\")");
            }
        }
        JsonNode layersNode = root.get("layers");
        if (layersNode == null || !layersNode.isArray() || layersNode.isEmpty()) {
            throw new InputException(source + ": \"layers\" must be a non-empty array");
        }
        Shape input = parseInputShape(root.get("input_shape"), source);
        return parseSequence(layersNode, input, source, "", "input_shape").layers();
    }

    private static Shape parseInputShape(JsonNode node, String source) {
        if (node == null) {
            return null;
        }
        String bad = source + ": \"input_shape\" must be [d] or [C, H, W] with positive integers, got " + node;
        if (!node.isArray() || (node.size() != 1 && node.size() != 3)) {
            throw new InputException(bad);
        }
        int[] dims = new int[node.size()];
        for (int i = 0; i < dims.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1) {
                throw new InputException(bad);
            }
            dims[i] = v.asInt();
        }
        if (dims.length == 1) {
            return Shape.flat(dims[0]);
        }
        try {
            return Shape.of(new ImageShape(dims[0], dims[1], dims[2]));
        } catch (IllegalArgumentException e) {
            throw new InputException(source + ": \"input_shape\": " + e.getMessage());
        }
    }

    /**
     * @param path      the layers' path before their index in error messages ("" at the top, "3.body." in block 3)
     * @param inputName how messages call the sequence's input when its first layer does not fit
     */
    private static Sequence parseSequence(JsonNode arr, Shape input, String source, String path, String inputName) {
        List<Layer> layers = new ArrayList<>();
        Shape shape = input;
        for (int i = 0; i < arr.size(); i++) {
            String where = source + ": layer " + path + i;
            JsonNode node = arr.get(i);
            Shape[] out = new Shape[1];
            Layer layer = parseLayer(node, shape, source, path + i, out);
            if (shape != null && layer.inputSize() != shape.size()) {
                String from = i == 0 ? inputName + " gives " : "layer " + path + (i - 1) + " outputs ";
                throw new InputException(where + " (" + layer.typeName() + ") expects " + layer.inputSize()
                        + " inputs but " + from + shape.size());
            }
            layers.add(layer);
            shape = out[0];
        }
        return new Sequence(List.copyOf(layers), shape);
    }

    /** Parses one layer whose input has the given shape (null: unknown); stores its output shape in {@code out[0]}. */
    private static Layer parseLayer(JsonNode node, Shape in, String source, String path, Shape[] out) {
        String where = source + ": layer " + path;
        if (node == null || !node.isObject()) {
            throw new InputException(where + ": expected an object");
        }
        String type = text(node, "type", where);
        String at = where + " (" + type + ")";
        try {
            return switch (type) {
                case "linear" -> {
                    allowOnly(node, where, "type", "in", "out", "bias", "trainable");
                    Dense d = new Dense(positiveInt(node, "in", where), positiveInt(node, "out", where),
                            bool(node, "bias", true, where), bool(node, "trainable", true, where));
                    out[0] = Shape.flat(d.outputSize());
                    yield d;
                }
                case "diagonal" -> {
                    allowOnly(node, where, "type", "dim", "trainable");
                    Diagonal d = new Diagonal(positiveInt(node, "dim", where), bool(node, "trainable", true, where));
                    out[0] = in != null && in.size() == d.inputSize() ? in : Shape.flat(d.outputSize());
                    yield d;
                }
                case "relu", "tanh", "sigmoid", "gelu", "identity" -> {
                    allowOnly(node, where, "type", "dim");
                    int dim;
                    if (node.has("dim")) {
                        dim = positiveInt(node, "dim", where);
                    } else if (in != null) {
                        dim = in.size();
                    } else {
                        throw new InputException(at + ": missing field \"dim\" (needed when an activation comes first)");
                    }
                    out[0] = in != null && in.size() == dim ? in : Shape.flat(dim);
                    yield activation(type, dim);
                }
                case "conv2d" -> {
                    allowOnly(node, where, "type", "in_channels", "out_channels", "kernel_size", "stride", "padding", "bias", "trainable");
                    ImageShape image = requireImage(in, at);
                    int cin = positiveInt(node, "in_channels", where);
                    if (cin != image.channels()) {
                        throw new InputException(at + ": in_channels is " + cin + " but its input has shape " + image);
                    }
                    int[] k = pair(node, "kernel_size", null, 1, where);
                    int[] s = pair(node, "stride", new int[] {1, 1}, 1, where);
                    int[] p = pair(node, "padding", new int[] {0, 0}, 0, where);
                    Conv2d c = new Conv2d(image, positiveInt(node, "out_channels", where), k[0], k[1], s[0], s[1], p[0], p[1],
                            bool(node, "bias", true, where), bool(node, "trainable", true, where));
                    out[0] = Shape.of(c.outputShape());
                    yield c;
                }
                case "maxpool2d", "avgpool2d" -> {
                    allowOnly(node, where, "type", "kernel_size", "stride");
                    ImageShape image = requireImage(in, at);
                    int[] k = pair(node, "kernel_size", null, 1, where);
                    int[] s = pair(node, "stride", k, 1, where);
                    Pool2d m = type.equals("maxpool2d") ? new MaxPool2d(image, k[0], k[1], s[0], s[1])
                            : new AvgPool2d(image, k[0], k[1], s[0], s[1]);
                    out[0] = Shape.of(m.outputShape());
                    yield m;
                }
                case "global_avgpool" -> {
                    allowOnly(node, where, "type");
                    GlobalAvgPool g = new GlobalAvgPool(requireImage(in, at));
                    out[0] = Shape.of(g.outputShape());
                    yield g;
                }
                case "flatten" -> {
                    allowOnly(node, where, "type");
                    if (in == null) {
                        throw new InputException(at + ": needs the model's \"input_shape\" when it comes first");
                    }
                    out[0] = Shape.flat(in.size());
                    yield new Flatten(in.size());
                }
                case "batchnorm2d" -> {
                    allowOnly(node, where, "type", "num_features", "eps", "trainable");
                    ImageShape image = requireImage(in, at);
                    int c = positiveInt(node, "num_features", where);
                    if (c != image.channels()) {
                        throw new InputException(at + ": num_features is " + c + " but its input has shape " + image);
                    }
                    if (bool(node, "trainable", false, where)) {
                        throw new InputException(at + ": only evaluation mode is supported, so the layer is frozen"
                                + " (\"trainable\": true is not allowed)");
                    }
                    out[0] = in;
                    yield new BatchNorm2d(image, nonNegativeNumber(node, "eps", BatchNorm2d.DEFAULT_EPS, where));
                }
                case "residual" -> {
                    allowOnly(node, where, "type", "body", "shortcut");
                    JsonNode bodyNode = node.get("body");
                    if (bodyNode == null || !bodyNode.isArray() || bodyNode.isEmpty()) {
                        throw new InputException(at + ": \"body\" must be a non-empty array of layers");
                    }
                    Sequence body = parseSequence(bodyNode, in, source, path + ".body.", "the block's input");
                    JsonNode shortNode = node.get("shortcut");
                    List<Layer> shortcut = List.of();
                    Shape shortOut = in;
                    if (shortNode != null && !shortNode.isNull()) {
                        if (!shortNode.isArray() || shortNode.isEmpty()) {
                            throw new InputException(at + ": \"shortcut\" must be null (identity) or a non-empty array of layers");
                        }
                        Sequence s = parseSequence(shortNode, in, source, path + ".shortcut.", "the block's input");
                        shortcut = s.layers();
                        shortOut = s.out();
                    }
                    if (shortOut != null && (shortOut.size() != body.out().size()
                            || (shortOut.image() != null && body.out().image() != null && !shortOut.image().equals(body.out().image())))) {
                        throw new InputException(at + ": the body outputs " + body.out().describe() + " but the "
                                + (shortcut.isEmpty() ? "identity shortcut passes " : "shortcut outputs ") + shortOut.describe());
                    }
                    out[0] = body.out();
                    yield new Residual(body.layers(), shortcut);
                }
                default -> throw new InputException(where + ": unknown layer type \"" + type + "\" (expected " + TYPES + ")");
            };
        } catch (IllegalArgumentException e) {
            // Geometry and composition checks of the layer constructors (kernel larger than the input, ...).
            throw new InputException(at + ": " + e.getMessage());
        }
    }

    private static ImageShape requireImage(Shape in, String at) {
        if (in == null) {
            throw new InputException(at + ": needs an image input; give the model an \"input_shape\": [C, H, W]");
        }
        if (in.image() == null) {
            throw new InputException(at + ": needs an image input [C, H, W] but gets " + in.describe());
        }
        return in.image();
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

    /**
     * The image shape (C, H, W) a model's input must have, or null when its first layers take a flat
     * vector: the input shape of the first layer that knows one, looking through shape-preserving
     * layers (activations, diagonal) and into residual bodies.
     */
    public static ImageShape imageInputShape(List<Layer> layers) {
        for (Layer layer : layers) {
            if (layer instanceof Conv2d c) {
                return c.inputShape();
            } else if (layer instanceof Pool2d m) {
                return m.inputShape();
            } else if (layer instanceof GlobalAvgPool g) {
                return g.inputShape();
            } else if (layer instanceof BatchNorm2d bn) {
                return bn.inputShape();
            } else if (layer instanceof Residual r) {
                ImageShape s = imageInputShape(r.body());
                if (s != null) {
                    return s;
                }
            } else if (layer instanceof Dense || layer instanceof Flatten) {
                return null;
            }
            // Activations and diagonal layers keep the shape: look further.
        }
        return null;
    }

    /** The spec of a list of layers as pretty-printed JSON; {@link #parse} reads it back. */
    public static String toJson(List<Layer> layers) {
        ObjectNode root = JSON.createObjectNode();
        ImageShape image = imageInputShape(layers);
        if (image != null) {
            ArrayNode shape = root.putArray("input_shape");
            for (int d : image.toArray()) {
                shape.add(d);
            }
        }
        writeLayers(root.putArray("layers"), layers);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeLayers(ArrayNode arr, List<Layer> layers) {
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
            } else if (layer instanceof Elementwise e) {
                o.put("dim", e.inputSize());
            } else if (layer instanceof Conv2d c) {
                o.put("in_channels", c.inputShape().channels());
                o.put("out_channels", c.outChannels());
                putPair(o, "kernel_size", c.kernelHeight(), c.kernelWidth());
                putPair(o, "stride", c.strideHeight(), c.strideWidth());
                putPair(o, "padding", c.paddingHeight(), c.paddingWidth());
                o.put("bias", c.hasBias());
                o.put("trainable", c.trainable());
            } else if (layer instanceof Pool2d m) {
                putPair(o, "kernel_size", m.kernelHeight(), m.kernelWidth());
                putPair(o, "stride", m.strideHeight(), m.strideWidth());
            } else if (layer instanceof BatchNorm2d b) {
                o.put("num_features", b.inputShape().channels());
                o.put("eps", b.eps());
            } else if (layer instanceof Residual r) {
                writeLayers(o.putArray("body"), r.body());
                if (r.shortcut().isEmpty()) {
                    o.putNull("shortcut");
                } else {
                    writeLayers(o.putArray("shortcut"), r.shortcut());
                }
            }
            // global_avgpool and flatten have no fields: their input shape comes from the previous layer.
        }
    }

    private static void putPair(ObjectNode o, String field, int h, int w) {
        if (h == w) {
            o.put(field, h);
        } else {
            o.putArray(field).add(h).add(w);
        }
    }

    /** An integer or an [h, w] pair of integers ≥ min; {@code dflt} when absent (null: required). */
    private static int[] pair(JsonNode node, String field, int[] dflt, int min, String where) {
        JsonNode v = node.get(field);
        String type = node.get("type").asText();
        if (v == null) {
            if (dflt == null) {
                throw new InputException(where + " (" + type + "): missing field \"" + field + "\"");
            }
            return dflt.clone();
        }
        String bad = where + " (" + type + "): field \"" + field + "\" must be an integer ≥ " + min + " or a pair of them, got " + v;
        if (v.isArray()) {
            if (v.size() != 2) {
                throw new InputException(bad);
            }
            return new int[] {intAtLeast(v.get(0), min, bad), intAtLeast(v.get(1), min, bad)};
        }
        int x = intAtLeast(v, min, bad);
        return new int[] {x, x};
    }

    private static int intAtLeast(JsonNode v, int min, String bad) {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min) {
            throw new InputException(bad);
        }
        return v.asInt();
    }

    private static double nonNegativeNumber(JsonNode node, String field, double dflt, String where) {
        JsonNode v = node.get(field);
        if (v == null) {
            return dflt;
        }
        if (!v.isNumber() || !(v.asDouble() >= 0) || !Double.isFinite(v.asDouble())) {
            throw new InputException(where + " (" + node.get("type").asText() + "): field \"" + field
                    + "\" must be a finite number ≥ 0, got " + v);
        }
        return v.asDouble();
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
