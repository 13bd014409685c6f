package org.sgdstab.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.report.Json;

/** Writes a data set as X.npy, Y.npy and meta.json in a directory, each file atomically. */
public final class DatasetFiles {
    private DatasetFiles() {
    }

    /**
     * Writes {@code dir/X.npy} (shape (n, inputShape...)), {@code dir/Y.npy} (n, K) and
     * {@code dir/meta.json} (the given metadata object, e.g. config and provenance).
     */
    public static void write(Path dir, Dataset data, Object meta) {
        try {
            Files.createDirectories(dir);
            int[] in = data.inputShape();
            int[] shape = new int[in.length + 1];
            shape[0] = data.size();
            System.arraycopy(in, 0, shape, 1, in.length);
            Npy.write(dir.resolve("X.npy"), new NdArray(shape, data.x().data));
            Npy.write(dir.resolve("Y.npy"), NdArray.of(data.y()));
            AtomicFiles.writeString(dir.resolve("meta.json"), Json.write(meta));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write data set to " + dir, e);
        }
    }
}
