package org.tessera.worker.manifest;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.tessera.models.classes.MapClass;

/**
 * Writes a task's detections as they arrive, in plan order, to whichever of its artifacts the manifest asks for: a
 * GeoJSON FeatureCollection QuPath imports as detections (an outline Polygon, or a Point, in level-0 pixels, with
 * {@code classification {name, color}} and the area), a CSV with one row per object, and per-class counts for the
 * slide readouts. Keeps only the counts in memory.
 */
final class DetectionWriter implements AutoCloseable {

    static final String CSV_HEADER = "id,class,x,y,area_um2";

    /** One object in level-0 pixels; {@code polygon} is null for a point. */
    record Detection(int classValue, double x, double y, double[] polygon, double areaUm2) {}

    private static final JsonFactory JSON = new JsonFactory();

    private final List<MapClass> classes;
    private final String idSeed;
    private final JsonGenerator geojson;
    private final BufferedWriter csv;
    private final long[] counts;
    private long written;

    /**
     * @param geojson the GeoJSON file, or null when not asked for
     * @param csv the CSV file, or null when not asked for
     * @param idSeed object ids derive from it, so a repeated attempt writes the same files
     */
    DetectionWriter(List<MapClass> classes, Path geojson, Path csv, String idSeed) throws IOException {
        this.classes = classes;
        this.idSeed = idSeed;
        this.counts = new long[classes.size()];
        if (geojson != null) {
            this.geojson = JSON.createGenerator(geojson.toFile(), JsonEncoding.UTF8);
            this.geojson.writeStartObject();
            this.geojson.writeStringField("type", "FeatureCollection");
            this.geojson.writeArrayFieldStart("features");
        } else {
            this.geojson = null;
        }
        if (csv != null) {
            this.csv = Files.newBufferedWriter(csv, StandardCharsets.UTF_8);
            this.csv.write(CSV_HEADER);
            this.csv.write('\n');
        } else {
            this.csv = null;
        }
    }

    void accept(Detection d) throws IOException {
        String id = UUID.nameUUIDFromBytes((idSeed + "/" + written++).getBytes(StandardCharsets.UTF_8))
                .toString();
        MapClass c = classes.get(d.classValue());
        counts[d.classValue()]++;
        if (geojson != null) {
            feature(id, c, d);
        }
        if (csv != null) {
            csv.write(String.format(
                    Locale.ROOT,
                    "%s,%s,%.2f,%.2f,%s%n",
                    id,
                    csvText(c.displayName()),
                    d.x(),
                    d.y(),
                    d.polygon() == null ? "" : String.format(Locale.ROOT, "%.2f", d.areaUm2())));
        }
    }

    private void feature(String id, MapClass c, Detection d) throws IOException {
        geojson.writeStartObject();
        geojson.writeStringField("type", "Feature");
        geojson.writeStringField("id", id);
        geojson.writeObjectFieldStart("geometry");
        if (d.polygon() == null) {
            geojson.writeStringField("type", "Point");
            geojson.writeArrayFieldStart("coordinates");
            geojson.writeNumber(round(d.x()));
            geojson.writeNumber(round(d.y()));
            geojson.writeEndArray();
        } else {
            geojson.writeStringField("type", "Polygon");
            geojson.writeArrayFieldStart("coordinates");
            geojson.writeStartArray();
            double[] p = d.polygon();
            for (int k = 0; k <= p.length; k += 2) {
                // The ring closes on its first vertex, as GeoJSON requires.
                int i = k % p.length;
                geojson.writeStartArray();
                geojson.writeNumber(round(p[i]));
                geojson.writeNumber(round(p[i + 1]));
                geojson.writeEndArray();
            }
            geojson.writeEndArray();
            geojson.writeEndArray();
        }
        geojson.writeEndObject();
        geojson.writeObjectFieldStart("properties");
        geojson.writeStringField("objectType", "detection");
        geojson.writeObjectFieldStart("classification");
        geojson.writeStringField("name", c.displayName());
        geojson.writeArrayFieldStart("color");
        geojson.writeNumber(c.red());
        geojson.writeNumber(c.green());
        geojson.writeNumber(c.blue());
        geojson.writeEndArray();
        geojson.writeEndObject();
        if (d.polygon() != null) {
            geojson.writeObjectFieldStart("measurements");
            geojson.writeNumberField("Area µm^2", round(d.areaUm2()));
            geojson.writeEndObject();
        }
        geojson.writeEndObject();
        geojson.writeEndObject();
    }

    /** Objects written so far. */
    long count() {
        return written;
    }

    /**
     * The slide readouts: per class the count and the density per mm² of the slide's area, as JSON.
     *
     * @param areaMm2 the slide's area
     */
    ObjectNode readouts(String task, double areaMm2) {
        ObjectNode readouts = JsonNodeFactory.instance.objectNode();
        readouts.put("task", task);
        readouts.put("slide_area_mm2", round(areaMm2));
        readouts.put("object_count", written);
        var perClass = readouts.putArray("classes");
        for (MapClass c : classes) {
            ObjectNode row = perClass.addObject();
            row.put("class", c.displayName());
            row.put("count", counts[c.value()]);
            row.put("density_per_mm2", areaMm2 > 0 ? round(counts[c.value()] / areaMm2) : 0);
        }
        return readouts;
    }

    @Override
    public void close() throws IOException {
        try {
            if (geojson != null) {
                geojson.writeEndArray();
                geojson.writeEndObject();
                geojson.close();
            }
        } finally {
            if (csv != null) {
                csv.close();
            }
        }
    }

    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static String csvText(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }
}
