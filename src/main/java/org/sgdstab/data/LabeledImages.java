package org.sgdstab.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Images as stored on disk: unsigned 8-bit pixels in (n, C, H, W) C order, one class label per
 * image, and the files they came from.
 *
 * @param pixels   n·C·H·W pixel values 0..255, held in Java bytes (read them as {@code b & 0xff})
 * @param labels   n class labels, each in 0..numClasses−1 as checked by the reader
 * @param channels C
 * @param height   H
 * @param width    W
 * @param files    the files read, in order
 */
public record LabeledImages(byte[] pixels, int[] labels, int channels, int height, int width, List<Path> files) {
    public LabeledImages {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("image shape must be positive, got " + channels + "×" + height + "×" + width);
        }
        if ((long) labels.length * channels * height * width != pixels.length) {
            throw new IllegalArgumentException(labels.length + " images of " + channels + "×" + height + "×" + width
                    + " need " + (long) labels.length * channels * height * width + " pixels, got " + pixels.length);
        }
        files = List.copyOf(files);
    }

    /** Number of images n. */
    public int size() {
        return labels.length;
    }

    /** Pixels per image, C·H·W. */
    public int imageSize() {
        return channels * height * width;
    }
}
