package org.tessera.worker.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
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

    private static final JsonFactory JSON = new JsonFactory();

    private GeoJsonWriter() {}

    /** Feature ids are derived from {@code idSeed}, so a repeated attempt writes the same file. */
    public static void write(ClassMap map, Path target, String idSeed) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(target.toFile(), JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("type", "FeatureCollection");
            json.writeArrayFieldStart("features");
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
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void writeFeature(
            JsonGenerator json, ClassMap map, MapClass tissueClass, MaskPolygons.Polygon polygon, String id)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "Feature");
        json.writeStringField("id", id);
        json.writeObjectFieldStart("geometry");
        json.writeStringField("type", "Polygon");
        json.writeArrayFieldStart("coordinates");
        writeRing(json, map, polygon.exterior());
        for (MaskPolygons.Ring hole : polygon.holes()) {
            writeRing(json, map, hole);
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeObjectFieldStart("properties");
        json.writeStringField("objectType", "annotation");
        json.writeObjectFieldStart("classification");
        json.writeStringField("name", tissueClass.displayName());
        json.writeArrayFieldStart("color");
        json.writeNumber(tissueClass.red());
        json.writeNumber(tissueClass.green());
        json.writeNumber(tissueClass.blue());
        json.writeEndArray();
        json.writeEndObject();
        json.writeBooleanField("isLocked", false);
        json.writeObjectFieldStart("measurements");
        double areaUm2 = polygon.area() * map.mpp() * map.mpp();
        json.writeNumberField("Area µm^2", Math.round(areaUm2 * 100) / 100.0);
        json.writeEndObject();
        json.writeEndObject();
        json.writeEndObject();
    }

    /** Map-pixel corners scaled to level-0 pixels and clipped to the slide. */
    private static void writeRing(JsonGenerator json, ClassMap map, MaskPolygons.Ring ring) throws IOException {
        int[] c = ring.coordinates();
        json.writeStartArray();
        for (int i = 0; i < c.length; i += 2) {
            json.writeStartArray();
            json.writeNumber(round(Math.min(map.slideWidth(), c[i] * map.scale())));
            json.writeNumber(round(Math.min(map.slideHeight(), c[i + 1] * map.scale())));
            json.writeEndArray();
        }
        json.writeEndArray();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
