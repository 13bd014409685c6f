package org.sgdstab.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file.
 *
 * @param tensors  the tensors by name, in the order of the file's JSON header
 * @param metadata the free-form {@code __metadata__} strings, empty if the file has none
 */
public record SafetensorsFile(LinkedHashMap<String, NdArray> tensors, Map<String, String> metadata) {
    public SafetensorsFile {
        tensors = new LinkedHashMap<>(tensors);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
