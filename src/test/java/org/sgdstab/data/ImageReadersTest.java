package org.sgdstab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sgdstab.io.InputException;

/** IDX and CIFAR-10 readers: exact layout on generated files, and one-line errors on broken ones. */
class ImageReadersTest {
    @TempDir
    Path dir;

    private static final int N = 12;
    private static final int ROWS = 5;
    private static final int COLS = 4;

    // ---------------------------------------------------------------- round trips

    /** How to write a small source into a directory and read it back. */
    record Source(String name, int channels, int side1, int side2, int[] labels, Function<Path, LabeledImages> writeAndRead) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> sources() {
        int[] labels = ImageFixtures.labels(N, 3);
        return Stream.of(
                new Source("idx plain", 1, ROWS, COLS, labels, d -> {
                    ImageFixtures.write(d.resolve("i"), ImageFixtures.idxImages(N, ROWS, COLS), false);
                    ImageFixtures.write(d.resolve("l"), ImageFixtures.idxLabels(labels), false);
                    return IdxReader.read(d.resolve("i"), d.resolve("l"), 10);
                }),
                new Source("idx gzipped", 1, ROWS, COLS, labels, d -> {
                    ImageFixtures.write(d.resolve("i.gz"), ImageFixtures.idxImages(N, ROWS, COLS), true);
                    ImageFixtures.write(d.resolve("l.gz"), ImageFixtures.idxLabels(labels), true);
                    return IdxReader.read(d.resolve("i.gz"), d.resolve("l.gz"), 10);
                }),
                new Source("idx gzipped without .gz name", 1, ROWS, COLS, labels, d -> {
                    ImageFixtures.write(d.resolve("i"), ImageFixtures.idxImages(N, ROWS, COLS), true);
                    ImageFixtures.write(d.resolve("l"), ImageFixtures.idxLabels(labels), false);
                    return IdxReader.read(d.resolve("i"), d.resolve("l"), 10);
                }),
                new Source("cifar one file", 3, 32, 32, labels, d -> {
                    ImageFixtures.write(d.resolve("b.bin"), ImageFixtures.cifarRecords(labels, 0), false);
                    return Cifar10Reader.read(List.of(d.resolve("b.bin")));
                }),
                new Source("cifar two files, second gzipped", 3, 32, 32, labels, d -> {
                    ImageFixtures.write(d.resolve("a.bin"), ImageFixtures.cifarRecords(Arrays.copyOf(labels, 5), 0), false);
                    ImageFixtures.write(d.resolve("b.bin"), ImageFixtures.cifarRecords(Arrays.copyOfRange(labels, 5, N), 5), true);
                    return Cifar10Reader.read(List.of(d.resolve("a.bin"), d.resolve("b.bin")));
                })
        ).map(s -> Arguments.of(s.name(), s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sources")
    void readsEveryPixelAndLabelInPlace(String name, Source s) {
        LabeledImages im = s.writeAndRead().apply(dir);
        assertEquals(N, im.size(), name);
        assertEquals(s.channels(), im.channels(), name);
        assertEquals(s.side1(), im.height(), name);
        assertEquals(s.side2(), im.width(), name);
        assertArrayEquals(s.labels(), im.labels(), name);
        byte[] p = im.pixels();
        for (int i = 0; i < N; i++) {
            for (int c = 0; c < im.channels(); c++) {
                for (int h = 0; h < im.height(); h++) {
                    for (int w = 0; w < im.width(); w++) {
                        int at = ((i * im.channels() + c) * im.height() + h) * im.width() + w;
                        assertEquals(ImageFixtures.pixel(i, c, h, w), p[at] & 0xff, name + " pixel " + i + "," + c + "," + h + "," + w);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- bad files

    /** Writes the files of a case into dir and reads them. */
    @FunctionalInterface
    interface Attempt {
        void run(Path dir) throws Exception;
    }

    static byte[] images() {
        return ImageFixtures.idxImages(4, ROWS, COLS);
    }

    static byte[] labels() {
        return ImageFixtures.idxLabels(new int[] {0, 9, 3, 1});
    }

    /** Reads images file "img" (optionally gzipped) and labels file "lab". */
    static Attempt idx(byte[] img, boolean imgGz, byte[] lab) {
        return d -> {
            ImageFixtures.write(d.resolve("img"), img, imgGz);
            ImageFixtures.write(d.resolve("lab"), lab, false);
            IdxReader.read(d.resolve("img"), d.resolve("lab"), 10);
        };
    }

    /** Reads "img" holding the given (already gzipped, possibly broken) bytes. */
    static Attempt idxGzBytes(byte[] gzippedImages) {
        return idx(gzippedImages, false, labels());
    }

    static Attempt cifar(byte[] content) {
        return d -> {
            ImageFixtures.write(d.resolve("data_batch_1.bin"), content, false);
            Cifar10Reader.read(List.of(d.resolve("data_batch_1.bin")));
        };
    }

    static byte[] withInt(byte[] b, int at, int value) {
        byte[] c = b.clone();
        ByteBuffer.wrap(c).putInt(at, value);
        return c;
    }

    static byte[] cut(byte[] b, int delta) {
        return Arrays.copyOf(b, b.length + delta);
    }

    static Stream<Arguments> badFiles() {
        byte[] gz = ImageFixtures.gzip(images());
        byte[] gzCorrupt = gz.clone();
        // Overwrite the middle of the deflate data (gzip header, first bytes and trailer intact): it
        // inflates to garbage with a bad magic number, but the gzip error is the cause to report.
        for (int i = 12; i < gz.length - 10; i++) {
            gzCorrupt[i] = (byte) 0xff;
        }
        byte[] gzBadBlock = gz.clone();
        gzBadBlock[10] = (byte) 0xff; // first deflate block header: BTYPE 11 is reserved
        byte[] gzBadCrc = gz.clone();
        gzBadCrc[gz.length - 8] ^= 0x01;
        byte[] badLabel = labels();
        badLabel[8 + 2] = 10;
        byte[] cifarBadLabel = ImageFixtures.cifarRecords(new int[] {1, 4, 0}, 0);
        cifarBadLabel[3073] = (byte) 200;
        return Stream.of(
                Arguments.of("idx: images bad magic (a labels file)", idx(labels(), false, labels()), "img", "bad magic number 0x00000801 (expected 0x00000803"),
                Arguments.of("idx: labels bad magic (an images file)", idx(images(), false, images()), "lab", "bad magic number 0x00000803 (expected 0x00000801"),
                Arguments.of("idx: images bad magic (float type)", idx(withInt(images(), 0, 0x00000D03), false, labels()), "img", "bad magic number 0x00000D03"),
                Arguments.of("idx: empty images file", idx(new byte[0], false, labels()), "img", "empty file"),
                Arguments.of("idx: file ends in magic", idx(new byte[] {0, 0, 8}, false, labels()), "img", "truncated: file ends inside the IDX magic number"),
                Arguments.of("idx: file ends in dimensions", idx(cut(images(), -(images().length - 10)), false, labels()), "img",
                        "truncated: expected 3 dimensions in the IDX header, found only 6 of 12 bytes"),
                Arguments.of("idx: images truncated", idx(cut(images(), -7), false, labels()), "img",
                        "truncated: expected 4 images of 5×4 pixels as the header says, found only 73 of 80 bytes"),
                Arguments.of("idx: images truncated (gzipped)", idx(cut(images(), -7), true, labels()), "img", "found only 73 of 80 bytes"),
                Arguments.of("idx: labels truncated", idx(images(), false, cut(labels(), -1)), "lab", "truncated: expected 4 labels"),
                Arguments.of("idx: images trailing bytes", idx(cut(images(), 3), false, labels()), "img", "trailing garbage"),
                Arguments.of("idx: negative dimension", idx(withInt(images(), 4, -4), false, labels()), "img", "invalid dimension -4"),
                Arguments.of("idx: zero-width images", idx(withInt(cut(images(), -80), 12, 0), false, labels()), "img", "invalid image size 5×0"),
                Arguments.of("idx: label out of range", idx(images(), false, badLabel), "lab", "label 10 of item 2 is out of range 0..9"),
                Arguments.of("idx: count mismatch", idx(images(), false, ImageFixtures.idxLabels(new int[] {1, 2, 3})), "lab",
                        "holds 3 labels but img holds 4 images"),
                Arguments.of("idx: missing images file", (Attempt) d -> {
                    ImageFixtures.write(d.resolve("lab"), labels(), false);
                    IdxReader.read(d.resolve("img"), d.resolve("lab"), 10);
                }, "img", "no such file"),
                Arguments.of("idx: directory instead of file", (Attempt) d -> {
                    ImageFixtures.write(d.resolve("img").resolve("x"), new byte[1], false);
                    IdxReader.read(d.resolve("img"), d.resolve("lab"), 10);
                }, "img", "is a directory"),
                Arguments.of("gz: invalid deflate block", idxGzBytes(gzBadBlock), "img", "corrupt gzip data (invalid block type)"),
                Arguments.of("gz: corrupt data inflating to garbage", idxGzBytes(gzCorrupt), "img", "corrupt gzip data"),
                Arguments.of("gz: truncated stream", idxGzBytes(cut(gz, -20)), "img", "truncated gzip stream"),
                Arguments.of("gz: bad CRC", idxGzBytes(gzBadCrc), "img", "corrupt gzip data (Corrupt GZIP trailer)"),
                Arguments.of("gz: only the magic bytes", idxGzBytes(new byte[] {0x1f, (byte) 0x8b}), "img", "truncated gzip stream"),
                Arguments.of("cifar: not a multiple of 3073", cifar(cut(ImageFixtures.cifarRecords(new int[] {1, 2}, 0), -1)), "data_batch_1.bin",
                        "length 6145 bytes is not a multiple of 3073"),
                Arguments.of("cifar: CIFAR-100 style 3074-byte record", cifar(new byte[3074]), "data_batch_1.bin", "is not a multiple of 3073"),
                Arguments.of("cifar: empty file", cifar(new byte[0]), "data_batch_1.bin", "empty file"),
                Arguments.of("cifar: label out of range", cifar(cifarBadLabel), "data_batch_1.bin", "label 200 of record 1 is out of range 0..9"),
                Arguments.of("cifar: missing file", (Attempt) d -> Cifar10Reader.read(List.of(d.resolve("data_batch_1.bin"))),
                        "data_batch_1.bin", "no such file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFileIsOneLineNamingFileAndProblem(String name, Attempt attempt, String blamed, String expected) {
        InputException e = assertThrows(InputException.class, () -> attempt.run(dir), name);
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), name + ": one line: " + msg);
        assertTrue(msg.startsWith(dir.resolve(blamed) + ": "), name + ": should start with the broken file " + blamed + ": " + msg);
        assertTrue(msg.contains(expected), name + ": '" + msg + "' should contain '" + expected + "'");
    }
}
