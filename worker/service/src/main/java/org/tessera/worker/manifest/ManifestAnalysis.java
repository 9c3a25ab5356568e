package org.tessera.worker.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.tessera.contracts.manifest.ApplicationManifest;
import org.tessera.contracts.manifest.ArtifactKind;
import org.tessera.contracts.manifest.ManifestTask;
import org.tessera.contracts.manifest.ModelInput;
import org.tessera.contracts.manifest.ModelOutput;
import org.tessera.models.cells.Cell;
import org.tessera.models.cells.CellClassifier;
import org.tessera.models.cells.CellExtractor;
import org.tessera.models.classes.MapClass;
import org.tessera.slides.SlideInfo;
import org.tessera.slides.SlideReader;
import org.tessera.worker.analysis.ClassMap;
import org.tessera.worker.analysis.SlideAnalyzer;
import org.tessera.worker.analysis.TileDecoder;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.inference.InferenceEngine;
import org.tessera.worker.output.ClassAreaCsvWriter;
import org.tessera.worker.output.GeoJsonWriter;
import org.tessera.worker.output.SegmentationMapWriter;
import org.tessera.worker.tiling.Tile;
import org.tessera.worker.tiling.TilePipeline;
import org.tessera.worker.tiling.TilePlan;

/**
 * Runs the tasks of a manifest-described application version over a slide, with no Java per model: each task's model
 * goes through the platform's tile plan (at the model's resolution, tile size and overlap) and tile pipeline, and its
 * output is turned into artifacts by the platform's writers. A class map is stitched from each tile's core into one
 * whole-slide map (kept at no finer than {@link #CLASS_MAP_MPP} µm per pixel, so memory stays bounded) and written as a
 * palette TIFF, GeoJSON regions and class areas; detections are found in each tile's core, outlined when the manifest
 * names a stain output, and streamed to GeoJSON and CSV in plan order, so a repeated attempt writes the same files.
 */
public final class ManifestAnalysis {

    /** The finest resolution a manifest's class map is kept at (µm per map pixel). */
    public static final double CLASS_MAP_MPP = 2.0;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A written artifact: its name, file, media type and the metadata clients see (null when none). */
    public record Output(String name, Path file, String mediaType, ObjectNode metadata) {}

    private final InferenceEngine engine;
    private final ModelCache models;

    public ManifestAnalysis(InferenceEngine engine, ModelCache models) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.models = Objects.requireNonNull(models, "models");
    }

    /**
     * Runs every task of the manifest on an open slide and writes its artifacts into {@code dir}, in the manifest's
     * order.
     *
     * @param mpp the slide's level-0 resolution
     */
    public List<Output> analyze(
            SlideReader reader, double mpp, ApplicationManifest manifest, UUID itemId, Path dir, ProgressSink progress)
            throws Exception {
        SlideInfo info = reader.info();
        List<TilePlan> plans = new ArrayList<>();
        long total = 0;
        for (ManifestTask task : manifest.tasks()) {
            ModelInput input = task.model().input();
            TilePlan plan = TilePlan.of(
                    new TilePlan.Request(info.levels(), mpp, input.mpp(), input.tileSize(), input.overlap(), null, 0));
            plans.add(plan);
            total += plan.tiles().size();
        }
        long[] done = {0};
        long allTiles = total;
        TilePipeline.Progress tiles = (d, t) -> progress.tiles(++done[0], allTiles);
        List<Output> outputs = new ArrayList<>();
        for (int i = 0; i < manifest.tasks().size(); i++) {
            ManifestTask task = manifest.tasks().get(i);
            TilePlan plan = plans.get(i);
            byte[] model = models.load(task.model());
            try (ManifestSession session =
                    ManifestSession.open(engine, model, task.model().input())) {
                if (ModelOutput.CLASS_MAP.equals(task.model().output().kind())) {
                    ClassMap map = classMap(reader, info, mpp, plan, task, session, tiles);
                    outputs.addAll(writeClassMap(map, task, itemId, dir));
                } else {
                    outputs.addAll(detections(reader, info, mpp, plan, task, session, itemId, dir, tiles));
                }
            }
        }
        return outputs;
    }

    private TilePipeline<float[], Map<String, Object>> pipeline(ManifestSession session) {
        int batch = session.batchSize(engine.settings().batchSize());
        return new TilePipeline<>(2, batch, 1, 2 * batch);
    }

    private ClassMap classMap(
            SlideReader reader,
            SlideInfo info,
            double mpp,
            TilePlan plan,
            ManifestTask task,
            ManifestSession session,
            TilePipeline.Progress progress)
            throws Exception {
        ModelOutput output = task.model().output();
        int size = plan.tileSize();
        int k = Math.max(1, (int) Math.round(CLASS_MAP_MPP / plan.analysisMpp()));
        long analysisW = plan.analysisWidth();
        long analysisH = plan.analysisHeight();
        int mapW = Math.toIntExact((analysisW + k - 1) / k);
        int mapH = Math.toIntExact((analysisH + k - 1) / k);
        byte[] values = new byte[Math.multiplyExact(mapW, mapH)];
        int classes = output.classes().size();
        boolean labels = ModelOutput.LABELS.equals(output.encoding());
        pipeline(session)
                .run(
                        plan.tiles(),
                        tile -> TileDecoder.decode(reader, plan, tile),
                        inputs -> TileDecoder.split(
                                session.run(TileDecoder.stack(inputs, size), inputs.size(), List.of(output.tensor())),
                                inputs.size()),
                        (tile, out) -> {
                            Object raw = out.get(output.tensor());
                            int[] core = SlideAnalyzer.core(plan, tile);
                            long gx0 = tile.x() + core[0];
                            long gy0 = tile.y() + core[1];
                            long gx1 = tile.x() + core[2];
                            long gy1 = tile.y() + core[3];
                            // Each map pixel takes the class of the analysis pixel at its centre (clamped to the
                            // slide); the tile whose core holds that pixel sets it.
                            for (int my = (int) (gy0 / k); my <= Math.min(mapH - 1, gy1 / k); my++) {
                                long cy = Math.min(analysisH - 1, (long) my * k + k / 2);
                                if (cy < gy0 || cy >= gy1) {
                                    continue;
                                }
                                int ty = (int) (cy - tile.y());
                                for (int mx = (int) (gx0 / k); mx <= Math.min(mapW - 1, gx1 / k); mx++) {
                                    long cx = Math.min(analysisW - 1, (long) mx * k + k / 2);
                                    if (cx < gx0 || cx >= gx1) {
                                        continue;
                                    }
                                    int tx = (int) (cx - tile.x());
                                    int value = labels
                                            ? label((long[]) raw, ty * size + tx, classes)
                                            : argmax((float[]) raw, ty * size + tx, size * size, classes);
                                    values[my * mapW + mx] = (byte) value;
                                }
                            }
                        },
                        progress);
        double scale = info.levels().get(plan.level()).downsample() * plan.scale() * k;
        return new ClassMap(mapW, mapH, values, scale, info.width(), info.height(), mpp, ManifestClass.of(output));
    }

    private static int label(long[] values, int index, int classes) {
        long v = values[index];
        if (v < 0 || v >= classes) {
            throw new IllegalStateException("model gave class value " + v + "; the manifest names " + classes);
        }
        return (int) v;
    }

    private static int argmax(float[] scores, int index, int plane, int classes) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (scores[c * plane + index] > scores[best * plane + index]) {
                best = c;
            }
        }
        return best;
    }

    private static List<Output> writeClassMap(ClassMap map, ManifestTask task, UUID itemId, Path dir)
            throws IOException {
        List<Output> outputs = new ArrayList<>();
        for (String artifact : task.artifacts()) {
            ArtifactKind kind = ArtifactKind.of(artifact).orElseThrow();
            Output output = output(dir, task, kind, null);
            switch (kind) {
                case SEGMENTATION_MAP_IMAGE -> {
                    SegmentationMapWriter.write(map, output.file());
                    output = output(dir, task, kind, SegmentationMapWriter.metadata(map));
                }
                case GEOJSON_POLYGONS -> GeoJsonWriter.write(map, output.file(), itemId + "/" + task.id());
                case CSV_CLASS_INFORMATION -> ClassAreaCsvWriter.write(map, output.file());
                case SLIDE_READOUTS -> JSON.writeValue(output.file().toFile(), classAreas(map, task));
                case CSV_DETECTIONS -> throw new IllegalStateException(artifact + " is not written from a class map");
            }
            outputs.add(output);
        }
        return outputs;
    }

    /** Per class its area in mm² and its share of the slide. */
    private static ObjectNode classAreas(ClassMap map, ManifestTask task) {
        double[] area = new double[map.classes().size()];
        double all = 0;
        for (int y = 0; y < map.height(); y++) {
            for (int x = 0; x < map.width(); x++) {
                double a = map.levelZeroArea(x, y);
                area[map.valueAt(x, y)] += a;
                all += a;
            }
        }
        double mm2PerPixel = map.slideMpp() * map.slideMpp() / 1e6;
        ObjectNode readouts = JsonNodeFactory.instance.objectNode();
        readouts.put("task", task.id());
        readouts.put("slide_area_mm2", DetectionWriter.round(all * mm2PerPixel));
        var classes = readouts.putArray("classes");
        for (MapClass c : map.classes()) {
            ObjectNode row = classes.addObject();
            row.put("class", c.displayName());
            row.put("area_mm2", Math.round(area[c.value()] * mm2PerPixel * 1e4) / 1e4);
            row.put("percent", all > 0 ? DetectionWriter.round(100 * area[c.value()] / all) : 0);
        }
        return readouts;
    }

    private List<Output> detections(
            SlideReader reader,
            SlideInfo info,
            double mpp,
            TilePlan plan,
            ManifestTask task,
            ManifestSession session,
            UUID itemId,
            Path dir,
            TilePipeline.Progress progress)
            throws Exception {
        ModelOutput output = task.model().output();
        List<MapClass> classes = ManifestClass.of(output);
        int size = plan.tileSize();
        int plane = size * size;
        float threshold = (float) output.thresholdOrDefault();
        String stainTensor =
                output.outlines() == null ? null : output.outlines().tensor();
        List<String> tensors = stainTensor == null ? List.of(output.tensor()) : List.of(output.tensor(), stainTensor);
        double toLevelZero = info.levels().get(plan.level()).downsample() * plan.scale();
        CellExtractor outliner = stainTensor == null
                ? null
                : inkReferenced(
                        reader, plan, session, tensors, output.tensor(), stainTensor, classes.size(), threshold);
        Path geojson = task.artifacts().contains(ArtifactKind.GEOJSON_POLYGONS.id())
                ? output(dir, task, ArtifactKind.GEOJSON_POLYGONS, null).file()
                : null;
        Path csv = task.artifacts().contains(ArtifactKind.CSV_DETECTIONS.id())
                ? output(dir, task, ArtifactKind.CSV_DETECTIONS, null).file()
                : null;
        DetectionWriter writer = new DetectionWriter(classes, geojson, csv, itemId + "/" + task.id());
        try (writer) {
            InPlanOrder inOrder = new InPlanOrder(plan.tiles(), writer);
            pipeline(session)
                    .run(
                            plan.tiles(),
                            tile -> TileDecoder.decode(reader, plan, tile),
                            inputs -> TileDecoder.split(
                                    session.run(TileDecoder.stack(inputs, size), inputs.size(), tensors),
                                    inputs.size()),
                            (tile, out) -> {
                                float[] scores = (float[]) out.get(output.tensor());
                                float[] stains = stainTensor == null ? null : (float[]) out.get(stainTensor);
                                int[] core = SlideAnalyzer.core(plan, tile);
                                List<DetectionWriter.Detection> found = new ArrayList<>();
                                for (int c = 0; c < classes.size(); c++) {
                                    if (stains == null) {
                                        points(scores, c, plane, size, threshold, core, tile, toLevelZero, found);
                                    } else {
                                        float[] seeds = seeds(scores, c, plane, threshold);
                                        for (Cell cell : outliner.extract(seeds, stains, size, size, core)) {
                                            double[] polygon = new double[cell.polygon().length];
                                            for (int p = 0; p < polygon.length; p += 2) {
                                                polygon[p] = (tile.x() + cell.polygon()[p]) * toLevelZero;
                                                polygon[p + 1] = (tile.y() + cell.polygon()[p + 1]) * toLevelZero;
                                            }
                                            found.add(new DetectionWriter.Detection(
                                                    c,
                                                    (tile.x() + cell.x()) * toLevelZero,
                                                    (tile.y() + cell.y()) * toLevelZero,
                                                    polygon,
                                                    cell.areaUm2()));
                                        }
                                    }
                                }
                                found.sort(Comparator.comparingDouble(DetectionWriter.Detection::y)
                                        .thenComparingDouble(DetectionWriter.Detection::x)
                                        .thenComparingInt(DetectionWriter.Detection::classValue));
                                inOrder.completed(tile, found);
                            },
                            progress);
            inOrder.finish();
        }
        List<Output> outputs = new ArrayList<>();
        for (String artifact : task.artifacts()) {
            ArtifactKind kind = ArtifactKind.of(artifact).orElseThrow();
            switch (kind) {
                case GEOJSON_POLYGONS, CSV_DETECTIONS -> {
                    ObjectNode metadata = JsonNodeFactory.instance.objectNode();
                    metadata.put("object_count", writer.count());
                    outputs.add(output(dir, task, kind, metadata));
                }
                case SLIDE_READOUTS -> {
                    Output readouts = output(dir, task, kind, null);
                    double areaMm2 = (double) info.width() * info.height() * mpp * mpp / 1e6;
                    JSON.writeValue(readouts.file().toFile(), writer.readouts(task.id(), areaMm2));
                    outputs.add(readouts);
                }
                default -> throw new IllegalStateException(artifact + " is not written from detections");
            }
        }
        return outputs;
    }

    /**
     * The outliner for a model that gives stains, its ink screen judging against the slide's eosin ratio as the
     * built-in analysis does ({@link CellExtractor#withSlideReference}): the model run first on
     * {@link CellExtractor#referenceTiles} of the plan, the outlines of every class's seeds measured.
     */
    private static CellExtractor inkReferenced(
            SlideReader reader,
            TilePlan plan,
            ManifestSession session,
            List<String> tensors,
            String scoreTensor,
            String stainTensor,
            int classCount,
            float threshold)
            throws Exception {
        CellExtractor outliner = new CellExtractor(plan.analysisMpp(), CellClassifier.defaults());
        int size = plan.tileSize();
        int plane = size * size;
        List<Cell> outlines = new ArrayList<>();
        for (Tile tile : CellExtractor.referenceTiles(plan.tiles())) {
            Map<String, Object> out = session.run(TileDecoder.decode(reader, plan, tile), 1, tensors);
            float[] scores = (float[]) out.get(scoreTensor);
            float[] stains = (float[]) out.get(stainTensor);
            for (int c = 0; c < classCount; c++) {
                outlines.addAll(outliner.outlines(seeds(scores, c, plane, threshold), stains, size, size));
            }
        }
        return outliner.withSlideReference(CellExtractor.slideReference(outlines));
    }

    /** The seeds of class {@code c}: 1 where its channel of {@code scores} is above the threshold, else 0. */
    private static float[] seeds(float[] scores, int c, int plane, float threshold) {
        float[] seeds = new float[plane];
        for (int i = 0; i < plane; i++) {
            seeds[i] = scores[c * plane + i] > threshold ? 1 : 0;
        }
        return seeds;
    }

    /** Centres without outlines: every pixel of the core above the threshold in the class's channel. */
    private static void points(
            float[] scores,
            int c,
            int plane,
            int size,
            float threshold,
            int[] core,
            Tile tile,
            double toLevelZero,
            List<DetectionWriter.Detection> found) {
        for (int y = core[1]; y < core[3]; y++) {
            for (int x = core[0]; x < core[2]; x++) {
                if (scores[c * plane + y * size + x] > threshold) {
                    found.add(new DetectionWriter.Detection(
                            c, (tile.x() + x) * toLevelZero, (tile.y() + y) * toLevelZero, null, 0));
                }
            }
        }
    }

    private static Output output(Path dir, ManifestTask task, ArtifactKind kind, ObjectNode metadata) {
        String name = task.artifactName(kind.id());
        String extension = switch (kind) {
            case SEGMENTATION_MAP_IMAGE -> ".tiff";
            case GEOJSON_POLYGONS -> ".geojson";
            case CSV_CLASS_INFORMATION, CSV_DETECTIONS -> ".csv";
            case SLIDE_READOUTS -> ".json";
        };
        return new Output(name, dir.resolve(name.replace(':', '_') + extension), kind.mediaType(), metadata);
    }

    /**
     * Hands each tile's detections to the writer in plan order whatever order tiles complete in (the platform's
     * decoders run in parallel); holds only the detections of tiles that overtook a slower one.
     */
    static final class InPlanOrder {
        private final Map<Tile, Integer> positions;
        private final DetectionWriter writer;
        private final Map<Integer, List<DetectionWriter.Detection>> waiting = new HashMap<>();
        private int next;

        InPlanOrder(List<Tile> tiles, DetectionWriter writer) {
            this.positions = new IdentityHashMap<>(tiles.size());
            for (int i = 0; i < tiles.size(); i++) {
                positions.put(tiles.get(i), i);
            }
            this.writer = writer;
        }

        synchronized void completed(Tile tile, List<DetectionWriter.Detection> detections) throws IOException {
            Integer position = positions.get(tile);
            if (position == null) {
                throw new IllegalStateException("tile " + tile + " is not in the plan");
            }
            waiting.put(position, detections);
            for (List<DetectionWriter.Detection> ready; (ready = waiting.remove(next)) != null; next++) {
                for (DetectionWriter.Detection d : ready) {
                    writer.accept(d);
                }
            }
        }

        synchronized void finish() {
            if (next != positions.size() || !waiting.isEmpty()) {
                throw new IllegalStateException(
                        "detections of " + (positions.size() - next) + " tiles were never written in plan order");
            }
        }
    }
}
