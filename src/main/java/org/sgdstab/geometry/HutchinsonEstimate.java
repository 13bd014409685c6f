package org.sgdstab.geometry;

/**
 * Hutchinson estimates of Tr A and ‖A‖_F with their standard errors (sample standard deviation
 * over probes divided by √probes).
 *
 * @param trace                  mean of vᵀAv
 * @param traceStdErr            its standard error
 * @param frobeniusSquared       mean of ‖Av‖²
 * @param frobeniusSquaredStdErr its standard error
 * @param frobenius              √frobeniusSquared
 * @param frobeniusStdErr        delta-method standard error of the square root,
 *                               frobeniusSquaredStdErr / (2 · frobenius); 0 when frobenius is 0
 *                               (then every sample was 0)
 * @param probes                 number of Rademacher probes
 */
public record HutchinsonEstimate(double trace, double traceStdErr, double frobeniusSquared,
                                 double frobeniusSquaredStdErr, double frobenius, double frobeniusStdErr,
                                 int probes) {
}
