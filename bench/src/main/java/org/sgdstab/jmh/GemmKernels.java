package org.sgdstab.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sgdstab.linalg.Blas;
import org.sgdstab.linalg.Matrix;

/**
 * GEMM and SYRK through the project's {@link Blas} interface (row-major mapping onto the system
 * OpenBLAS). GFLOP/s = 2N³ (GEMM) or N³ (SYRK, n = k = N) divided by the reported time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmKernels {
    @Param({"256", "512", "1024", "2048"})
    int size;

    Matrix a;
    Matrix b;
    Matrix c;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(1);
        a = random(size, size, rng);
        b = random(size, size, rng);
        c = new Matrix(size, size);
    }

    static Matrix random(int rows, int cols, SplittableRandom rng) {
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextDouble(-1, 1);
        }
        return m;
    }

    @Benchmark
    public Matrix gemm() {
        Blas.get().gemm(false, false, 1.0, a, b, 0.0, c);
        return c;
    }

    @Benchmark
    public Matrix gemmTransposedB() {
        Blas.get().gemm(false, true, 1.0, a, b, 0.0, c);
        return c;
    }

    /** A·Aᵀ with both triangles written (the Gram products of Θ). */
    @Benchmark
    public Matrix syrk() {
        Blas.get().syrk(false, size, size, 1.0, a.data, 0, size, 0.0, c.data, 0, size);
        return c;
    }
}
