package org.sgdstab.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes files atomically: readers see either the old file or the complete new one, never a
 * partial write, and a failed write leaves nothing behind.
 *
 * <p>The content goes to a hidden temporary file in the target's directory (same file system, so
 * the final rename is atomic), which is forced to disk and then moved over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}. On any failure the temporary file is deleted and the
 * target is left as it was.
 */
public final class AtomicFiles {
    private static final int BUFFER_BYTES = 1 << 16;
    /** Distinguishes concurrent writes from this process; the pid distinguishes processes. */
    private static final AtomicLong COUNTER = new AtomicLong();

    private AtomicFiles() {}

    /**
     * Writes {@code target} atomically with whatever {@code body} writes to the stream it is given.
     * The body need not close the stream (closing it is harmless). Parent directories are not
     * created.
     *
     * @param target the file to create or replace. Modified.
     * @param body   writes the content
     * @throws IOException if the body or the file system fails; the target is then unchanged
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = createTemp(dir, abs.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream raw = Channels.newOutputStream(ch);
                BufferedOutputStream buffered = new BufferedOutputStream(raw, BUFFER_BYTES);
                body.accept(new NonClosing(buffered));
                buffered.flush();
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        syncDirectory(dir);
    }

    /**
     * Writes {@code text} as UTF-8 to {@code target}, atomically.
     *
     * @param target the file to create or replace. Modified.
     * @param text   the content. Not modified.
     */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes {@code bytes} to {@code target}, atomically.
     *
     * @param target the file to create or replace. Modified.
     * @param bytes  the content. Not modified.
     */
    public static void writeBytes(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Creates a fresh hidden file next to the target with the default permissions. */
    private static Path createTemp(Path dir, String name) throws IOException {
        long pid = ProcessHandle.current().pid();
        while (true) {
            Path tmp = dir.resolve("." + name + "." + pid + "." + COUNTER.incrementAndGet() + ".tmp");
            try {
                // CREATE_NEW (not Files.createTempFile) so the final file gets the usual umask
                // permissions rather than owner-only ones.
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // left over from an earlier process with the same pid: try the next name
            }
        }
    }

    /** Makes the rename itself durable; not possible on every platform, hence best effort. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // directories cannot be opened for sync on some platforms (Windows): the file is
            // already complete and renamed, only its durability across a power loss is weaker
        }
    }

    /** Lets the body close "its" stream without closing the channel before it is forced. */
    private static final class NonClosing extends FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
