package org.sgdstab.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.sgdstab.io.AtomicFiles;
import org.sgdstab.io.NdArray;
import org.sgdstab.io.Npy;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.nn.Dense;
import org.sgdstab.nn.Initializer;
import org.sgdstab.nn.Layer;
import org.sgdstab.nn.Model;
import org.sgdstab.nn.ModelPresets;
import org.sgdstab.report.Json;

/**
 * The MLP problem shared by the MLP workloads: inputs x ~ N(0, 1), targets y ~ N(0, 1) and
 * PyTorch-default weights, all drawn from one seed (data, then weights, then directions, each from
 * its own split), so the Java side and the peer see the same numbers through the written files.
 *
 * @param n          samples
 * @param d          input features
 * @param widths     hidden widths
 * @param outputs    K
 * @param activation activation between linear layers ("tanh")
 * @param directions HVP directions drawn (0: none)
 * @param seed       root seed
 */
record MlpProblem(int n, int d, int[] widths, int outputs, String activation, int directions, long seed) {

    MlpProblem {
        widths = widths.clone();
    }

    /** The built inputs. */
    record Built(Model model, Matrix x, Matrix y, Matrix dirs) {
    }

    List<Layer> layers() {
        return ModelPresets.mlp(d, widths, activation, outputs);
    }

    /** "MLP 784→512→512→1 tanh, n = 512". */
    String shape() {
        StringBuilder sb = new StringBuilder("MLP ").append(d);
        for (int w : widths) {
            sb.append('→').append(w);
        }
        return sb.append('→').append(outputs).append(' ').append(activation).append(", n = ").append(n).toString();
    }

    /** Draws the inputs and writes inputs.json, x.npy, y.npy, theta.npy (and dirs.npy) into dir. Modifies dir. */
    Built build(Path dir) throws IOException {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom dataRng = root.split();
        SplittableRandom weightRng = root.split();
        SplittableRandom dirRng = root.split();
        Matrix x = gaussian(n, d, dataRng);
        Matrix y = gaussian(n, outputs, dataRng);
        Model model = new Initializer.TorchDefault().initialize(layers(), weightRng);
        Matrix dirs = directions > 0 ? gaussian(directions, model.parameterCount(), dirRng) : null;
        var spec = Json.object();
        spec.put("kind", "mlp");
        spec.put("n", n);
        spec.put("d", d);
        spec.putPOJO("widths", widths);
        spec.put("outputs", outputs);
        spec.put("activation", activation);
        spec.put("directions", directions);
        spec.put("parameters", model.parameterCount());
        spec.put("seed", seed);
        AtomicFiles.writeString(dir.resolve("inputs.json"), Json.write(spec));
        Npy.write(dir.resolve("x.npy"), NdArray.of(x));
        Npy.write(dir.resolve("y.npy"), NdArray.of(y));
        Npy.write(dir.resolve("theta.npy"), new NdArray(new int[] {model.parameterCount()}, model.theta()));
        if (dirs != null) {
            Npy.write(dir.resolve("dirs.npy"), NdArray.of(dirs));
        }
        return new Built(model, x, y, dirs);
    }

    static Matrix gaussian(int rows, int cols, SplittableRandom rng) {
        Matrix m = new Matrix(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = rng.nextGaussian();
        }
        return m;
    }

    // ------------------------------------------------------------------ flop model of the GEMMs

    /** The (in, out) shapes of the dense layers, in order. */
    private int[][] dense() {
        List<Layer> layers = layers();
        return layers.stream().filter(l -> l instanceof Dense).map(l -> new int[] {l.inputSize(), l.outputSize()})
                .toArray(int[][]::new);
    }

    /** GEMM flops of one forward pass on n samples. */
    double forwardFlops() {
        double f = 0;
        for (int[] io : dense()) {
            f += 2.0 * n * io[0] * io[1];
        }
        return f;
    }

    /** Forward, then the backward pass with parameter gradients (no input gradient below the first layer). */
    double gradientFlops() {
        double f = forwardFlops();
        int[][] dense = dense();
        for (int l = 0; l < dense.length; l++) {
            double layer = 2.0 * n * dense[l][0] * dense[l][1];
            f += layer + (l > 0 ? layer : 0);
        }
        return f;
    }

    /**
     * {@code Network.ntkGram}: the forward pass, K·n sensitivities backpropagated through every
     * dense layer but the first, and per layer two SYRKs (n²·in for the inputs, (Kn)²·out for the
     * sensitivities).
     */
    double gramFlops() {
        double f = forwardFlops();
        int[][] dense = dense();
        double rows = (double) n * outputs;
        for (int l = 0; l < dense.length; l++) {
            int in = dense[l][0];
            int out = dense[l][1];
            f += (double) n * n * in + rows * rows * out;
            if (l > 0) {
                f += 2.0 * rows * in * out;
            }
        }
        return f;
    }

    /**
     * {@code Network.hessianVectorProduct} for m directions (Layer Javadoc of {@code Dense}): the
     * forward pass; R-forward (2 GEMMs per layer, 1 for the first); the backward pass of g; and the
     * R-backward (rgIn: 2 GEMMs except at the first layer; H·v: 2 GEMMs, 1 at the first).
     */
    double hvpFlops(int m) {
        double f = forwardFlops();
        int[][] dense = dense();
        for (int l = 0; l < dense.length; l++) {
            double block = 2.0 * m * n * dense[l][0] * dense[l][1];
            double single = 2.0 * n * dense[l][0] * dense[l][1];
            boolean first = l == 0;
            f += first ? block : 2 * block;          // R-forward
            f += first ? 0 : 2 * block + single;     // rgIn and the backward pass of g
            f += first ? block : 2 * block;          // H·v
        }
        return f;
    }
}
