package org.sgdstab.reproduce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sgdstab.report.Json;

/**
 * A statement of the paper checked against measured numbers.
 *
 * @param id        stable identifier, e.g. "fig1.alpha_mu_positive"
 * @param statement the paper's statement, in words
 * @param measured  the numbers the verdict rests on (NaN where undefined), in display order
 * @param threshold the test applied to them, in words
 * @param passed    the verdict
 */
public record Claim(String id, String statement, Map<String, Double> measured, String threshold, boolean passed) {
    public Claim {
        measured = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(measured));
    }

    /** JSON form (NaN as null). */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("id", id);
        o.put("statement", statement);
        ObjectNode m = o.putObject("measured");
        measured.forEach((k, v) -> Json.put(m, k, v));
        o.put("threshold", threshold);
        o.put("passed", passed);
        return o;
    }
}
