package org.sgdstab.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opening a binary input file so that every failure becomes one {@link InputException} line naming the file. */
final class InputFiles {
    private InputFiles() {
    }

    /** Reads the open file's contents; parse errors are thrown as {@link InputException} by the body. */
    interface ChannelReader<T> {
        T read(Path file, FileChannel channel) throws IOException;
    }

    /**
     * Opens {@code file} for reading and hands it to {@code body}.
     *
     * @param kind what the file should be, for the directory message (".npy file", "safetensors file")
     */
    static <T> T read(Path file, String kind, ChannelReader<T> body) {
        if (Files.isDirectory(file)) {
            throw fail(file, "is a directory, not a " + kind);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return body.read(file, ch);
        } catch (NoSuchFileException e) {
            throw fail(file, "no such file");
        } catch (AccessDeniedException e) {
            throw fail(file, "permission denied");
        } catch (IOException e) {
            throw fail(file, "cannot read: " + oneLine(e.getMessage()));
        }
    }

    /** An exception message folded onto one line. */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }

    static InputException fail(Path file, String problem) {
        return new InputException(file + ": " + problem);
    }
}
