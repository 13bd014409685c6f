package org.sgdstab.reproduce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.CsvWriter;

/**
 * A small CSV table built in memory and written atomically. Cells hold no times or paths, so the same
 * runs give the same bytes.
 */
final class Table {
    private final List<String> header;
    private final StringBuilder body = new StringBuilder();

    Table(String... header) {
        this.header = List.of(header);
    }

    /** Appends a row: strings as they are (quoted if needed), numbers in {@link CsvWriter#format}. */
    Table row(Object... cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, header " + header.size());
        }
        List<String> out = new ArrayList<>();
        for (Object c : cells) {
            String s = c instanceof Number num ? CsvWriter.format(num.doubleValue()) : String.valueOf(c);
            if (s.contains(",") || s.contains("\"")) {
                s = "\"" + s.replace("\"", "\"\"") + "\"";
            }
            out.add(s);
        }
        body.append(String.join(",", out)).append('\n');
        return this;
    }

    /** Writes the table to {@code file}. */
    void write(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.writeString(file, String.join(",", header) + "\n" + body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads a CSV written by {@link #write} or by the training runs: rows of cells, header first. */
    static List<String[]> read(Path file) {
        try {
            List<String[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                rows.add(line.split(",", -1));
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** A numeric cell (empty → NaN). */
    static double num(String cell) {
        return cell.isEmpty() ? Double.NaN : cell.equals("inf") ? Double.POSITIVE_INFINITY
                : cell.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(cell);
    }
}
