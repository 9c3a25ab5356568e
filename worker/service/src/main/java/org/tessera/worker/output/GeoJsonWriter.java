package org.tessera.worker.output;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.tessera.models.classes.MapClass;
import org.tessera.worker.analysis.ClassMap;
import org.tessera.worker.analysis.MaskPolygons;

/**
 * Writes the pieces of each non-background class as a GeoJSON FeatureCollection that QuPath imports as annotations:
 * one Feature per piece, geometry Polygon in level-0 pixel coordinates, properties {@code objectType: "annotation"} and
 * {@code classification: {name, color: [r, g, b]}}. Streams, so large maps do not build a tree in memory.
 */
public final class GeoJsonWriter {

    private GeoJsonWriter() {}

    /** Feature ids are derived from {@code idSeed}, so a repeated attempt writes the same file. */
    public static void write(ClassMap map, Path target, String idSeed) throws IOException {
        try (JsonGenerator json = QuPathGeoJson.open(target)) {
            for (MapClass tissueClass : map.classes()) {
                if (tissueClass.isBackground()) {
                    continue;
                }
                List<MaskPolygons.Polygon> polygons = MaskPolygons.trace(map, tissueClass.value());
                for (int i = 0; i < polygons.size(); i++) {
                    String id = UUID.nameUUIDFromBytes((idSeed + "/" + tissueClass.displayName() + "/" + i)
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                            .toString();
                    writeFeature(json, map, tissueClass, polygons.get(i), id);
                }
            }
            QuPathGeoJson.endCollection(json);
        }
    }

    private static void writeFeature(
            JsonGenerator json, ClassMap map, MapClass tissueClass, MaskPolygons.Polygon polygon, String id)
            throws IOException {
        QuPathGeoJson.startFeature(json, id);
        writeRing(json, map, polygon.exterior());
        for (MaskPolygons.Ring hole : polygon.holes()) {
            writeRing(json, map, hole);
        }
        QuPathGeoJson.startProperties(json, "annotation", tissueClass);
        json.writeBooleanField("isLocked", false);
        json.writeObjectFieldStart("measurements");
        double areaUm2 = polygon.area() * map.mpp() * map.mpp();
        json.writeNumberField("Area µm^2", QuPathGeoJson.round(areaUm2));
        json.writeEndObject();
        QuPathGeoJson.endFeature(json);
    }

    /** Map-pixel corners scaled to level-0 pixels and clipped to the slide. */
    private static void writeRing(JsonGenerator json, ClassMap map, MaskPolygons.Ring ring) throws IOException {
        int[] c = ring.coordinates();
        json.writeStartArray();
        for (int i = 0; i < c.length; i += 2) {
            QuPathGeoJson.point(
                    json,
                    Math.min(map.slideWidth(), c[i] * map.scale()),
                    Math.min(map.slideHeight(), c[i + 1] * map.scale()));
        }
        json.writeEndArray();
    }
}
