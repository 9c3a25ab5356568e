package org.tessera.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tessera.bytes.RemoteSourceException;
import org.tessera.imaging.jpeg.JpegEncoder;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideInfo;
import org.tessera.slides.SlideLevel;
import org.tessera.slides.SlideReader;

/**
 * One slide as the viewer shows it: its tiles ({@value #TILE}-pixel JPEGs of the slide's own levels, decoded by the
 * worker's readers), its class maps, its GeoJSON features by box and its readouts. Answers the viewer API's paths
 * below an item ({@link #respond}); the orchestrator and the embeddable {@link ViewerServer} both put it behind HTTP.
 * Overlays are read on first use and kept until the session is closed. Thread-safe.
 */
public final class ViewerSession implements AutoCloseable {

    /** Tile side in pixels of the level the tile belongs to. */
    public static final int TILE = 256;

    private static final float JPEG_QUALITY = 0.8f;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TILE_PATH = Pattern.compile("tiles/(\\d{1,2})/(\\d{1,6})/(\\d{1,6})\\.jpg");
    private static final Pattern MAP_PATH = Pattern.compile("maps/([A-Za-z0-9_:.-]{1,200})\\.png");
    private static final Pattern MAP_INFO_PATH = Pattern.compile("maps/([A-Za-z0-9_:.-]{1,200})\\.json");
    private static final Pattern FEATURES_PATH = Pattern.compile("features/([A-Za-z0-9_:.-]{1,200})\\.json");

    private final String title;
    private final SlideReader slide;
    private final Map<String, ViewerOutput> outputs = new LinkedHashMap<>();
    private final Map<String, String> facts;
    private final Map<String, Object> loaded = new ConcurrentHashMap<>();

    /**
     * @param title how the page names the slide, e.g. the item's external id
     * @param slide the open slide; closing the session closes it
     * @param outputs the item's result files (any kind; those the viewer cannot show are left out)
     * @param facts lines the page shows about where the slide is read from, e.g. {@code source} and {@code expires_at}
     */
    public ViewerSession(String title, SlideReader slide, List<ViewerOutput> outputs, Map<String, String> facts) {
        this.title = title;
        this.slide = slide;
        for (ViewerOutput output : outputs) {
            if (output.kind() != null) {
                this.outputs.put(output.name(), output);
            }
        }
        this.facts = Map.copyOf(facts);
    }

    /**
     * Answers {@code path} below the item: {@code info}, {@code tiles/{level}/{col}/{row}.jpg}, {@code
     * maps/{output}.png?hide=1,2}, {@code maps/{output}.json} (its size and scale), {@code features/{output}.json?bbox=x0,y0,x1,y1}. Failures come back as the JSON
     * error the page shows.
     */
    public ViewerResponse respond(String path, Map<String, String> query) {
        try {
            if (path.equals("info")) {
                return new ViewerResponse(200, ViewerResponse.JSON, info(), false);
            }
            Matcher m = TILE_PATH.matcher(path);
            if (m.matches()) {
                return new ViewerResponse(
                        200,
                        "image/jpeg",
                        tile(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))),
                        true);
            }
            m = MAP_PATH.matcher(path);
            if (m.matches()) {
                return new ViewerResponse(200, "image/png", map(m.group(1), hidden(query.get("hide"))), true);
            }
            m = MAP_INFO_PATH.matcher(path);
            if (m.matches()) {
                return new ViewerResponse(200, ViewerResponse.JSON, mapInfo(m.group(1)), true);
            }
            m = FEATURES_PATH.matcher(path);
            if (m.matches()) {
                int[] box = box(query.get("bbox"));
                return new ViewerResponse(
                        200, ViewerResponse.JSON, features(m.group(1)).query(box[0], box[1], box[2], box[3]), true);
            }
            throw ViewerException.notFound("the viewer has no '" + path + "'");
        } catch (Exception e) {
            return ViewerResponse.error(error(e));
        }
    }

    /** What a failure means to the person viewing: expired URL, missing file, unreadable slide, or ours. */
    public static ViewerException error(Exception e) {
        if (e instanceof ViewerException v) {
            return v;
        }
        if (e instanceof RemoteSourceException r) {
            return switch (r.reason()) {
                case EXPIRED -> new ViewerException(410, "SLIDE_URL_EXPIRED", r.getMessage(), r);
                case NOT_FOUND -> new ViewerException(404, "SLIDE_NOT_FOUND", r.getMessage(), r);
                case CHANGED -> new ViewerException(409, "SLIDE_CHANGED", r.getMessage(), r);
                case NO_RANGE_SUPPORT -> new ViewerException(502, "SLIDE_STORAGE_NO_RANGES", r.getMessage(), r);
                case UNAVAILABLE -> new ViewerException(502, "SLIDE_STORAGE_UNAVAILABLE", r.getMessage(), r);
            };
        }
        if (e instanceof SlideFormatException f) {
            return new ViewerException(422, "SLIDE_UNREADABLE", f.getMessage(), f);
        }
        return new ViewerException(
                500,
                "VIEWER_FAILED",
                "the viewer could not answer: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                e);
    }

    public SlideReader slide() {
        return slide;
    }

    /** Levels, microns per pixel, tile size, overlays and readouts, as JSON. */
    public byte[] info() throws IOException {
        SlideInfo info = slide.info();
        ObjectNode root = JSON.createObjectNode();
        root.put("title", title);
        root.put("width", info.width());
        root.put("height", info.height());
        if (info.mpp().isPresent()) {
            root.put("mpp", info.mpp().getAsDouble());
        } else {
            root.putNull("mpp");
        }
        root.put("tile_size", TILE);
        root.put("format", info.format());
        root.put("backend", slide.backend());
        ArrayNode levels = root.putArray("levels");
        for (SlideLevel level : info.levels()) {
            levels.addObject()
                    .put("width", level.width())
                    .put("height", level.height())
                    .put("downsample", level.downsample());
        }
        ArrayNode maps = root.putArray("maps");
        ArrayNode features = root.putArray("features");
        ArrayNode readouts = root.putArray("readouts");
        for (ViewerOutput output : outputs.values()) {
            switch (output.kind()) {
                case MAP -> {
                    ObjectNode map = maps.addObject().put("name", output.name()).put("title", output.title());
                    classes(map.putArray("classes"), ViewerClasses.of(output.name()));
                }
                case FEATURES -> {
                    ObjectNode f = features.addObject()
                            .put("name", output.name())
                            .put("title", output.title())
                            .put("kind", output.name().startsWith("cell_") ? "cells" : "polygons");
                    classes(f.putArray("classes"), indexed(ViewerClasses.of(output.name())));
                }
                case READOUTS -> readouts(readouts.addObject(), output);
            }
        }
        ObjectNode source = root.putObject("source");
        facts.forEach(source::put);
        return JSON.writeValueAsBytes(root);
    }

    /** Feature classes are numbered by position (the features answer uses that index). */
    private static List<ViewerClasses.Entry> indexed(List<ViewerClasses.Entry> classes) {
        List<ViewerClasses.Entry> out = new ArrayList<>();
        for (ViewerClasses.Entry c : classes) {
            out.add(new ViewerClasses.Entry(out.size(), c.name(), c.color()));
        }
        return out;
    }

    private static void classes(ArrayNode into, List<ViewerClasses.Entry> classes) {
        for (ViewerClasses.Entry c : classes) {
            into.addObject().put("value", c.value()).put("name", c.name()).put("color", c.color());
        }
    }

    private static void readouts(ObjectNode into, ViewerOutput output) throws IOException {
        into.put("name", output.name()).put("title", output.title());
        List<String> lines = Files.readAllLines(output.file().path(), StandardCharsets.UTF_8);
        ArrayNode rows = into.putArray("rows");
        ArrayNode columns = into.putArray("columns");
        for (int i = 0; i < lines.size() && i <= 500; i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] cells = lines.get(i).split(",", -1);
            ArrayNode target = i == 0 ? columns : rows.addArray();
            for (String cell : cells) {
                target.add(cell.strip());
            }
        }
    }

    /** A tile of level {@code level}: {@value #TILE} pixels square, smaller at the right and bottom edges. */
    public byte[] tile(int level, int col, int row) throws IOException, SlideFormatException {
        List<SlideLevel> levels = slide.info().levels();
        if (level >= levels.size()) {
            throw ViewerException.notFound("the slide has levels 0.." + (levels.size() - 1) + ", not " + level);
        }
        SlideLevel l = levels.get(level);
        long x = (long) col * TILE;
        long y = (long) row * TILE;
        if (x >= l.width() || y >= l.height()) {
            throw ViewerException.notFound("tile " + col + "," + row + " lies outside level " + level + " (" + l.width()
                    + "x" + l.height() + ")");
        }
        int w = (int) Math.min(TILE, l.width() - x);
        int h = (int) Math.min(TILE, l.height() - y);
        BufferedImage image = slide.readRegion(level, (int) x, (int) y, w, h);
        return JpegEncoder.encode(image, JPEG_QUALITY, JpegEncoder.Subsampling.YCBCR_420);
    }

    private byte[] map(String name, Set<Integer> hidden) throws IOException {
        ViewerOutput output = output(name, ViewerOutput.Kind.MAP);
        ClassMapOverlay map = (ClassMapOverlay)
                load(output, () -> ClassMapOverlay.read(output.file().path(), name));
        return map.png(hidden);
    }

    private FeatureIndex features(String name) throws IOException {
        ViewerOutput output = output(name, ViewerOutput.Kind.FEATURES);
        return (FeatureIndex) load(output, () -> FeatureIndex.read(output.file().path(), name));
    }

    /** The map's geometry for the page: its size and level-0 pixels per map pixel. */
    public byte[] mapInfo(String name) throws IOException {
        ViewerOutput output = output(name, ViewerOutput.Kind.MAP);
        ClassMapOverlay map = (ClassMapOverlay)
                load(output, () -> ClassMapOverlay.read(output.file().path(), name));
        ObjectNode geometry = JSON.createObjectNode().put("width", map.width()).put("height", map.height());
        if (Double.isNaN(map.scale())) {
            geometry.putNull("scale");
        } else {
            geometry.put("scale", map.scale());
        }
        return JSON.writeValueAsBytes(geometry);
    }

    @FunctionalInterface
    private interface Loader {
        Object load() throws IOException;
    }

    private Object load(ViewerOutput output, Loader loader) throws IOException {
        Object value = loaded.get(output.name());
        if (value != null) {
            return value;
        }
        synchronized (loaded) {
            value = loaded.get(output.name());
            if (value == null) {
                value = loader.load();
                loaded.put(output.name(), value);
            }
            return value;
        }
    }

    private ViewerOutput output(String name, ViewerOutput.Kind kind) {
        ViewerOutput output = outputs.get(name);
        if (output == null || output.kind() != kind) {
            throw ViewerException.notFound("the item has no " + kind.name().toLowerCase(java.util.Locale.ROOT)
                    + " output '" + name + "' (it has " + outputs.keySet() + ")");
        }
        return output;
    }

    private static Set<Integer> hidden(String hide) {
        Set<Integer> values = new HashSet<>();
        if (hide == null || hide.isBlank()) {
            return values;
        }
        for (String v : hide.split(",")) {
            try {
                values.add(Integer.parseInt(v.strip()));
            } catch (NumberFormatException e) {
                throw ViewerException.badRequest("hide: class values are integers, got '" + v + "'");
            }
        }
        return values;
    }

    private static int[] box(String bbox) {
        String[] parts = bbox == null ? new String[0] : bbox.split(",");
        if (parts.length != 4) {
            throw ViewerException.badRequest("bbox: give x0,y0,x1,y1 in level-0 pixels, got '" + bbox + "'");
        }
        int[] box = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                box[i] = (int) Math.round(Double.parseDouble(parts[i].strip()));
            } catch (NumberFormatException e) {
                throw ViewerException.badRequest("bbox: '" + parts[i] + "' is not a number");
            }
        }
        return box;
    }

    @Override
    public void close() throws IOException {
        slide.close();
    }
}
