package org.sgdstab.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.sgdstab.io.InputException;

/** Opening raw image files, gzipped or not, and turning I/O failures into one-line input errors. */
final class ImageFiles {
    private static final int BUFFER = 1 << 16;
    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;

    private ImageFiles() {
    }

    /**
     * Opens {@code file} for reading, decompressing it when it starts with the gzip magic bytes
     * 1f 8b (whatever its name), so {@code x.gz} and its unpacked form read alike.
     */
    static InputStream open(Path file) {
        if (Files.isDirectory(file)) {
            throw fail(file, "is a directory, not a data file");
        }
        InputStream raw = null;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
                return new Gunzipped(new GZIPInputStream(raw, BUFFER));
            }
            return raw;
        } catch (IOException e) {
            closeQuietly(raw);
            throw fail(file, e);
        }
    }

    /** A decompressing stream, told apart so format errors can be traced back to corrupt gzip data. */
    private static final class Gunzipped extends BufferedInputStream {
        Gunzipped(InputStream in) {
            super(in, BUFFER);
        }
    }

    /**
     * The error to report for a format problem found in {@code in}: corrupt gzip data often
     * inflates to garbage that fails a format check first, so for a gzipped file the rest of the
     * stream is inflated, and a gzip error found there (the root cause) is reported instead.
     */
    static InputException rootCause(InputStream in, Path file, InputException formatError) {
        if (in instanceof Gunzipped) {
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                return fail(file, e);
            }
        }
        return formatError;
    }

    /**
     * Reads exactly {@code n} bytes, or throws an {@link InputException} saying the file is
     * truncated, with {@code what} describing what the missing bytes should have held.
     */
    static byte[] readExactly(InputStream in, int n, Path file, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw fail(file, "truncated: expected " + what + ", found only " + b.length + " of " + n + " bytes");
        }
        return b;
    }

    /** Throws unless the stream is at its end (which also makes gzip verify its CRC trailer). */
    static void requireEnd(InputStream in, Path file, long consumed) throws IOException {
        if (in.read() != -1) {
            throw fail(file, "trailing garbage: more than the " + consumed + " bytes its header describes");
        }
    }

    static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static InputException fail(Path file, String problem) {
        return new InputException(file + ": " + problem);
    }

    /** An I/O failure while reading {@code file}, as one line. */
    static InputException fail(Path file, IOException e) {
        String problem;
        if (e instanceof NoSuchFileException) {
            problem = "no such file";
        } else if (e instanceof AccessDeniedException) {
            problem = "permission denied";
        } else if (e instanceof EOFException) {
            // Only the gzip layer throws EOF: our own reads check their lengths.
            problem = "truncated gzip stream (" + oneLine(e.getMessage()) + ")";
        } else if (e instanceof ZipException) {
            problem = "corrupt gzip data (" + oneLine(e.getMessage()) + ")";
        } else {
            problem = "cannot read: " + oneLine(e.getMessage());
        }
        return new InputException(file + ": " + problem, e);
    }

    private static String oneLine(String s) {
        return s == null ? "no detail" : s.replaceAll("\\s+", " ").trim();
    }

    private static void closeQuietly(InputStream in) {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // Already failing; the first error is the one worth reporting.
            }
        }
    }
}
