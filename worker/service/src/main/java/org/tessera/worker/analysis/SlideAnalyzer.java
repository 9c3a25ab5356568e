package org.tessera.worker.analysis;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.LongAdder;
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.models.ModelRegistry;
import org.tessera.models.NucleusDetectionModel;
import org.tessera.models.TissueSegmentationModel;
import org.tessera.models.cells.Cell;
import org.tessera.models.cells.CellClassifier;
import org.tessera.models.cells.CellExtractor;
import org.tessera.models.classes.MapClass;
import org.tessera.models.classes.QcClass;
import org.tessera.models.classes.TissueClass;
import org.tessera.models.stain.StainCorrection;
import org.tessera.slides.SlideReader;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.common.tracing.Spans;
import org.tessera.worker.inference.InferenceEngine;
import org.tessera.worker.inference.InferenceEngine.ModelSession;
import org.tessera.worker.tiling.Tile;
import org.tessera.worker.tiling.TilePipeline;
import org.tessera.worker.tiling.TilePlan;
import org.tessera.worker.tiling.TissueMask;

/**
 * Runs the models over a slide tile by tile, each tile stain-normalized first (the slide's stains estimated once, at
 * low resolution, by {@link SlideStains}, and mapped onto the reference the models were fitted on; a slide whose
 * stains cannot be estimated runs on its own colours and its result carries the warning): tissue QC and tissue segmentation at {@link #COARSE_MPP}, stitched into
 * whole-slide class maps from each tile's core; then, when asked, nucleus detection at {@link #CELL_MPP} on the tiles
 * that hold tissue, each cell reported once (by the tile whose core holds its centroid) and handed to a sink as soon
 * as its tile is done, so nothing per cell is kept. Before that pass the nucleus model runs on a dozen tiles spread over
 * the slide to measure the slide's eosin ratio, against which the ink screen judges every tile's outlines. Memory is bounded by the coarse maps and the pipeline queues.
 *
 * <p>Each model is a span beneath the caller's ({@code model <task>}): QC and segmentation run on the same coarse
 * tiles batch by batch, so their two spans cover the same pass and each adds the time spent in its own model.
 */
public final class SlideAnalyzer {

    public static final double COARSE_MPP = TissueSegmentationModel.ANALYSIS_MPP;
    public static final double CELL_MPP = NucleusDetectionModel.ANALYSIS_MPP;
    static final int COARSE_TILE = 256;
    static final int COARSE_OVERLAP = 32;
    static final int CELL_TILE = 512;
    /** Wider than the largest nucleus (about 20 µm), so a cell cut by one tile's edge lies whole in its neighbour. */
    static final int CELL_OVERLAP = 64;

    public static final List<MapClass> QC_CLASSES = List.of(QcClass.values());
    public static final List<MapClass> SEGMENTATION_CLASSES = List.of(TissueClass.values());

    /** Receives each cell once, in level-0 pixel coordinates, with the tissue class under its centroid. */
    @FunctionalInterface
    public interface CellSink {
        void accept(Cell cell, double[] levelZeroPolygon, double x, double y, TissueClass tissueClass)
                throws IOException;
    }

    /** The class maps of a slide, and what stain normalization did for it. */
    public record Result(ClassMap qc, ClassMap segmentation, long tiles, StainCorrection stain) {}

    private final InferenceEngine engine;
    private final ModelRegistry registry;
    private final Tracer tracer;

    public SlideAnalyzer(InferenceEngine engine, ModelRegistry registry) {
        this(engine, registry, Spans.NONE);
    }

    public SlideAnalyzer(InferenceEngine engine, ModelRegistry registry, Tracer tracer) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tracer = Objects.requireNonNull(tracer, "tracer");
    }

    /** The engine the models run on. */
    public InferenceEngine engine() {
        return engine;
    }

    /**
     * @param cells where cells go, or null to skip cell detection
     */
    public Result analyze(
            SlideReader reader, double mpp, String applicationId, String version, CellSink cells, ProgressSink progress)
            throws Exception {
        var info = reader.info();
        StainCorrection stain = SlideStains.estimate(reader, mpp);
        TilePlan coarse =
                TilePlan.of(new TilePlan.Request(info.levels(), mpp, COARSE_MPP, COARSE_TILE, COARSE_OVERLAP, null, 0));
        TilePlan cellPlan = null;
        int mapW = Math.toIntExact(coarse.analysisWidth());
        int mapH = Math.toIntExact(coarse.analysisHeight());
        byte[] qc = new byte[mapW * mapH];
        byte[] seg = new byte[mapW * mapH];
        long[] done = {0};
        long coarseTiles = coarse.tiles().size();
        long[] total = {coarseTiles};
        int batch = engine.settings().batchSize();
        TilePipeline<float[], Map<String, Object>> pipeline =
                new TilePipeline<>(decodeThreads(engine), batch, postThreads(engine), 2 * batch);

        Span qcSpan = modelSpan(ModelRegistry.TISSUE_QC, applicationId, version);
        Span segSpan = modelSpan(ModelRegistry.TISSUE_SEGMENTATION, applicationId, version);
        LongAdder qcNanos = new LongAdder();
        LongAdder segNanos = new LongAdder();
        try (ModelSession qcModel = engine.open(load(applicationId, version, ModelRegistry.TISSUE_QC));
                ModelSession segModel = engine.open(load(applicationId, version, ModelRegistry.TISSUE_SEGMENTATION))) {
            pipeline.run(
                    coarse.tiles(),
                    tile -> normalized(stain, TileDecoder.decode(reader, coarse, tile), COARSE_TILE),
                    inputs -> {
                        float[] rgb = TileDecoder.stack(inputs, COARSE_TILE);
                        long started = System.nanoTime();
                        Map<String, Object> q = qcModel.run(rgb, inputs.size(), COARSE_TILE, List.of("qc_class"));
                        long between = System.nanoTime();
                        Map<String, Object> s =
                                segModel.run(rgb, inputs.size(), COARSE_TILE, List.of("segmentation_class"));
                        qcNanos.add(between - started);
                        segNanos.add(System.nanoTime() - between);
                        return TileDecoder.split(
                                Map.of("qc", q.get("qc_class"), "seg", s.get("segmentation_class")), inputs.size());
                    },
                    (tile, out) -> {
                        int[] core = core(coarse, tile);
                        stitch((long[]) out.get("qc"), qc, tile, core, mapW);
                        stitch((long[]) out.get("seg"), seg, tile, core, mapW);
                    },
                    (d, t) -> progress.tiles(++done[0], total[0]));
        } catch (Exception | Error e) {
            Spans.failed(qcSpan, e);
            Spans.failed(segSpan, e);
            throw e;
        } finally {
            endModelSpan(qcSpan, coarseTiles, qcNanos);
            endModelSpan(segSpan, coarseTiles, segNanos);
        }
        double scale = info.levels().get(coarse.level()).downsample() * coarse.scale();
        ClassMap qcMap = new ClassMap(mapW, mapH, qc, scale, info.width(), info.height(), mpp, QC_CLASSES);
        ClassMap segMap = new ClassMap(mapW, mapH, seg, scale, info.width(), info.height(), mpp, SEGMENTATION_CLASSES);

        if (cells != null) {
            boolean[] tissue = new boolean[seg.length];
            for (int i = 0; i < seg.length; i++) {
                // Cells are counted in tissue that is neither ink nor glass.
                tissue[i] = seg[i] != TissueClass.BACKGROUND.value() && qc[i] != QcClass.PEN_MARK.value();
            }
            TissueMask mask = new TissueMask(mapW, mapH, scale, tissue);
            TilePlan plan =
                    TilePlan.of(new TilePlan.Request(info.levels(), mpp, CELL_MPP, CELL_TILE, CELL_OVERLAP, mask, 0));
            cellPlan = plan;
            total[0] = coarseTiles + plan.tiles().size();
            double toLevelZero = info.levels().get(plan.level()).downsample() * plan.scale();
            CellExtractor outliner = new CellExtractor(plan.analysisMpp(), CellClassifier.defaults());
            // Tiles finish out of plan order (parallel decoders); cells are written in plan order so that a repeated
            // attempt produces byte-identical files.
            InPlanOrder inOrder = new InPlanOrder(plan.tiles(), cells);
            Span cellSpan = modelSpan(ModelRegistry.CELL_DETECTION, applicationId, version);
            LongAdder cellNanos = new LongAdder();
            try (ModelSession nuclei = engine.open(load(applicationId, version, ModelRegistry.CELL_DETECTION))) {
                CellExtractor extractor =
                        outliner.withSlideReference(inkReference(reader, plan, stain, nuclei, outliner, cellNanos));
                pipeline.run(
                        plan.tiles(),
                        tile -> normalized(stain, TileDecoder.decode(reader, plan, tile), CELL_TILE),
                        inputs -> {
                            long started = System.nanoTime();
                            Map<String, Object> out = nuclei.run(
                                    TileDecoder.stack(inputs, CELL_TILE),
                                    inputs.size(),
                                    CELL_TILE,
                                    List.of("seeds", "stains"));
                            cellNanos.add(System.nanoTime() - started);
                            return TileDecoder.split(out, inputs.size());
                        },
                        (tile, out) -> {
                            int[] core = core(plan, tile);
                            int[] keep = {core[0], core[1], core[2], core[3]};
                            List<Cell> found = extractor.extract(
                                    (float[]) out.get("seeds"),
                                    (float[]) out.get("stains"),
                                    CELL_TILE,
                                    CELL_TILE,
                                    keep);
                            List<FoundCell> located = new ArrayList<>(found.size());
                            for (Cell c : found) {
                                double x = (tile.x() + c.x()) * toLevelZero;
                                double y = (tile.y() + c.y()) * toLevelZero;
                                int mx = Math.min(mapW - 1, (int) (x / scale));
                                int my = Math.min(mapH - 1, (int) (y / scale));
                                if (!tissue[my * mapW + mx]) {
                                    // A tile that touches tissue also holds glass and ink; what looks like a nucleus
                                    // there (a dot of marker ink, mostly) is none.
                                    continue;
                                }
                                double[] poly = new double[c.polygon().length];
                                for (int k = 0; k < poly.length; k += 2) {
                                    poly[k] = (tile.x() + c.polygon()[k]) * toLevelZero;
                                    poly[k + 1] = (tile.y() + c.polygon()[k + 1]) * toLevelZero;
                                }
                                TissueClass tc = TissueClass.of(seg[my * mapW + mx]);
                                located.add(new FoundCell(c, poly, x, y, tc));
                            }
                            located.sort(FoundCell.BY_POSITION);
                            inOrder.completed(tile, located);
                        },
                        (d, t) -> progress.tiles(++done[0], total[0]));
            } catch (Exception | Error e) {
                Spans.failed(cellSpan, e);
                throw e;
            } finally {
                endModelSpan(cellSpan, plan.tiles().size(), cellNanos);
            }
            inOrder.finish();
        }
        return new Result(
                qcMap,
                segMap,
                coarseTiles + (cellPlan == null ? 0 : cellPlan.tiles().size()),
                stain);
    }

    /**
     * The slide's eosin ratio for the ink screen ({@link CellExtractor#withSlideReference}): the nucleus model run on
     * {@link CellExtractor#referenceTiles} of the cell plan first, a dozen tiles whatever the slide's size.
     */
    private static OptionalDouble inkReference(
            SlideReader reader,
            TilePlan plan,
            StainCorrection stain,
            ModelSession nuclei,
            CellExtractor outliner,
            LongAdder nanos)
            throws Exception {
        List<Cell> outlines = new ArrayList<>();
        for (Tile tile : CellExtractor.referenceTiles(plan.tiles())) {
            float[] chw = normalized(stain, TileDecoder.decode(reader, plan, tile), CELL_TILE);
            long started = System.nanoTime();
            Map<String, Object> out = nuclei.run(chw, 1, CELL_TILE, List.of("seeds", "stains"));
            nanos.add(System.nanoTime() - started);
            outlines.addAll(
                    outliner.outlines((float[]) out.get("seeds"), (float[]) out.get("stains"), CELL_TILE, CELL_TILE));
        }
        return CellExtractor.slideReference(outlines);
    }

    private static float[] normalized(StainCorrection stain, float[] chw, int size) {
        stain.apply(chw, size * size);
        return chw;
    }

    /**
     * Tile decoders: two on CPU, where inference takes the cores; on a GPU, enough to keep it fed (all cores but the
     * inference and post-processing threads' share).
     */
    static int decodeThreads(InferenceEngine engine) {
        int cores = Runtime.getRuntime().availableProcessors();
        return engine.usesCuda() ? Math.max(2, cores - postThreads(engine) - 1) : 2;
    }

    /** Post-processors (stitching, cell outlines): one on CPU; on a GPU a quarter of the cores. */
    static int postThreads(InferenceEngine engine) {
        return engine.usesCuda() ? Math.max(1, Runtime.getRuntime().availableProcessors() / 4) : 1;
    }

    private Span modelSpan(String task, String applicationId, String version) {
        return tracer.spanBuilder("model " + task)
                .setAttribute(TraceAttributes.MODEL, task)
                .setAttribute(TraceAttributes.APPLICATION, applicationId)
                .setAttribute(TraceAttributes.APPLICATION_VERSION, version)
                .startSpan();
    }

    private static void endModelSpan(Span span, long tiles, LongAdder nanos) {
        span.setAttribute(TraceAttributes.TILES, tiles);
        span.setAttribute(TraceAttributes.INFERENCE_MS, nanos.sum() / 1e6);
        span.end();
    }

    private byte[] load(String applicationId, String version, String task) throws IOException {
        return registry.model(applicationId, version, task)
                .orElseThrow(() ->
                        new IllegalStateException("no model for " + task + " of " + applicationId + " " + version))
                .load();
    }

    /**
     * The part of a tile this tile answers for, in tile pixels (x0, y0, x1, y1): everything but half the overlap on
     * sides that have a neighbour, so cores tile the slide without gaps or double counting.
     */
    public static int[] core(TilePlan plan, Tile tile) {
        int half = plan.overlap() / 2;
        int x0 = tile.column() == 0 ? 0 : half;
        int y0 = tile.row() == 0 ? 0 : half;
        int x1 = tile.column() == plan.columns() - 1 ? tile.width() : Math.min(tile.width(), plan.tileSize() - half);
        int y1 = tile.row() == plan.rows() - 1 ? tile.height() : Math.min(tile.height(), plan.tileSize() - half);
        return new int[] {x0, y0, x1, y1};
    }

    private static void stitch(long[] classes, byte[] map, Tile tile, int[] core, int mapW) {
        int size = COARSE_TILE;
        for (int y = core[1]; y < core[3]; y++) {
            int row = (int) (tile.y() + y) * mapW;
            for (int x = core[0]; x < core[2]; x++) {
                map[row + (int) tile.x() + x] = (byte) classes[y * size + x];
            }
        }
    }

    /** A cell located on the slide, waiting for its tile's turn. */
    private record FoundCell(Cell cell, double[] polygon, double x, double y, TissueClass tissueClass) {
        static final Comparator<FoundCell> BY_POSITION =
                Comparator.comparingDouble(FoundCell::y).thenComparingDouble(FoundCell::x);
    }

    /**
     * Hands each tile's cells to the sink in plan order whatever order tiles complete in: a tile that completes early
     * waits here only until every tile before it has completed. Only the cells of tiles that overtook a slower one are
     * held; decoders take tiles in plan order, so that is the few tiles decoded while one tile is slow, never the
     * slide's cells. The hold is not capped: blocking the post-processor here could starve the inference stage of the
     * very tile it waits for.
     */
    static final class InPlanOrder {
        private final Map<Tile, Integer> positions;
        private final CellSink sink;
        private final Map<Integer, List<FoundCell>> waiting = new HashMap<>();
        private int next;

        InPlanOrder(List<Tile> tiles, CellSink sink) {
            this.positions = new IdentityHashMap<>(tiles.size());
            for (int i = 0; i < tiles.size(); i++) {
                positions.put(tiles.get(i), i);
            }
            this.sink = sink;
        }

        synchronized void completed(Tile tile, List<FoundCell> cells) throws IOException {
            Integer position = positions.get(tile);
            if (position == null) {
                throw new IllegalStateException("tile " + tile + " is not in the plan");
            }
            waiting.put(position, cells);
            for (List<FoundCell> ready; (ready = waiting.remove(next)) != null; next++) {
                for (FoundCell c : ready) {
                    sink.accept(c.cell(), c.polygon(), c.x(), c.y(), c.tissueClass());
                }
            }
        }

        /** Tiles still waiting here mean one never completed, which the pipeline would have reported as failure. */
        synchronized void finish() {
            if (next != positions.size() || !waiting.isEmpty()) {
                throw new IllegalStateException(
                        "cells of " + (positions.size() - next) + " tiles were never written in plan order");
            }
        }
    }
}
