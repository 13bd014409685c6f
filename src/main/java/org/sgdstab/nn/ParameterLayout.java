package org.sgdstab.nn;

import java.util.List;

/**
 * Where each layer's parameters live: a trainable layer's in θ, a frozen layer's in the network's
 * frozen-weight array, each at consecutive offsets in layer order.
 *
 * @param offsets   offset of layer l in its array
 * @param trainable total trainable parameters, p
 * @param frozen    total frozen parameters
 */
record ParameterLayout(int[] offsets, int trainable, int frozen) {

    static ParameterLayout of(List<Layer> layers) {
        int[] offsets = new int[layers.size()];
        int p = 0;
        int f = 0;
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            if (layer.trainable()) {
                offsets[l] = p;
                p += layer.paramCount();
            } else {
                offsets[l] = f;
                f += layer.paramCount();
            }
        }
        return new ParameterLayout(offsets, p, f);
    }
}
