package org.sgdstab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void writesNewFileAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("out.txt");
        AtomicFiles.writeString(target, "héllo\n");
        assertEquals("héllo\n", Files.readString(target, StandardCharsets.UTF_8));
        assertEquals(List.of(target), listing());
    }

    @Test
    void replacesExistingFile() throws IOException {
        Path target = dir.resolve("out.bin");
        Files.write(target, new byte[] {9, 9, 9, 9, 9});
        AtomicFiles.writeBytes(target, new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void bodyMayCloseTheStream() throws IOException {
        Path target = dir.resolve("closed.txt");
        AtomicFiles.write(target, out -> {
            out.write('a');
            out.close();
        });
        assertEquals("a", Files.readString(target));
    }

    @Test
    void failedBodyLeavesNoFileBehind() throws IOException {
        Path target = dir.resolve("never.txt");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write(new byte[100_000]); // enough to be flushed past the buffer to the temp file
            throw new IOException("disk on fire");
        }));
        assertEquals("disk on fire", e.getMessage());
        assertEquals(List.of(), listing());
    }

    @Test
    void failedBodyKeepsTheOldContent() throws IOException {
        Path target = dir.resolve("keep.txt");
        Files.writeString(target, "old");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("new and partial".getBytes(StandardCharsets.UTF_8));
            throw new UncheckedIOException(new IOException("unchecked failure"));
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), listing());
    }

    @Test
    void failedMoveLeavesNoTemporary() throws IOException {
        // A non-empty directory cannot be replaced by a file: the move fails after the write.
        Path target = dir.resolve("occupied");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "x");
        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "content"));
        assertEquals(List.of(target), listing());
        assertFalse(Files.isRegularFile(target));
    }

    @Test
    void missingDirectoryFailsCleanly() {
        Path target = dir.resolve("no/such/dir/out.txt");
        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
        assertFalse(Files.exists(target));
    }
}
