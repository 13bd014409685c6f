package org.sgdstab.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sgdstab.io.InputException;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Diagonal;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.ModelPresets;
import org.sgdstab.nn.Network;
import org.sgdstab.nn.Tanh;

class ModelResizeTest {
    @Test
    void hiddenWidthChangesEveryHiddenWidthOnly() {
        List<Layer> mlp = ModelPresets.mlp(5, new int[] {8, 6}, "tanh", 2);
        List<Layer> wide = ModelResize.withHiddenWidth(mlp, 20);
        Network net = new Network(wide, new double[0]);
        assertEquals(5, net.inputSize());
        assertEquals(2, net.outputSize());
        assertEquals(5 * 20 + 20 + 20 * 20 + 20 + 20 * 2 + 2, net.parameterCount());
        List<Layer> withDiag = List.of(new Dense(3, 4, true, true), new Diagonal(4, true), new Tanh(4), new Dense(4, 1, false, true));
        List<Layer> d2 = ModelResize.withHiddenWidth(withDiag, 7);
        assertEquals(7, d2.get(1).inputSize());
        assertTrue(d2.get(1) instanceof Diagonal);
        assertEquals(false, ((Dense) d2.get(3)).hasBias());
    }

    @Test
    void depthRepeatsOrTruncatesTheLastHiddenBlock() {
        List<Layer> mlp = ModelPresets.mlp(5, new int[] {8, 6}, "tanh", 1);
        assertEquals(2 * 4 + 1, ModelResize.withDepth(mlp, 4).size());
        assertEquals(3, ModelResize.withDepth(mlp, 1).size());
        assertEquals(1, ModelResize.withDepth(mlp, 0).size());
        Network deep = new Network(ModelResize.withDepth(mlp, 3), new double[0]);
        assertEquals(5 * 8 + 8 + 8 * 6 + 6 + 6 * 6 + 6 + 6 + 1, deep.parameterCount());
    }

    @Test
    void unsupportedPatternsAreInputErrors() {
        assertThrows(InputException.class, () -> ModelResize.withHiddenWidth(List.of(new Dense(3, 1, true, true)), 4));
        assertThrows(InputException.class, () -> ModelResize.withDepth(List.of(new Diagonal(3, true), new Dense(3, 1, false, false)), 2));
    }
}
