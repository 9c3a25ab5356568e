package org.tessera.loadtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The harness's charts: a small SVG writer for bar charts (one bar per label) and line charts (series of x/y points),
 * with axes, ticks, a title and a legend; nothing else is needed to draw the figures of {@code docs/benchmarks.md}.
 */
public final class SvgChart {

    /** One line of a line chart. */
    public record Series(String name, List<double[]> points) {}

    private static final String[] COLOURS = {
        "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"
    };
    private static final int WIDTH = 760;
    private static final int HEIGHT = 380;
    private static final int LEFT = 80;
    private static final int RIGHT = 190;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;

    private SvgChart() {}

    /** Bars with their value written above them. */
    public static void bars(Path file, String title, String yLabel, List<String> labels, List<Double> values) {
        double max =
                niceMax(values.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        StringBuilder svg = header(title);
        axes(svg, "", yLabel, 0, 0, 0, max, false);
        double plotWidth = WIDTH - LEFT - RIGHT + 150;
        double slot = plotWidth / Math.max(1, labels.size());
        for (int i = 0; i < labels.size(); i++) {
            double value = values.get(i);
            double height = (HEIGHT - TOP - BOTTOM) * value / max;
            double x = LEFT + i * slot + slot * 0.2;
            double y = HEIGHT - BOTTOM - height;
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                    x,
                    y,
                    slot * 0.6,
                    height,
                    COLOURS[i % COLOURS.length]));
            text(svg, x + slot * 0.3, y - 5, "middle", 12, format(value));
            text(svg, x + slot * 0.3, HEIGHT - BOTTOM + 18, "middle", 12, labels.get(i));
        }
        write(file, svg);
    }

    /** Lines over a shared x axis; each series gets its colour and a legend entry. */
    public static void lines(Path file, String title, String xLabel, String yLabel, List<Series> series) {
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        maxY = niceMax(maxY);
        StringBuilder svg = header(title);
        axes(svg, xLabel, yLabel, minX, maxX, 0, maxY, true);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = COLOURS[i % COLOURS.length];
            List<String> coordinates = new ArrayList<>();
            for (double[] p : s.points()) {
                coordinates.add(String.format(
                        Locale.ROOT,
                        "%.1f,%.1f",
                        LEFT + plotWidth * (p[0] - minX) / (maxX - minX),
                        HEIGHT - BOTTOM - plotHeight * p[1] / maxY));
            }
            svg.append("<polyline fill=\"none\" stroke=\"")
                    .append(colour)
                    .append("\" stroke-width=\"1.8\" points=\"")
                    .append(String.join(" ", coordinates))
                    .append("\"/>\n");
            double legendY = TOP + 10 + i * 18;
            svg.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%.1f\" width=\"14\" height=\"4\" fill=\"%s\"/>%n",
                    WIDTH - RIGHT + 15,
                    legendY - 4,
                    colour));
            text(svg, WIDTH - RIGHT + 34, legendY, "start", 11, s.name());
        }
        write(file, svg);
    }

    private static StringBuilder header(String title) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(svg, WIDTH / 2.0, 22, "middle", 15, title);
        return svg;
    }

    private static void axes(
            StringBuilder svg,
            String xLabel,
            String yLabel,
            double minX,
            double maxX,
            double minY,
            double maxY,
            boolean xTicks) {
        double plotWidth = WIDTH - LEFT - RIGHT + (xTicks ? 0 : 150);
        double plotHeight = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(
                Locale.ROOT,
                "<path d=\"M%d %d V%d H%.1f\" stroke=\"#333\" fill=\"none\"/>%n",
                LEFT,
                TOP,
                HEIGHT - BOTTOM,
                LEFT + plotWidth));
        for (int i = 0; i <= 5; i++) {
            double value = minY + (maxY - minY) * i / 5;
            double y = HEIGHT - BOTTOM - plotHeight * i / 5;
            svg.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                    LEFT,
                    y,
                    LEFT + plotWidth,
                    y));
            text(svg, LEFT - 6, y + 4, "end", 11, format(value));
            if (xTicks) {
                double x = LEFT + plotWidth * i / 5;
                text(svg, x, HEIGHT - BOTTOM + 16, "middle", 11, format(minX + (maxX - minX) * i / 5));
            }
        }
        text(svg, LEFT + plotWidth / 2, HEIGHT - 18, "middle", 12, xLabel);
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"18\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">%s"
                        + "</text>%n",
                TOP + plotHeight / 2,
                TOP + plotHeight / 2,
                escape(yLabel)));
    }

    private static void text(StringBuilder svg, double x, double y, String anchor, int size, String text) {
        svg.append(String.format(
                Locale.ROOT,
                "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\">%s</text>%n",
                x,
                y,
                size,
                anchor,
                escape(text)));
    }

    private static void write(Path file, StringBuilder svg) {
        svg.append("</svg>\n");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, svg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the chart " + file, e);
        }
    }

    /** The smallest of 1, 2, 2.5, 5 times a power of ten at or above the value. */
    static double niceMax(double value) {
        if (value <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value) {
                return step * power;
            }
        }
        return 10 * power;
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e7) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return Math.abs(value) >= 100
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
