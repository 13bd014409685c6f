package org.sgdstab.io;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A CSV file written row by row and flushed after each row, so a run that is stopped keeps every
 * finished row. Numbers are written in Java's shortest round-trip form; NaN as an empty cell.
 */
public final class CsvWriter implements Closeable {
    private final BufferedWriter out;
    private final int columns;

    /** Creates (or truncates) the file and writes the header. */
    public CsvWriter(Path file, List<String> header) {
        try {
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            this.columns = header.size();
            out.write(String.join(",", header));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes one row of numbers; its length must match the header. */
    public void row(double... values) {
        if (values.length != columns) {
            throw new IllegalArgumentException("row has " + values.length + " values, header has " + columns);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(format(values[i]));
        }
        line(sb.toString());
    }

    /** Writes one row of already formatted cells. */
    public void rowCells(List<String> cells) {
        if (cells.size() != columns) {
            throw new IllegalArgumentException("row has " + cells.size() + " cells, header has " + columns);
        }
        line(String.join(",", cells));
    }

    private void line(String s) {
        try {
            out.write(s);
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A number as a CSV cell: integers without a decimal point, NaN as empty, infinities as inf/-inf. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
