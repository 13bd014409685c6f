package org.sgdstab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sgdstab.io.InputException;

/**
 * Reads the CIFAR-10 binary format ({@code data_batch_N.bin}, {@code test_batch.bin}): records of
 * 1 label byte (0..9) followed by 3072 pixel bytes, the 1024 red, then 1024 green, then 1024 blue
 * values of a 32×32 image, each plane row-major. A record is therefore already one image in
 * (C, H, W) order. Gzipped files are accepted too (detected by their magic bytes).
 */
public final class Cifar10Reader {
    /** Number of classes. */
    public static final int CLASSES = 10;
    /** Channels of every image (red, green, blue). */
    public static final int CHANNELS = 3;
    /** Height and width of every image. */
    public static final int SIDE = 32;
    /** Pixel bytes per image, 3·32·32. */
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    /** Bytes per record: 1 label byte and the pixels. */
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;

    private Cifar10Reader() {
    }

    /**
     * Reads and concatenates the records of the given files, in order.
     *
     * @param files CIFAR-10 binary batch files. Not modified.
     * @return the images as (n, 3, 32, 32) with their labels
     * @throws InputException naming the file and the problem if a file is missing, empty, not a
     *     whole number of records long, or holds a label outside 0..9
     */
    public static LabeledImages read(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no CIFAR-10 files given");
        }
        List<byte[]> contents = new ArrayList<>(files.size());
        long records = 0;
        for (Path f : files) {
            byte[] b = readFile(f);
            contents.add(b);
            records += b.length / RECORD_BYTES;
        }
        if (records * IMAGE_BYTES > Integer.MAX_VALUE - 16) {
            throw new InputException(files.get(0).getParent() + ": " + records + " CIFAR-10 images exceed 2 GiB");
        }
        byte[] pixels = new byte[(int) (records * IMAGE_BYTES)];
        int[] labels = new int[(int) records];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            byte[] b = contents.get(f);
            contents.set(f, null); // let each file's bytes go once copied: peak memory ≈ output + one file
            for (int r = 0; r < b.length / RECORD_BYTES; r++, i++) {
                int at = r * RECORD_BYTES;
                labels[i] = b[at] & 0xff;
                if (labels[i] >= CLASSES) {
                    throw ImageFiles.fail(files.get(f), "label " + labels[i] + " of record " + r + " is out of range 0..9");
                }
                System.arraycopy(b, at + 1, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
            }
        }
        return new LabeledImages(pixels, labels, CHANNELS, SIDE, SIDE, files);
    }

    private static byte[] readFile(Path file) {
        byte[] b;
        try (InputStream in = ImageFiles.open(file)) {
            b = in.readAllBytes();
        } catch (IOException e) {
            throw ImageFiles.fail(file, e);
        }
        if (b.length == 0) {
            throw ImageFiles.fail(file, "empty file (expected CIFAR-10 records of " + RECORD_BYTES + " bytes)");
        }
        if (b.length % RECORD_BYTES != 0) {
            throw ImageFiles.fail(file, "length " + b.length + " bytes is not a multiple of " + RECORD_BYTES
                    + " (1 label byte + 3072 pixel bytes per CIFAR-10 record): truncated, or not the CIFAR-10 binary format");
        }
        return b;
    }
}
