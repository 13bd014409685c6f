package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.report.Json;

/**
 * The machine's fp64 GEMM peak: C = A·B on large square matrices through {@link Blas} (the system
 * OpenBLAS), one variant per size. The best GFLOP/s over sizes is the peak that the GEMM-bound
 * workloads are measured against; the peer runs {@code torch.mm} on the same matrices.
 */
public record GemmPeak(Scale scale, long seed) implements Workload {

    /** Square sizes per scale: large enough that packing and threading overheads are amortised. */
    int[] sizes() {
        return scale == Scale.FULL ? new int[] {1024, 2048, 3072} : new int[] {32, 64};
    }

    @Override
    public String id() {
        return "PEAK";
    }

    @Override
    public String description() {
        StringBuilder sb = new StringBuilder("fp64 GEMM peak: C = A·B, square N =");
        for (int s : sizes()) {
            sb.append(' ').append(s);
        }
        return sb.toString();
    }

    @Override
    public List<String> variants() {
        List<String> v = new ArrayList<>();
        for (int s : sizes()) {
            v.add(variant(s));
        }
        return v;
    }

    private static String variant(int size) {
        return "dgemm-" + size;
    }

    @Override
    public double gemmFlops(String variant) {
        double s = size(variant);
        return 2 * s * s * s;
    }

    private int size(String variant) {
        for (int s : sizes()) {
            if (variant(s).equals(variant)) {
                return s;
            }
        }
        throw new IllegalArgumentException("PEAK has no variant " + variant);
    }

    @Override
    public List<Comparison> comparisons() {
        List<Comparison> c = new ArrayList<>();
        for (int s : sizes()) {
            c.add(Comparison.peer("dgemm N=" + s + " vs torch.mm", variant(s), List.of(variant(s)), Double.NaN));
        }
        return c;
    }

    @Override
    public Prepared prepare(Path dir) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Matrix[]> operands = new HashMap<>();
        for (int s : sizes()) {
            Matrix a = uniform(s, rng);
            Matrix b = uniform(s, rng);
            Npy.write(dir.resolve("a" + s + ".npy"), NdArray.of(a));
            Npy.write(dir.resolve("b" + s + ".npy"), NdArray.of(b));
            operands.put(variant(s), new Matrix[] {a, b, new Matrix(s, s)});
        }
        var spec = Json.object();
        spec.put("kind", "gemm");
        spec.putPOJO("sizes", sizes());
        spec.put("seed", seed);
        AtomicFiles.writeString(dir.resolve("inputs.json"), Json.write(spec));
        return variant -> {
            Matrix[] abc = operands.get(variant);
            if (abc == null) {
                throw new IllegalArgumentException("PEAK has no variant " + variant);
            }
            Blas.get().gemm(false, false, 1.0, abc[0], abc[1], 0.0, abc[2]);
            return Map.of("c", NdArray.of(abc[2]));
        };
    }

    private static Matrix uniform(int s, SplittableRandom rng) {
        Matrix m = new Matrix(s, s);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextDouble(-1, 1);
        }
        return m;
    }
}
