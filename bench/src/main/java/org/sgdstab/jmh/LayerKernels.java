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
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Tanh;

/**
 * One 512→512 dense layer (and its tanh) on n = 512 samples: forward, backward with parameter
 * gradient, NTK Gram contribution, and the R-operator passes for a block of {@code m} directions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class LayerKernels {
    static final int N = 512;
    static final int WIDTH = 512;

    /** Directions per R-op block. */
    @Param({"1", "16"})
    int m;

    Dense dense;
    Tanh tanh;
    double[] w;
    Matrix in;
    Matrix out;
    Matrix act;
    Matrix gOut;
    Matrix gIn;
    double[] grad;
    Matrix sens;
    Matrix gram;
    Matrix dirs;
    Matrix dIn;
    Matrix dOut;
    Matrix rgOut;
    Matrix rgIn;
    Matrix hv;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(2);
        dense = new Dense(WIDTH, WIDTH, true, true);
        tanh = new Tanh(WIDTH);
        int p = dense.paramCount();
        w = GemmKernels.random(1, p, rng).data;
        in = GemmKernels.random(N, WIDTH, rng);
        out = new Matrix(N, WIDTH);
        dense.forward(in, w, 0, out);
        act = new Matrix(N, WIDTH);
        tanh.forward(out, null, 0, act);
        gOut = GemmKernels.random(N, WIDTH, rng);
        gIn = new Matrix(N, WIDTH);
        grad = new double[p];
        sens = GemmKernels.random(N, WIDTH, rng);
        gram = new Matrix(N, N);
        dirs = GemmKernels.random(m, p, rng);
        dIn = GemmKernels.random(m * N, WIDTH, rng);
        dOut = new Matrix(m * N, WIDTH);
        rgOut = GemmKernels.random(m * N, WIDTH, rng);
        rgIn = new Matrix(m * N, WIDTH);
        hv = new Matrix(m, p);
    }

    @Benchmark
    public Matrix denseForward() {
        dense.forward(in, w, 0, out);
        return out;
    }

    @Benchmark
    public double[] denseBackward() {
        dense.backward(in, out, w, 0, gOut, gIn, grad, 0);
        return grad;
    }

    @Benchmark
    public Matrix tanhForward() {
        tanh.forward(out, null, 0, act);
        return act;
    }

    @Benchmark
    public Matrix denseGram() {
        dense.addGram(in, out, w, 0, sens, gram);
        return gram;
    }

    @Benchmark
    public Matrix denseRForward() {
        dense.rForward(in, out, w, 0, dirs, 0, dIn, dOut);
        return dOut;
    }

    @Benchmark
    public Matrix denseRBackward() {
        dense.rBackward(in, out, w, 0, dirs, 0, dIn, gOut, rgOut, rgIn, hv);
        return hv;
    }
}
