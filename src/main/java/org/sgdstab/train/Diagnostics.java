package org.sgdstab.train;

import java.util.List;
import java.util.Map;

/** Diagnostics evaluated at chosen training steps, e.g. the noise-alignment factors on a probe set. */
public interface Diagnostics {
    /** The column names, in order; fixed for the run. */
    List<String> keys();

    /** The values at θ (NaN where undefined), one per key. θ is not modified. */
    Map<String, Double> at(double[] theta);
}
