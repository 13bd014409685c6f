package org.sgdstab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.sgdstab.io.InputException;

/**
 * Reads image/label pairs in the IDX format of MNIST and Fashion-MNIST, plain or gzipped (detected
 * by the magic bytes 1f 8b, not by the name).
 *
 * <p>An IDX file is a big-endian int32 magic number {@code 0x0000TTDD} (TT the element type,
 * 0x08 = unsigned byte; DD the number of dimensions), DD big-endian int32 dimensions, then the
 * elements in C order. Images are {@code 0x00000803} (n, rows, cols); labels are
 * {@code 0x00000801} (n). Both files are checked completely: magic, dimensions, exact length
 * (truncation and trailing bytes), the label range, and that they hold the same number of items.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /**
     * Reads an images file and its labels file.
     *
     * @param images     IDX images file (n, rows, cols). Not modified.
     * @param labels     IDX labels file (n). Not modified.
     * @param numClasses labels must lie in 0..numClasses−1 (10 for MNIST and Fashion-MNIST)
     * @return the images as (n, 1, rows, cols) with their labels
     * @throws InputException naming the file and the problem if either file is missing or malformed,
     *     a label is out of range, or the two files disagree on n
     */
    public static LabeledImages read(Path images, Path labels, int numClasses) {
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("numClasses must be in 1..256, got " + numClasses);
        }
        Images im = readImages(images);
        int[] lab = readLabels(labels, numClasses);
        if (lab.length != im.n) {
            throw new InputException(labels + ": holds " + lab.length + " labels but " + images.getFileName()
                    + " holds " + im.n + " images");
        }
        return new LabeledImages(im.pixels, lab, 1, im.rows, im.cols, List.of(images, labels));
    }

    private record Images(int n, int rows, int cols, byte[] pixels) {
    }

    private static Images readImages(Path file) {
        return read(file, in -> images(in, file));
    }

    private static Images images(InputStream in, Path file) throws IOException {
        int[] dims = header(in, file, IMAGES_MAGIC, "images (unsigned bytes, 3 dimensions)");
        int n = dims[0];
        int rows = dims[1];
        int cols = dims[2];
        if (rows < 1 || cols < 1) {
            throw ImageFiles.fail(file, "invalid image size " + rows + "×" + cols + " in the IDX header");
        }
        long bytes = (long) n * rows * cols;
        if (bytes > Integer.MAX_VALUE - 16) {
            throw ImageFiles.fail(file, "too large: " + n + " images of " + rows + "×" + cols + " exceed 2 GiB");
        }
        byte[] pixels = ImageFiles.readExactly(in, (int) bytes, file,
                n + " images of " + rows + "×" + cols + " pixels as the header says");
        ImageFiles.requireEnd(in, file, 16 + bytes);
        return new Images(n, rows, cols, pixels);
    }

    private static int[] readLabels(Path file, int numClasses) {
        return read(file, in -> labels(in, file, numClasses));
    }

    /** What reads one IDX file from its (decompressed) stream. */
    private interface Body<T> {
        T read(InputStream in) throws IOException;
    }

    /**
     * Opens file and reads it with body; a format error is replaced by the stream's own error when
     * that is its root cause, and an I/O error becomes an {@link InputException} naming the file.
     */
    private static <T> T read(Path file, Body<T> body) {
        try (InputStream in = ImageFiles.open(file)) {
            try {
                return body.read(in);
            } catch (InputException e) {
                throw ImageFiles.rootCause(in, file, e);
            }
        } catch (IOException e) {
            throw ImageFiles.fail(file, e);
        }
    }

    private static int[] labels(InputStream in, Path file, int numClasses) throws IOException {
        int n = header(in, file, LABELS_MAGIC, "labels (unsigned bytes, 1 dimension)")[0];
        byte[] raw = ImageFiles.readExactly(in, n, file, n + " labels as the header says");
        ImageFiles.requireEnd(in, file, 8L + n);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = raw[i] & 0xff;
            if (labels[i] >= numClasses) {
                throw ImageFiles.fail(file, "label " + labels[i] + " of item " + i + " is out of range 0.." + (numClasses - 1));
            }
        }
        return labels;
    }

    /** Checks the magic number and returns the dimensions it announces. */
    private static int[] header(InputStream in, Path file, int magic, String what) throws IOException {
        byte[] m = in.readNBytes(4);
        if (m.length < 4) {
            throw ImageFiles.fail(file, m.length == 0 ? "empty file (expected an IDX header)" : "truncated: file ends inside the IDX magic number");
        }
        int got = ImageFiles.bigEndianInt(m, 0);
        if (got != magic) {
            throw ImageFiles.fail(file, String.format("bad magic number 0x%08X (expected 0x%08X: IDX %s)", got, magic, what));
        }
        int ndim = magic & 0xff;
        byte[] d = ImageFiles.readExactly(in, 4 * ndim, file, ndim + " dimensions in the IDX header");
        int[] dims = new int[ndim];
        for (int i = 0; i < ndim; i++) {
            dims[i] = ImageFiles.bigEndianInt(d, 4 * i);
            if (dims[i] < 0) {
                throw ImageFiles.fail(file, "invalid dimension " + dims[i] + " in the IDX header (read as signed int32)");
            }
        }
        return dims;
    }
}
