package org.sgdstab.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;

/**
 * Checks that two sides computed the same numbers: every array {@code name.npy} in our output
 * directory must exist in the reference's with the same shape and agree to a normwise relative
 * error {@code ‖a − b‖₂ / ‖b‖₂ ≤ }{@link #RELATIVE_TOLERANCE} (for a scalar, |a − b| / |b|).
 * Normwise, because elementwise relative errors of entries that cancel to near zero say nothing
 * about either side; every diagnostic is its own scalar, so each is held to the tolerance alone.
 */
public final class CrossCheck {
    /**
     * The agreement level. Both sides compute in fp64 with differently ordered sums, so
     * honest agreement is 1e-13 or better; 1e-8 leaves room for ill-conditioned outputs (eigenvalues,
     * the difference Tr(Σ1G) − Tr(Σ2G)) while any real discrepancy is many orders larger.
     */
    public static final double RELATIVE_TOLERANCE = 1e-8;

    private CrossCheck() {
    }

    /**
     * The agreement of one named array.
     *
     * @param name          the array
     * @param relativeError normwise relative error, +∞ when shapes or non-finite entries differ or it is missing
     * @param problem       null, or why the arrays could not be compared
     */
    public record Entry(String name, double relativeError, String problem) {
        public boolean ok() {
            return problem == null && relativeError <= RELATIVE_TOLERANCE;
        }
    }

    /** Compares every array of {@code ours} with the same-named array in {@code reference}. */
    public static List<Entry> compare(Path ours, Path reference) {
        return compare(ours, reference, 1);
    }

    /**
     * {@link #compare(Path, Path)} for our block of {@code calls} results against a reference that
     * computed one: our arrays' leading dimension is {@code calls} times the reference's, and only
     * their first 1/calls of rows (the same inputs) are compared.
     */
    public static List<Entry> compare(Path ours, Path reference, int calls) {
        List<Entry> entries = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(ours)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + ours, e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no outputs in " + ours);
        }
        for (Path f : files) {
            String file = f.getFileName().toString();
            String name = file.substring(0, file.length() - 4);
            Path other = reference.resolve(file);
            if (!Files.isRegularFile(other)) {
                entries.add(new Entry(name, Double.POSITIVE_INFINITY, "missing in " + reference));
                continue;
            }
            NdArray ref = Npy.read(other);
            entries.add(compare(name, calls == 1 ? Npy.read(f) : leadingRows(Npy.read(f), ref.shape(), calls), ref));
        }
        return entries;
    }

    /**
     * The first 1/calls of a's rows when a's shape is the reference shape with its leading dimension
     * times calls; otherwise a itself (the shape check then reports the mismatch).
     */
    static NdArray leadingRows(NdArray a, int[] referenceShape, int calls) {
        int[] s = a.shape();
        if (s.length == 0 || s.length != referenceShape.length || (long) referenceShape[0] * calls != s[0]
                || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), Arrays.copyOfRange(referenceShape, 1, s.length))) {
            return a;
        }
        int[] shape = referenceShape.clone();
        return new NdArray(shape, Arrays.copyOf(a.data(), a.data().length / calls));
    }

    /** Agreement of a with the reference b. */
    public static Entry compare(String name, NdArray a, NdArray b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            return new Entry(name, Double.POSITIVE_INFINITY, "shape " + a.shapeString() + " vs " + b.shapeString());
        }
        double[] x = a.data();
        double[] y = b.data();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < x.length; i++) {
            boolean fx = Double.isFinite(x[i]);
            boolean fy = Double.isFinite(y[i]);
            if (!fx || !fy) {
                // Undefined diagnostics (NaN) agree only if both sides call them undefined.
                if (Double.compare(x[i], y[i]) != 0) {
                    return new Entry(name, Double.POSITIVE_INFINITY, "non-finite entry " + i + ": " + x[i] + " vs " + y[i]);
                }
                continue;
            }
            double d = x[i] - y[i];
            diff += d * d;
            norm += y[i] * y[i];
        }
        double err = norm > 0 ? Math.sqrt(diff / norm) : Math.sqrt(diff);
        return new Entry(name, err, null);
    }
}
