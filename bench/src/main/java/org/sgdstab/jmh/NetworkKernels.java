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
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelPresets;
import org.sgdstab.nn.Network;
import org.sgdstab.noise.NoiseAlignment;

/** The W1–W3 network kernels on the MLP 784→512→512→K tanh, n = 512. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class NetworkKernels {
    static final int N = 512;

    /** Outputs K: 1 for the NTK workloads, 10 for the HVP and gradient ones. */
    @Param({"1", "10"})
    int outputs;

    Network net;
    double[] theta;
    Matrix x;
    Matrix y;
    Matrix gram;
    Matrix residuals;
    Matrix dirs1;
    Matrix dirs16;
    Matrix hv1;
    Matrix hv16;
    double[] grad;

    @Setup
    public void setup() {
        SplittableRandom rng = new SplittableRandom(3);
        Model model = new Initializer.TorchDefault().initialize(ModelPresets.mlp(784, new int[] {512, 512}, "tanh", outputs), rng);
        net = model.network();
        theta = model.theta();
        int p = net.parameterCount();
        x = GemmKernels.random(N, 784, rng);
        y = GemmKernels.random(N, outputs, rng);
        gram = net.ntkGram(theta, x);
        residuals = net.residuals(theta, x, y);
        dirs1 = GemmKernels.random(1, p, rng);
        dirs16 = GemmKernels.random(16, p, rng);
        hv1 = new Matrix(1, p);
        hv16 = new Matrix(16, p);
        grad = new double[p];
    }

    @Benchmark
    public Matrix ntkGram() {
        return net.ntkGram(theta, x);
    }

    /** The diagnostics from Θ and e alone (O(n²K²) plus one eigen-solve of Θ). */
    @Benchmark
    public NoiseAlignment alignmentFromGram() {
        return NoiseAlignment.of(gram, residuals);
    }

    @Benchmark
    public double lossAndGradient() {
        return net.lossAndGradient(theta, x, y, grad);
    }

    @Benchmark
    public Matrix hvp1() {
        net.hessianVectorProduct(theta, x, y, dirs1, hv1);
        return hv1;
    }

    @Benchmark
    public Matrix hvp16() {
        net.hessianVectorProduct(theta, x, y, dirs16, hv16);
        return hv16;
    }
}
