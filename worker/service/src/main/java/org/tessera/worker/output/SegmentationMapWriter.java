package org.tessera.worker.output;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.tessera.imaging.tiff.TiffPyramidWriter;
import org.tessera.models.classes.MapClass;
import org.tessera.worker.analysis.ClassMap;

/**
 * Writes a class map as a pyramidal, tiled, deflate-compressed palette TIFF: pixel values are class values (exact, for
 * programs) and the palette gives each class its colour (for viewers). Resolution tags carry the map's own pixel size.
 */
public final class SegmentationMapWriter {

    private SegmentationMapWriter() {}

    public static void write(ClassMap map, Path target) throws IOException {
        int[] palette = new int[256];
        StringBuilder legend = new StringBuilder();
        for (MapClass tissueClass : map.classes()) {
            palette[tissueClass.value()] = tissueClass.rgb();
            legend.append(String.format(
                    Locale.ROOT,
                    "%s%d=%s#%06X",
                    legend.isEmpty() ? "" : ";",
                    tissueClass.value(),
                    tissueClass.displayName(),
                    tissueClass.rgb()));
        }
        String description = String.format(
                Locale.ROOT,
                "Tessera class map; classes %s; level-0 pixels per map pixel %.6f; slide %dx%d",
                legend,
                map.scale(),
                map.slideWidth(),
                map.slideHeight());
        TiffPyramidWriter.Options options = TiffPyramidWriter.Options.classMap(palette)
                .withMicronsPerPixel(map.mpp())
                .withDescription(description);
        byte[] values = map.values();
        int width = map.width();
        TiffPyramidWriter.write(target, width, map.height(), options, (x, y, w, h, out) -> {
            for (int row = 0; row < h; row++) {
                System.arraycopy(values, (y + row) * width + x, out, row * w, w);
            }
        });
    }

    /**
     * What a client needs to overlay the written map on the slide without opening it: its size, its pixel size and the
     * colour of each class, keyed as in the application version's output metadata schema ({@code class_colors}: class
     * name to {@code [r, g, b]}).
     */
    public static ObjectNode metadata(ClassMap map) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.put("width_px", map.width());
        metadata.put("height_px", map.height());
        metadata.put("resolution_mpp", map.mpp());
        ObjectNode colors = metadata.putObject("class_colors");
        for (MapClass tissueClass : map.classes()) {
            colors.putArray(tissueClass.displayName())
                    .add(tissueClass.red())
                    .add(tissueClass.green())
                    .add(tissueClass.blue());
        }
        return metadata;
    }
}
