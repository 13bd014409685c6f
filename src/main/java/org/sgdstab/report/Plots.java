package org.sgdstab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.sgdstab.io.AtomicFiles;

/**
 * Line plots written as PNG and SVG side by side (XChart, with VectorGraphics2D for SVG).
 * Rendering is headless. Each file is written to a temporary name and then moved into place.
 */
public final class Plots {
    private Plots() {
    }

    /** How a series is drawn. */
    public enum Style {
        /** A line with markers at the points. */
        LINE_MARKERS,
        /** A plain line. */
        LINE,
        /** A thick plain line, e.g. a mean over trajectories. */
        THICK,
        /** A thin, translucent line, e.g. one trajectory among many. */
        THIN,
        /** A dashed line without markers, e.g. a bound or a prediction. */
        DASHED,
        /** Markers only. */
        MARKERS
    }

    /**
     * One series.
     *
     * @param name  legend entry (null hides it from the legend)
     * @param x     abscissae
     * @param y     ordinates, same length
     * @param error symmetric error bars, or null
     * @param style how to draw it
     * @param color the colour, or null for the theme's next one
     */
    public record Series(String name, double[] x, double[] y, double[] error, Style style, Color color) {
        public Series {
            if (x.length != y.length || (error != null && error.length != y.length)) {
                throw new IllegalArgumentException("series '" + name + "': x, y and error lengths differ");
            }
        }

        public static Series of(String name, double[] x, double[] y, Style style) {
            return new Series(name, x, y, null, style, null);
        }
    }

    /** A chart: title, axis labels, log scales and series. */
    public record Chart(String title, String xLabel, String yLabel, boolean logX, boolean logY, List<Series> series) {
    }

    /**
     * Renders {@code chart} to {@code base + ".png"} and {@code base + ".svg"}. Points that a log
     * axis cannot show (≤ 0, NaN, infinite) are dropped from that series.
     */
    public static void save(Chart chart, Path base, int width, int height) {
        save(chart, base, width, height, false);
    }

    /**
     * Same, with the legend to the right of the plot area when {@code legendOutside} (for growth
     * curves, whose largest points sit where the inside legend would cover them).
     */
    public static void save(Chart chart, Path base, int width, int height, boolean legendOutside) {
        System.setProperty("java.awt.headless", "true");
        XYChart c = new XYChartBuilder().width(width).height(height).title(chart.title())
                .xAxisTitle(chart.xLabel()).yAxisTitle(chart.yLabel()).build();
        Styler.LegendPosition legend = legendOutside ? Styler.LegendPosition.OutsideE : Styler.LegendPosition.InsideNE;
        c.getStyler().setLegendPosition(legend);
        c.getStyler().setXAxisLogarithmic(chart.logX());
        c.getStyler().setYAxisLogarithmic(chart.logY());
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotGridLinesVisible(true);
        c.getStyler().setAntiAlias(true);
        int hidden = 0;
        for (Series s : chart.series()) {
            double[][] kept = finiteForAxes(s, chart.logX(), chart.logY());
            if (kept[0].length == 0) {
                continue;
            }
            String name = s.name() == null ? " ".repeat(++hidden) : s.name();
            XYSeries xy = kept[2] == null ? c.addSeries(name, kept[0], kept[1]) : c.addSeries(name, kept[0], kept[1], kept[2]);
            xy.setShowInLegend(s.name() != null);
            style(xy, s);
        }
        try {
            Path dir = base.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            String file = base.getFileName().toString();
            AtomicFiles.write(dir.resolve(file + ".png"), out -> BitmapEncoder.saveBitmap(c, out, BitmapEncoder.BitmapFormat.PNG));
            AtomicFiles.write(dir.resolve(file + ".svg"),
                    out -> VectorGraphicsEncoder.saveVectorGraphic(c, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + base, e);
        }
    }

    /** Same with the default size 800 × 560. */
    public static void save(Chart chart, Path base) {
        save(chart, base, 800, 560);
    }

    private static void style(XYSeries xy, Series s) {
        if (s.color() != null) {
            xy.setLineColor(s.color());
            xy.setMarkerColor(s.color());
        }
        switch (s.style()) {
            case LINE_MARKERS -> xy.setMarker(SeriesMarkers.CIRCLE);
            case LINE -> xy.setMarker(SeriesMarkers.NONE);
            case THICK -> {
                xy.setMarker(SeriesMarkers.NONE);
                xy.setLineWidth(3.5f);
            }
            case THIN -> {
                xy.setMarker(SeriesMarkers.NONE);
                xy.setLineWidth(0.6f);
                Color base = s.color() != null ? s.color() : new Color(70, 110, 200);
                xy.setLineColor(new Color(base.getRed(), base.getGreen(), base.getBlue(), 60));
            }
            case DASHED -> {
                xy.setMarker(SeriesMarkers.NONE);
                xy.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 6f}, 0f));
            }
            case MARKERS -> {
                xy.setMarker(SeriesMarkers.CIRCLE);
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            }
        }
    }

    private static double[][] finiteForAxes(Series s, boolean logX, boolean logY) {
        int n = 0;
        boolean[] keep = new boolean[s.x().length];
        for (int i = 0; i < keep.length; i++) {
            double x = s.x()[i];
            double y = s.y()[i];
            keep[i] = Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0) && (!logY || y > 0);
            if (keep[i]) {
                n++;
            }
        }
        double[] x = new double[n];
        double[] y = new double[n];
        double[] e = s.error() == null ? null : new double[n];
        for (int i = 0, j = 0; i < keep.length; i++) {
            if (keep[i]) {
                x[j] = s.x()[i];
                y[j] = s.y()[i];
                if (e != null) {
                    double err = s.error()[i];
                    // On a log axis an error bar may not reach zero or below.
                    e[j] = Double.isFinite(err) ? (logY ? Math.min(err, 0.999 * y[j]) : err) : 0.0;
                }
                j++;
            }
        }
        return new double[][] {x, y, e};
    }
}
