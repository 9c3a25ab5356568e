package org.tessera.worker.output;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import org.tessera.models.classes.DisplayedClass;

/**
 * The GeoJSON QuPath imports: a FeatureCollection of Features with a Polygon geometry in level-0 pixels and
 * properties {@code objectType} and {@code classification: {name, color: [r, g, b]}}. Written as a stream, so large
 * collections never build a tree in memory; the writers add the rings and measurements.
 */
final class QuPathGeoJson {

    private static final JsonFactory JSON = new JsonFactory();

    private QuPathGeoJson() {}

    /** A file with an open FeatureCollection, ready for features. */
    static JsonGenerator open(Path file) throws IOException {
        JsonGenerator json = JSON.createGenerator(file.toFile(), JsonEncoding.UTF8);
        json.writeStartObject();
        json.writeStringField("type", "FeatureCollection");
        json.writeArrayFieldStart("features");
        return json;
    }

    /** Ends the FeatureCollection; the caller closes the generator. */
    static void endCollection(JsonGenerator json) throws IOException {
        json.writeEndArray();
        json.writeEndObject();
    }

    /** Opens a Feature and its Polygon geometry, up to the list of rings. */
    static void startFeature(JsonGenerator json, String id) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "Feature");
        json.writeStringField("id", id);
        json.writeObjectFieldStart("geometry");
        json.writeStringField("type", "Polygon");
        json.writeArrayFieldStart("coordinates");
    }

    /** A vertex, in level-0 pixels to 1/100 pixel. */
    static void point(JsonGenerator json, double x, double y) throws IOException {
        json.writeStartArray();
        writeHundredths(json, round(x));
        writeHundredths(json, round(y));
        json.writeEndArray();
    }

    /**
     * Writes a number already rounded to hundredths exactly as {@link JsonGenerator#writeNumber(double)} does (the
     * shortest decimal that reads back as the same double: {@code 1234.0}, {@code 1234.5}, {@code 1234.57}), without
     * the general double-to-decimal conversion; numbers outside 0..10^7 (where Java switches to E notation) and -0.0
     * take the general path.
     */
    static void writeHundredths(JsonGenerator json, double value) throws IOException {
        if (!(value >= 0 && value < 1e7) || Double.doubleToRawLongBits(value) == NEGATIVE_ZERO) {
            json.writeNumber(value);
            return;
        }
        long hundredths = Math.round(value * 100);
        if (hundredths / 100.0 != value) {
            json.writeNumber(value);
            return;
        }
        json.writeNumber(hundredthsText(hundredths));
    }

    private static final long NEGATIVE_ZERO = Double.doubleToRawLongBits(-0.0);

    /** {@code 123456} as {@code 1234.56}, {@code 123450} as {@code 1234.5}, {@code 123400} as {@code 1234.0}. */
    static String hundredthsText(long hundredths) {
        long whole = hundredths / 100;
        int fraction = (int) (hundredths % 100);
        if (fraction == 0) {
            return whole + ".0";
        }
        if (fraction % 10 == 0) {
            return whole + "." + fraction / 10;
        }
        return whole + (fraction < 10 ? ".0" : ".") + fraction;
    }

    /** Closes the geometry and opens the properties with the object type and classification. */
    static void startProperties(JsonGenerator json, String objectType, DisplayedClass classification)
            throws IOException {
        json.writeEndArray();
        json.writeEndObject();
        json.writeObjectFieldStart("properties");
        json.writeStringField("objectType", objectType);
        json.writeObjectFieldStart("classification");
        json.writeStringField("name", classification.displayName());
        json.writeArrayFieldStart("color");
        json.writeNumber(classification.red());
        json.writeNumber(classification.green());
        json.writeNumber(classification.blue());
        json.writeEndArray();
        json.writeEndObject();
    }

    /** Closes the properties and the Feature. */
    static void endFeature(JsonGenerator json) throws IOException {
        json.writeEndObject();
        json.writeEndObject();
    }

    /** To two decimals, as the outputs write measurements and coordinates. */
    static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
