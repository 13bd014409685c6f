/**
 * The paper's dynamic experiments: escape of SGD from sharp minima ({@link org.sgdstab.experiments.EscapeExperiment}),
 * linearised dynamics under four noise models ({@link org.sgdstab.experiments.LinearizedExperiment}) and
 * parameter sweeps on a pluggable executor ({@link org.sgdstab.experiments.Sweep}).
 *
 * <p>Randomness: every experiment splits its streams from one root seed in a fixed order before any
 * worker thread starts (trajectory r always gets stream r), so outputs do not depend on the number
 * of threads.
 */
package org.sgdstab.experiments;
