/**
 * The benchmark suite against PyTorch ({@code sgdstab bench}, docs/benchmarks.md).
 *
 * <p>A {@link org.sgdstab.bench.Workload} builds its inputs from a seed, writes what the PyTorch
 * peer needs into the workload's directory, and runs one or more Java variants, each returning the
 * numbers it computed. {@link org.sgdstab.bench.Benchmark} times every Java variant (by default in
 * a fresh JVM per workload, so that the peak RSS is that workload's own), then runs each peer
 * variant of {@code bench/peers/torch_peers.py} in its own Python process, and cross-checks both
 * sides' numbers to a relative {@value org.sgdstab.bench.CrossCheck#RELATIVE_TOLERANCE}.
 *
 * <p>Adding a workload is one class implementing {@link org.sgdstab.bench.Workload} (added to its
 * {@code permits} list and to {@link org.sgdstab.bench.Workloads}) plus one {@code @peer} function
 * in the peer script.
 *
 * <p>{@link org.sgdstab.bench.ScalingStudy} ({@code sgdstab bench --scaling}) measures how
 * {@code analyze} without Hessian and critical learning rate grows with n and with the width, one
 * fresh JVM per point, and fits the log–log exponents.
 */
package org.sgdstab.bench;
