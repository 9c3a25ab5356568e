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
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                int value = map.valueAt(x, y);
                pixels[value]++;
                area[value] += map.levelZeroArea(x, y);
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
