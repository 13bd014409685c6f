package org.sgdstab.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The scaling study's fit and its outputs on tiny sizes; never a timing test. */
class ScalingStudyTest {
    /** An exact power law is fitted up to the round-off of a few logarithms. */
    private static final double FIT_TOLERANCE = 1e-12;

    static Stream<Arguments> powerLaws() {
        return Stream.of(
                Arguments.of("quadratic in n", new double[] {256, 512, 1024, 2048}, 3e-9, 2.0),
                Arguments.of("linear in width", new double[] {64, 128, 256}, 0.5, 1.0),
                Arguments.of("square root, uneven sizes", new double[] {1, 3, 10, 70}, 2.0, 0.5),
                Arguments.of("constant", new double[] {5, 50}, 7.0, 0.0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("powerLaws")
    void logLogFitRecoversTheExponent(String name, double[] x, double c, double exponent) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = c * Math.pow(x[i], exponent);
        }
        double[] fit = ScalingStudy.logLogFit(x, y);
        assertEquals(exponent, fit[0], FIT_TOLERANCE, "slope");
        assertEquals(Math.log(c), fit[1], FIT_TOLERANCE * Math.max(1, Math.abs(Math.log(c))) * 10, "intercept");
    }

    @Test
    void logLogFitSkipsPointsALogAxisCannotShow() {
        double[] fit = ScalingStudy.logLogFit(new double[] {1, 2, 4, 8}, new double[] {1, Double.NaN, 16, 0});
        assertEquals(2.0, fit[0], FIT_TOLERANCE);
        assertTrue(Double.isNaN(ScalingStudy.logLogFit(new double[] {1}, new double[] {1})[0]));
    }

    @Test
    void heapGrowsWithTheGramMatrix() {
        long small = ScalingStudy.heapBytes(256, 512, 64);
        long large = ScalingStudy.heapBytes(8192, 512, 64);
        assertTrue(large - small >= 4L * 8 * (8192L * 8192 - 256L * 256), "room for four n × n matrices");
    }

    @Test
    void smokeStudyWritesEveryOutput(@TempDir Path out) throws Exception {
        ScalingConfig config = new ScalingConfig(Scale.SMOKE, 1, 0, 1, 1, false, out);
        ScalingStudy.Result r = ScalingStudy.run(config, new PrintWriter(new StringWriter()));
        ScalingStudy.Sizes sizes = ScalingStudy.Sizes.of(Scale.SMOKE);
        assertEquals(sizes.ns().length + sizes.widths().length, r.points().size());
        for (ScalingStudy.Point p : r.points()) {
            assertTrue(p.gramMedian() > 0 && p.analyzeMedian() > 0, p.toString());
            assertEquals(sizes.inputDim() * p.width() + 2 * p.width() + 1, p.parameters(), "d → width → 1 with biases");
        }
        assertEquals(6, r.fits().size());
        for (String f : List.of("scaling.csv", "scaling.json", "scaling.txt", "scaling.png", "scaling.svg", "scaling-memory.png",
                "scaling-memory.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(1 + r.points().size(), Files.readAllLines(out.resolve("scaling.csv")).size());
        assertTrue(Files.readString(out.resolve("scaling.json")).contains("\"provenance\""));
    }
}
