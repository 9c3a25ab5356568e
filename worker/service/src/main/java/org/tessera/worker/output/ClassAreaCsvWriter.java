package org.tessera.worker.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.tessera.models.classes.MapClass;
import org.tessera.worker.analysis.ClassMap;

/**
 * One row per class: {@code class,pixels,area_mm2,percent}. {@code pixels} counts map pixels; the area is the level-0
 * area those pixels cover (clipped at the slide's edge) in mm²; {@code percent} is of the whole slide.
 */
public final class ClassAreaCsvWriter {

    public static final String HEADER = "class,pixels,area_mm2,percent";

    private ClassAreaCsvWriter() {}

    public static void write(ClassMap map, Path target) throws IOException {
        long[] pixels = new long[256];
        double[] area = new double[256];
        // The clipped width of each column and height of each row, so that each pixel's area is the same product
        // ClassMap.levelZeroArea computes, summed in the same order.
        int width = map.width();
        double[] columnWidth = new double[width];
        for (int x = 0; x < width; x++) {
            columnWidth[x] = Math.max(0, Math.min(map.slideWidth(), (x + 1) * map.scale()) - x * map.scale());
        }
        byte[] values = map.values();
        for (int y = 0; y < map.height(); y++) {
            double rowHeight = Math.max(0, Math.min(map.slideHeight(), (y + 1) * map.scale()) - y * map.scale());
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int value = values[row + x] & 0xFF;
                pixels[value]++;
                area[value] += columnWidth[x] * rowHeight;
            }
        }
        double slideArea = (double) map.slideWidth() * map.slideHeight();
        double mm2PerPixel = map.slideMpp() * map.slideMpp() / 1e6;
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (MapClass tissueClass : map.classes()) {
                int v = tissueClass.value();
                out.write(String.format(
                        Locale.ROOT,
                        "%s,%d,%.6f,%.4f%n",
                        csv(tissueClass.displayName()),
                        pixels[v],
                        area[v] * mm2PerPixel,
                        100 * area[v] / slideArea));
            }
        }
    }

    private static String csv(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
