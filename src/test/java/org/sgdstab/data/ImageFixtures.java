package org.sgdstab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Small image files written byte by byte in the exact IDX and CIFAR-10 binary layouts, from a
 * known pixel function, so readers can be checked against it independently of their own code.
 */
public final class ImageFixtures {
    private ImageFixtures() {
    }

    /**
     * The pixel of image i, channel c, row h, column w: a value 0..255 that differs across all
     * four indices (and between channels in mean), so layout mistakes show.
     */
    public static int pixel(int i, int c, int h, int w) {
        return (i * 37 + c * 85 + h * 11 + w * 3 + (i * h * w) % 7) % 256;
    }

    /** n labels in 0..9, seeded, with unequal class counts. */
    public static int[] labels(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rng.nextInt(10);
        }
        return labels;
    }

    /** An IDX images file (magic 0x00000803) of n = labels.length images rows × cols, as bytes. */
    public static byte[] idxImages(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols); // big-endian, as IDX is
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n; i++) {
            for (int h = 0; h < rows; h++) {
                for (int w = 0; w < cols; w++) {
                    b.put((byte) pixel(i, 0, h, w));
                }
            }
        }
        return b.array();
    }

    /** An IDX labels file (magic 0x00000801), as bytes. */
    public static byte[] idxLabels(int[] labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x00000801).putInt(labels.length);
        for (int label : labels) {
            b.put((byte) label);
        }
        return b.array();
    }

    /** CIFAR-10 binary records: label byte, then R, G, B planes of 32×32, each row-major. */
    public static byte[] cifarRecords(int[] labels, int firstImage) {
        ByteBuffer b = ByteBuffer.allocate(labels.length * 3073);
        for (int r = 0; r < labels.length; r++) {
            b.put((byte) labels[r]);
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 32; h++) {
                    for (int w = 0; w < 32; w++) {
                        b.put((byte) pixel(firstImage + r, c, h, w));
                    }
                }
            }
        }
        return b.array();
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Writes the train and test IDX pairs ({@code train-*}, {@code t10k-*}) of rows × cols images
     * with the given labels into dir, gzipped (names end in .gz) or plain.
     */
    public static void writeIdx(Path dir, int[] trainLabels, int[] testLabels, int rows, int cols, boolean gz) {
        String ext = gz ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + ext), idxImages(trainLabels.length, rows, cols), gz);
        write(dir.resolve("train-labels-idx1-ubyte" + ext), idxLabels(trainLabels), gz);
        write(dir.resolve("t10k-images-idx3-ubyte" + ext), idxImages(testLabels.length, rows, cols), gz);
        write(dir.resolve("t10k-labels-idx1-ubyte" + ext), idxLabels(testLabels), gz);
    }

    /**
     * Writes data_batch_1..5.bin holding the train labels split into 5 consecutive batches (image
     * indices continuing across batches), and test_batch.bin.
     */
    public static void writeCifar(Path dir, int[] trainLabels, int[] testLabels) {
        int per = trainLabels.length / 5;
        for (int b = 0; b < 5; b++) {
            int from = b * per;
            int to = b == 4 ? trainLabels.length : from + per;
            write(dir.resolve("data_batch_" + (b + 1) + ".bin"), cifarRecords(java.util.Arrays.copyOfRange(trainLabels, from, to), from), false);
        }
        write(dir.resolve("test_batch.bin"), cifarRecords(testLabels, 0), false);
    }

    public static void write(Path file, byte[] content, boolean gz) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, gz ? gzip(content) : content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
