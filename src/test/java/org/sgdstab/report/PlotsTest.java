package org.sgdstab.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void writesPngAndSvgOnLogAxesDroppingNonPositivePoints() throws IOException {
        double[] x = {1, 2, 4, 8, 16};
        double[] y = {1, 0.5, 0, 0.125, Double.NaN};
        Plots.save(new Plots.Chart("t", "x", "y", true, true, List.of(
                Plots.Series.of("curve", x, y, Plots.Style.LINE_MARKERS),
                new Plots.Series("with errors", x, new double[] {2, 2, 2, 2, 2}, new double[] {1, 3, 1, 1, 1}, Plots.Style.LINE, null),
                Plots.Series.of(null, x, x, Plots.Style.THIN))), dir.resolve("plot"));
        byte[] png = Files.readAllBytes(dir.resolve("plot.png"));
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
        String svg = Files.readString(dir.resolve("plot.svg"));
        assertTrue(svg.contains("<svg"));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
        }
    }
}
