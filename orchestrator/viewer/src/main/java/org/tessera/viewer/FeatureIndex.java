package org.tessera.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The polygons of a GeoJSON output (tissue pieces, or hundreds of thousands of cells), indexed on a grid of level-0
 * pixels so that the page asks only for what is on screen: {@link #query} answers the features whose bounds cross a
 * box, as compact JSON. Read once per item and kept while the item is viewed.
 */
final class FeatureIndex {

    /** Side of a grid cell in level-0 pixels: a few cells' worth of nuclei, a screen's worth at full resolution. */
    static final int GRID = 512;

    /** The most features one answer carries; the page asks for smaller boxes (it zooms in) when cut. */
    static final int MAX_PER_QUERY = 50_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();

    /** A feature: its class index, its rings as x,y pairs (exterior first), its bounds. */
    private record Feature(int classIndex, List<int[]> rings, int minX, int minY, int maxX, int maxY) {}

    private final List<Feature> features;
    private final List<ViewerClasses.Entry> classes;
    private final Map<Long, int[]> grid;

    private FeatureIndex(List<Feature> features, List<ViewerClasses.Entry> classes, Map<Long, int[]> grid) {
        this.features = features;
        this.classes = classes;
        this.grid = grid;
    }

    static FeatureIndex read(Path file, String name) throws IOException {
        List<Feature> features = new ArrayList<>();
        Map<String, Integer> classIndex = new LinkedHashMap<>();
        List<ViewerClasses.Entry> classes = new ArrayList<>();
        for (ViewerClasses.Entry known : ViewerClasses.of(name)) {
            classIndex.put(known.name(), classes.size());
            classes.add(new ViewerClasses.Entry(classes.size(), known.name(), known.color()));
        }
        try (JsonParser parser = FACTORY.createParser(file.toFile())) {
            if (!seekFeatures(parser)) {
                throw new IOException(name + " is not a GeoJSON FeatureCollection (no \"features\" array)");
            }
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode feature = JSON.readTree(parser);
                JsonNode classification = feature.path("properties").path("classification");
                String className = classification.path("name").asText("Unclassified");
                Integer index = classIndex.get(className);
                if (index == null) {
                    index = classes.size();
                    classIndex.put(className, index);
                    classes.add(new ViewerClasses.Entry(index, className, colour(classification.path("color"))));
                }
                addGeometry(feature.path("geometry"), index, features);
            }
        }
        Map<Long, List<Integer>> cells = new HashMap<>();
        for (int i = 0; i < features.size(); i++) {
            Feature f = features.get(i);
            for (int gy = f.minY() / GRID; gy <= f.maxY() / GRID; gy++) {
                for (int gx = f.minX() / GRID; gx <= f.maxX() / GRID; gx++) {
                    cells.computeIfAbsent(key(gx, gy), k -> new ArrayList<>()).add(i);
                }
            }
        }
        Map<Long, int[]> grid = new HashMap<>();
        cells.forEach(
                (k, v) -> grid.put(k, v.stream().mapToInt(Integer::intValue).toArray()));
        return new FeatureIndex(List.copyOf(features), List.copyOf(classes), grid);
    }

    private static boolean seekFeatures(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("features") && value == JsonToken.START_ARRAY) {
                return true;
            }
            parser.skipChildren();
        }
        return false;
    }

    private static void addGeometry(JsonNode geometry, int classIndex, List<Feature> into) {
        String type = geometry.path("type").asText();
        JsonNode coordinates = geometry.path("coordinates");
        if (type.equals("Polygon")) {
            addPolygon(coordinates, classIndex, into);
        } else if (type.equals("MultiPolygon")) {
            for (JsonNode polygon : coordinates) {
                addPolygon(polygon, classIndex, into);
            }
        }
    }

    private static void addPolygon(JsonNode rings, int classIndex, List<Feature> into) {
        List<int[]> converted = new ArrayList<>();
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (JsonNode ring : rings) {
            int[] xy = new int[ring.size() * 2];
            int i = 0;
            for (JsonNode point : ring) {
                int x = (int) Math.round(point.path(0).asDouble());
                int y = (int) Math.round(point.path(1).asDouble());
                xy[i++] = x;
                xy[i++] = y;
                minX = Math.min(minX, x);
                minY = Math.min(minY, y);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, y);
            }
            if (xy.length >= 6) {
                converted.add(xy);
            }
        }
        if (!converted.isEmpty()) {
            into.add(new Feature(classIndex, List.copyOf(converted), Math.max(0, minX), Math.max(0, minY), maxX, maxY));
        }
    }

    private static String colour(JsonNode rgb) {
        if (rgb.isArray() && rgb.size() == 3) {
            return ViewerClasses.hex(rgb.get(0).asInt() << 16
                    | rgb.get(1).asInt() << 8
                    | rgb.get(2).asInt());
        }
        return "#FFD700";
    }

    private static long key(int gx, int gy) {
        return (long) gx << 32 | (gy & 0xFFFFFFFFL);
    }

    int size() {
        return features.size();
    }

    List<ViewerClasses.Entry> classes() {
        return classes;
    }

    /**
     * The features whose bounds cross the box {@code [x0, x1) x [y0, y1)} of level-0 pixels, as JSON: {@code
     * {"count": n, "truncated": false, "features": [[classIndex, [x, y, ...], [hole...]], ...]}}.
     */
    byte[] query(int x0, int y0, int x1, int y1) throws IOException {
        if (x1 <= x0 || y1 <= y0) {
            throw ViewerException.badRequest("the box " + x0 + "," + y0 + "," + x1 + "," + y1 + " is empty");
        }
        BitSet seen = new BitSet(features.size());
        List<Feature> hits = new ArrayList<>();
        boolean truncated = false;
        int gx0 = Math.max(0, x0) / GRID;
        int gy0 = Math.max(0, y0) / GRID;
        int gx1 = Math.max(0, x1 - 1) / GRID;
        int gy1 = Math.max(0, y1 - 1) / GRID;
        outer:
        for (int gy = gy0; gy <= gy1; gy++) {
            for (int gx = gx0; gx <= gx1; gx++) {
                int[] ids = grid.get(key(gx, gy));
                if (ids == null) {
                    continue;
                }
                for (int id : ids) {
                    Feature f = features.get(id);
                    if (seen.get(id) || f.maxX() < x0 || f.minX() >= x1 || f.maxY() < y0 || f.minY() >= y1) {
                        continue;
                    }
                    seen.set(id);
                    if (hits.size() == MAX_PER_QUERY) {
                        truncated = true;
                        break outer;
                    }
                    hits.add(f);
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + hits.size() * 100);
        try (JsonGenerator out = FACTORY.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeNumberField("count", hits.size());
            out.writeBooleanField("truncated", truncated);
            out.writeArrayFieldStart("features");
            for (Feature f : hits) {
                out.writeStartArray();
                out.writeNumber(f.classIndex());
                for (int[] ring : f.rings()) {
                    out.writeArray(ring, 0, ring.length);
                }
                out.writeEndArray();
            }
            out.writeEndArray();
            out.writeEndObject();
        }
        return bytes.toByteArray();
    }
}
