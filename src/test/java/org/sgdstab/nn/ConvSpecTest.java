package org.sgdstab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.io.InputException;
import org.sgdstab.io.NdArray;

/** The JSON spec of image layers and residual blocks: round trips, weight keys and bad input. */
class ConvSpecTest {

    static Stream<Arguments> specs() {
        List<Arguments> out = new ArrayList<>();
        for (TestNetworks.Case c : ConvTestNetworks.all()) {
            out.add(Arguments.of(c.name(), c.net().layers()));
        }
        out.add(Arguments.of("smallCnn", ConvPresets.smallCnn(3, 32, 32, 10)));
        out.add(Arguments.of("vgg16 x0.25", ConvPresets.vgg(16, 0.25, 3, 32, 32, 10)));
        out.add(Arguments.of("resnet20 x0.5", ConvPresets.resnet(20, 0.5, 3, 32, 32, 10)));
        return out.stream();
    }

    private static List<String> describe(List<Layer> layers) {
        List<String> d = new ArrayList<>();
        for (Layer l : layers) {
            d.add(l.typeName() + " " + l.inputSize() + "->" + l.outputSize() + " trainable=" + l.trainable());
            for (ParamTensor t : l.parameters()) {
                d.add("  " + t.name() + java.util.Arrays.toString(t.shape()));
            }
        }
        return d;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void toJsonParsesBackToTheSameLayers(String name, List<Layer> layers) {
        String json = ModelSpec.toJson(layers);
        List<Layer> back = ModelSpec.parse(json, name);
        assertEquals(describe(layers), describe(back));
        assertEquals(json, ModelSpec.toJson(back));
        assertEquals(ModelSpec.imageInputShape(layers), ModelSpec.imageInputShape(back));
    }

    @Test
    void weightKeysFollowPyTorchNestingAndRoundTrip() {
        List<Layer> layers = ConvPresets.resnet(8, 0.25, 3, 8, 8, 2);
        Model m = new Initializer.Fixup().initialize(layers, new SplittableRandom(2));
        LinkedHashMap<String, NdArray> tensors = ModelWeights.toTensors(m);
        assertTrue(tensors.containsKey("0.weight"), tensors.keySet().toString());
        assertTrue(tensors.containsKey("2.body.0.weight"));
        assertTrue(tensors.containsKey("2.body.2.bias"));
        assertTrue(tensors.containsKey("4.shortcut.0.weight"));
        assertArrayEquals(new int[] {8, 4, 1, 1}, tensors.get("4.shortcut.0.weight").shape());
        assertTrue(tensors.containsKey("10.weight"));
        Model back = ModelWeights.fromTensors(layers, tensors, "w.safetensors");
        assertArrayEquals(m.theta(), back.theta(), 0.0);
    }

    @Test
    void frozenBatchNormWeightsLoadAndNegativeVariancesAreRejected() {
        String json = """
                {"input_shape": [1, 2, 2], "layers": [
                  {"type": "conv2d", "in_channels": 1, "out_channels": 2, "kernel_size": 1},
                  {"type": "batchnorm2d", "num_features": 2},
                  {"type": "flatten"}, {"type": "linear", "in": 8, "out": 1}]}""";
        List<Layer> layers = ModelSpec.parse(json, "m.json");
        LinkedHashMap<String, NdArray> t = new LinkedHashMap<>();
        t.put("0.weight", new NdArray(new int[] {2, 1, 1, 1}, new double[] {1, 2}));
        t.put("0.bias", new NdArray(new int[] {2}, new double[] {0, 0}));
        t.put("1.weight", new NdArray(new int[] {2}, new double[] {1, 1}));
        t.put("1.bias", new NdArray(new int[] {2}, new double[] {0, 0}));
        t.put("1.running_mean", new NdArray(new int[] {2}, new double[] {0, 0}));
        t.put("1.running_var", new NdArray(new int[] {2}, new double[] {1, 4}));
        t.put("3.weight", new NdArray(new int[] {1, 8}, new double[8]));
        t.put("3.bias", new NdArray(new int[] {1}, new double[1]));
        Model m = ModelWeights.fromTensors(layers, t, "w.safetensors");
        assertEquals(2 + 2 + 9, m.parameterCount(), "batch norm is frozen: not in θ");
        t.put("1.running_var", new NdArray(new int[] {2}, new double[] {1, -4}));
        InputException e = assertThrows(InputException.class, () -> ModelWeights.fromTensors(layers, t, "w.safetensors"));
        assertTrue(e.getMessage().contains("\"1.running_var\" holds a negative variance"), e.getMessage());
    }

    @Test
    void flatModelsNeedNoInputShapeAndMayGiveOne() {
        String mlp = "{\"layers\": [{\"type\":\"linear\",\"in\":4,\"out\":3}, {\"type\":\"relu\"}, {\"type\":\"linear\",\"in\":3,\"out\":1}]}";
        assertEquals(3, ModelSpec.parse(mlp, "m.json").size());
        assertNull(ModelSpec.imageInputShape(ModelSpec.parse(mlp, "m.json")));
        assertEquals(3, ModelSpec.parse(mlp.replace("{\"layers\"", "{\"input_shape\": [4], \"layers\""), "m.json").size());
        // A linear layer may read an image input directly (it sees the flattened C·H·W vector).
        String direct = "{\"input_shape\": [1, 2, 2], \"layers\": [{\"type\":\"linear\",\"in\":4,\"out\":1}]}";
        assertEquals(1, ModelSpec.parse(direct, "m.json").size());
    }

    static Stream<Arguments> badSpecs() {
        String conv = "{\"type\": \"conv2d\", \"in_channels\": 3, \"out_channels\": 4, \"kernel_size\": 3, \"padding\": 1}";
        return Stream.of(
                Arguments.of("image layer without input_shape", "{\"layers\": [" + conv + "]}",
                        "layer 0 (conv2d): needs an image input; give the model an \"input_shape\": [C, H, W]"),
                Arguments.of("channel mismatch", "{\"input_shape\": [2, 8, 8], \"layers\": [" + conv + "]}",
                        "layer 0 (conv2d): in_channels is 3 but its input has shape [2, 8, 8]"),
                Arguments.of("conv after a flat layer", "{\"input_shape\": [3, 2, 2], \"layers\": [{\"type\":\"linear\",\"in\":12,"
                        + "\"out\":12}, " + conv + "]}", "layer 1 (conv2d): needs an image input [C, H, W] but gets a flat vector of 12"),
                Arguments.of("kernel larger than input", "{\"input_shape\": [3, 2, 2], \"layers\": ["
                        + conv.replace("\"padding\": 1", "\"padding\": 0") + "]}", "layer 0 (conv2d): kernel 3x3 is larger than the padded input 2x2"),
                Arguments.of("bad kernel pair", "{\"input_shape\": [3, 8, 8], \"layers\": [" + conv.replace("\"kernel_size\": 3",
                        "\"kernel_size\": [3, 0]") + "]}", "layer 0 (conv2d): field \"kernel_size\" must be an integer ≥ 1 or a pair"),
                Arguments.of("bad input_shape", "{\"input_shape\": [3, 8], \"layers\": [" + conv + "]}",
                        "\"input_shape\" must be [d] or [C, H, W]"),
                Arguments.of("trainable batch norm", "{\"input_shape\": [3, 2, 2], \"layers\": [{\"type\": \"batchnorm2d\", "
                        + "\"num_features\": 3, \"trainable\": true}]}", "layer 0 (batchnorm2d): only evaluation mode is supported"),
                Arguments.of("residual shape mismatch", "{\"input_shape\": [3, 4, 4], \"layers\": [{\"type\": \"residual\", \"body\": ["
                        + conv.replace("\"out_channels\": 4", "\"out_channels\": 5") + "]}]}",
                        "layer 0 (residual): the body outputs shape [5, 4, 4] but the identity shortcut passes shape [3, 4, 4]"),
                Arguments.of("nested error names its path", "{\"input_shape\": [3, 4, 4], \"layers\": [{\"type\": \"residual\", \"body\": ["
                        + conv + ", {\"type\": \"relu\"}, {\"type\": \"conv2d\", \"in_channels\": 3, \"out_channels\": 3, \"kernel_size\": 1}],"
                        + " \"shortcut\": null}]}", "layer 0.body.2 (conv2d): in_channels is 3 but its input has shape [4, 4, 4]"),
                Arguments.of("mixed trainability in a block", "{\"input_shape\": [3, 4, 4], \"layers\": [{\"type\": \"residual\", \"body\": ["
                        + conv.replace("\"out_channels\": 4", "\"out_channels\": 3") + ", {\"type\": \"batchnorm2d\", \"num_features\": 3}]}]}",
                        "layer 0 (residual): body.0 (conv2d) is trainable but body.1 (batchnorm2d) is frozen"),
                Arguments.of("empty shortcut", "{\"input_shape\": [3, 4, 4], \"layers\": [{\"type\": \"residual\", \"body\": [{\"type\": \"relu\"}],"
                        + " \"shortcut\": []}]}", "layer 0 (residual): \"shortcut\" must be null (identity) or a non-empty array"),
                Arguments.of("unknown conv field", "{\"input_shape\": [3, 4, 4], \"layers\": [" + conv.replace("\"padding\"", "\"dilation\"")
                        + "]}", "layer 0 (conv2d): unknown field \"dilation\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void badSpecsFailWithOneLineNamingTheLayer(String name, String json, String expected) {
        InputException e = assertThrows(InputException.class, () -> ModelSpec.parse(json, "m.json"));
        assertTrue(e.getMessage().startsWith("m.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }
}
