package org.sgdstab.noise;

import java.util.SplittableRandom;
import org.sgdstab.geometry.Lanczos;
import org.sgdstab.linalg.LinearOperator;
import org.sgdstab.linalg.Matrix;
import org.sgdstab.linalg.SymmetricEigen;
import org.sgdstab.nn.Network;

/**
 * The SGD noise geometry of theory.md §2, computed exactly from the empirical NTK Gram matrix Θ
 * and the residuals e alone (theory.md §3): no p × p matrix and no per-sample gradient is formed.
 * Cost O(n²K²) after Θ, plus λ_max(Θ) (dense for nK ≤ 2048, Lanczos beyond).
 *
 * <p>Quantities that divide by the loss or by ‖G‖_F are NaN when those vanish (an exact
 * interpolating fit, or a constant model); callers report NaN as "undefined".
 *
 * @param n               number of samples
 * @param outputs         K, outputs per sample
 * @param loss            L = (1/2n) Σ ‖e_i‖²
 * @param gradNorm        ‖∇L‖
 * @param fisherTrace     Tr G
 * @param fisherFrobenius ‖G‖_F (equal to ‖H‖_F at a global minimum)
 * @param fisherLambdaMax λ_max(G)
 * @param trSigmaG        Tr(ΣG)
 * @param trSigma1G       Tr(Σ1 G)
 * @param trSigma2G       Tr(Σ2 G)
 * @param sigmaFrobenius  ‖Σ‖_F
 * @param alpha           Tr(GΣ)/(‖G‖_F ‖Σ‖_F), the direction alignment
 * @param beta            ‖Σ‖_F/(2L ‖G‖_F), the relative noise magnitude
 * @param mu              αβ = Tr(ΣG)/(2L ‖G‖_F²)
 * @param mu1             Tr(Σ1 G)/(2L ‖G‖_F²)
 * @param mu2             Tr(Σ2 G)/(2L ‖G‖_F²)
 * @param gamma           min_i χ_i / mean_i χ_i, the norm uniformity of model gradients
 * @param tau             λ_max(G)²/‖G‖_F²
 */
public record NoiseAlignment(int n, int outputs, double loss, double gradNorm,
                             double fisherTrace, double fisherFrobenius, double fisherLambdaMax,
                             double trSigmaG, double trSigma1G, double trSigma2G, double sigmaFrobenius,
                             double alpha, double beta, double mu, double mu1, double mu2,
                             double gamma, double tau) {

    /** Up to this size a dense eigen-solve of Θ takes under a second; above it Lanczos is cheaper. */
    private static final int DENSE_EIGEN_LIMIT = 2048;
    /** Lanczos settings for λ_max(Θ) of large Θ: relative residual far below the digits reported. */
    private static final double LANCZOS_TOLERANCE = 1e-12;
    private static final int LANCZOS_MAX_ITERATIONS = 1000;
    /** Fixed start seed: the result must not depend on any caller's random stream. */
    private static final long LANCZOS_SEED = 0x5eedL;

    /** Computes every quantity at θ on (x, y). */
    public static NoiseAlignment of(Network net, double[] theta, Matrix x, Matrix y) {
        Matrix gram = net.ntkGram(theta, x);
        Matrix e = net.residuals(theta, x, y);
        return of(gram, e);
    }

    /**
     * Computes every quantity from Θ and the residuals.
     *
     * @param gram      Θ, nK × nK, index i·K + k. Not modified.
     * @param residuals e, n × K. Not modified.
     */
    public static NoiseAlignment of(Matrix gram, Matrix residuals) {
        int n = residuals.rows;
        int k = residuals.cols;
        int nk = n * k;
        Matrix.requireShape(gram, nk, nk, "NTK Gram");
        if (n < 1) {
            throw new IllegalArgumentException("need at least one sample");
        }
        double[] th = gram.data;
        double[] e = residuals.data;

        double traceTheta = 0;
        double thetaFrobSq = 0;
        double[] thetaE = new double[nk];
        // s_ij = e_iᵀ Θ_ij e_j; χ_i = (1/n) Σ_j ‖Θ_ij‖_F².
        double[] s = new double[n * n];
        double[] chi = new double[n];
        double trSigma1GTimesN2 = 0;
        for (int a = 0; a < nk; a++) {
            int i = a / k;
            double ea = e[a];
            int row = a * nk;
            traceTheta += th[row + a];
            double rowSq = 0;
            double rowDotE = 0;
            for (int j = 0; j < n; j++) {
                double c = 0;
                int col = row + j * k;
                for (int l = 0; l < k; l++) {
                    double t = th[col + l];
                    rowSq += t * t;
                    c += t * e[j * k + l];
                }
                // c = (Θ_{·j} e_j)[a]: its square summed over a and j is n²·Tr(Σ1 G).
                trSigma1GTimesN2 += c * c;
                rowDotE += c;
                s[i * n + j] += ea * c;
            }
            thetaFrobSq += rowSq;
            chi[i] += rowSq;
            thetaE[a] = rowDotE;
        }
        double eThetaE = 0;
        double thetaESq = 0;
        double eSq = 0;
        for (int a = 0; a < nk; a++) {
            eThetaE += e[a] * thetaE[a];
            thetaESq += thetaE[a] * thetaE[a];
            eSq += e[a] * e[a];
        }
        double sigma1FrobSqTimesN2 = 0;
        double trSigma1Sigma2TimesN3 = 0;
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            for (int j = 0; j < n; j++) {
                double v = s[i * n + j];
                sigma1FrobSqTimesN2 += v * v;
                rowSum += v;
            }
            trSigma1Sigma2TimesN3 += rowSum * rowSum;
        }
        double dn = n;
        double loss = eSq / (2 * dn);
        double twoL = eSq / dn;
        double gradNormSq = Math.max(0, eThetaE) / (dn * dn);
        double fisherTrace = traceTheta / dn;
        double fisherFrobSq = thetaFrobSq / (dn * dn);
        double trSigma1G = trSigma1GTimesN2 / (dn * dn);
        double trSigma2G = thetaESq / (dn * dn * dn);
        double trSigmaG = trSigma1G - trSigma2G;
        double sigma1FrobSq = sigma1FrobSqTimesN2 / (dn * dn);
        double trSigma1Sigma2 = trSigma1Sigma2TimesN3 / (dn * dn * dn);
        double sigma2FrobSq = gradNormSq * gradNormSq;
        double sigmaFrob = Math.sqrt(Math.max(0, sigma1FrobSq - 2 * trSigma1Sigma2 + sigma2FrobSq));
        double fisherFrob = Math.sqrt(fisherFrobSq);
        double lambdaMax = fisherTopEigenvalue(gram) / dn;

        double chiMin = Double.POSITIVE_INFINITY;
        double chiMean = 0;
        for (int i = 0; i < n; i++) {
            double c = chi[i] / dn;
            chiMin = Math.min(chiMin, c);
            chiMean += c / dn;
        }
        double alpha = trSigmaG / (fisherFrob * sigmaFrob);
        double beta = sigmaFrob / (twoL * fisherFrob);
        double mu = trSigmaG / (twoL * fisherFrobSq);
        double mu1 = trSigma1G / (twoL * fisherFrobSq);
        double mu2 = trSigma2G / (twoL * fisherFrobSq);
        double gamma = chiMin / chiMean;
        double tau = lambdaMax * lambdaMax / fisherFrobSq;
        return new NoiseAlignment(n, k, loss, Math.sqrt(gradNormSq), fisherTrace, fisherFrob, lambdaMax,
                trSigmaG, trSigma1G, trSigma2G, sigmaFrob, alpha, beta, mu, mu1, mu2, gamma, tau);
    }

    /**
     * Why µ or µ1 is undefined (NaN) here, in words for reports; null when both are defined. At an exact
     * interpolating fit the loss and Σ vanish, so α, β, µ, µ1 and µ2 are 0/0; where ‖G‖_F = 0 the
     * ratios over ‖G‖_F are.
     */
    public String undefinedReason() {
        if (!Double.isNaN(mu) && !Double.isNaN(mu1)) {
            return null;
        }
        if (loss == 0) {
            return "the loss is exactly 0 (an interpolating fit), so Σ = 0 and α, β, µ, µ1, µ2 are 0/0";
        }
        if (fisherFrobenius == 0) {
            return "‖G‖_F = 0 (the outputs do not depend on θ here), so µ, µ1, µ2, γ and τ are 0/0";
        }
        return "µ = Tr(ΣG)/(2L ‖G‖_F²) is not a number at this point";
    }

    /** λ_max(Θ): dense symmetric eigenvalues for moderate sizes, Lanczos beyond. */
    static double fisherTopEigenvalue(Matrix gram) {
        if (gram.rows > DENSE_EIGEN_LIMIT) {
            return Lanczos.largestEigenvalue(LinearOperator.of(gram), LANCZOS_MAX_ITERATIONS, LANCZOS_TOLERANCE,
                    new SplittableRandom(LANCZOS_SEED));
        }
        double[] values = SymmetricEigen.values(gram);
        return values.length == 0 ? 0.0 : values[values.length - 1];
    }
}
