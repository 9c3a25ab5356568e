package org.tessera.worker.tiling;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.tessera.slides.SlideLevel;

/**
 * Which pixels to analyse, in which tiles: an immutable plan computed from the slide's pyramid, its resolution and
 * (optionally) a tissue mask.
 *
 * <p>Analysis happens at a target resolution ({@code targetMpp}). The plan reads from the coarsest level that is still
 * at least as fine as the target (within {@link #RESOLUTION_TOLERANCE}), and resamples down by {@link #scale()} only
 * when that level is finer; it never upsamples. Tiles are {@code tileSize} analysis pixels square and step by {@code
 * tileSize - overlap}; tiles on the right and bottom edges hold less slide data and are padded by the consumer. With a
 * mask, tiles whose footprint holds less than {@code minTissueFraction} tissue are left out.
 *
 * @param level the pyramid level read from
 * @param scale level pixels per analysis pixel (1 when no resampling is needed, &gt; 1 otherwise)
 * @param analysisMpp micrometres per analysis pixel (the target, or the level's own when no resampling)
 * @param analysisWidth slide width in analysis pixels
 * @param analysisHeight slide height in analysis pixels
 * @param tileSize tile side in analysis pixels
 * @param overlap analysis pixels shared by neighbouring tiles
 * @param columns tiles across the whole slide (before the mask filter)
 * @param rows tiles down the whole slide (before the mask filter)
 * @param tiles the tiles to analyse, row by row
 */
public record TilePlan(
        int level,
        double scale,
        double analysisMpp,
        long analysisWidth,
        long analysisHeight,
        int tileSize,
        int overlap,
        int columns,
        int rows,
        List<Tile> tiles) {

    /** Relative mpp difference below which a level counts as being at the target resolution (no resampling). */
    public static final double RESOLUTION_TOLERANCE = 0.02;

    public TilePlan {
        tiles = List.copyOf(tiles);
    }

    /** Total tiles on the grid, with or without tissue. */
    public long gridSize() {
        return (long) columns * rows;
    }

    /**
     * What to plan.
     *
     * @param levels the slide's pyramid, level 0 first
     * @param levelZeroMpp micrometres per level-0 pixel
     * @param targetMpp the resolution the analysis wants
     * @param tileSize tile side in analysis pixels
     * @param overlap analysis pixels shared by neighbours, {@code 0 <= overlap < tileSize}
     * @param mask where tissue is, or null to plan every tile
     * @param minTissueFraction with a mask, the tissue share a tile needs to be kept ({@code 0} keeps any tile that
     *     touches tissue)
     */
    public record Request(
            List<SlideLevel> levels,
            double levelZeroMpp,
            double targetMpp,
            int tileSize,
            int overlap,
            TissueMask mask,
            double minTissueFraction) {

        public Request {
            Objects.requireNonNull(levels, "levels");
            if (levels.isEmpty()) {
                throw new IllegalArgumentException("a slide has at least one level");
            }
            if (!(levelZeroMpp > 0) || !(targetMpp > 0)) {
                throw new IllegalArgumentException(
                        "resolutions must be positive: level 0 " + levelZeroMpp + " µm/px, target " + targetMpp);
            }
            if (tileSize < 1 || overlap < 0 || overlap >= tileSize) {
                throw new IllegalArgumentException(
                        "need tileSize >= 1 and 0 <= overlap < tileSize, got " + tileSize + " / " + overlap);
            }
            if (minTissueFraction < 0 || minTissueFraction > 1) {
                throw new IllegalArgumentException("minTissueFraction must be within 0..1: " + minTissueFraction);
            }
            levels = List.copyOf(levels);
        }
    }

    public static TilePlan of(Request request) {
        List<SlideLevel> levels = request.levels();
        int level = chooseLevel(levels, request.levelZeroMpp(), request.targetMpp());
        SlideLevel source = levels.get(level);
        double levelMpp = request.levelZeroMpp() * source.downsample();
        double ratio = request.targetMpp() / levelMpp;
        boolean resample = ratio > 1 + RESOLUTION_TOLERANCE;
        double scale = resample ? ratio : 1;
        double analysisMpp = resample ? request.targetMpp() : levelMpp;

        long width = resample ? (long) Math.ceil(source.width() / scale - 1e-9) : source.width();
        long height = resample ? (long) Math.ceil(source.height() / scale - 1e-9) : source.height();
        int stride = request.tileSize() - request.overlap();
        int columns = gridCount(width, request.tileSize(), stride);
        int rows = gridCount(height, request.tileSize(), stride);
        // Level-0 pixels per analysis pixel, to place tiles on the mask.
        double toLevelZero = source.downsample() * scale;

        List<Tile> tiles = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            long y = (long) row * stride;
            int h = (int) Math.min(request.tileSize(), height - y);
            for (int column = 0; column < columns; column++) {
                long x = (long) column * stride;
                int w = (int) Math.min(request.tileSize(), width - x);
                if (request.mask() != null) {
                    double fraction = request.mask()
                            .tissueFraction(x * toLevelZero, y * toLevelZero, w * toLevelZero, h * toLevelZero);
                    boolean keep =
                            request.minTissueFraction() == 0 ? fraction > 0 : fraction >= request.minTissueFraction();
                    if (!keep) {
                        continue;
                    }
                }
                tiles.add(new Tile(column, row, x, y, w, h, readRegion(level, source, scale, x, y, w, h)));
            }
        }
        return new TilePlan(
                level, scale, analysisMpp, width, height, request.tileSize(), request.overlap(), columns, rows, tiles);
    }

    /** The coarsest level whose pixels are no larger than the target (within tolerance); level 0 if none is. */
    static int chooseLevel(List<SlideLevel> levels, double levelZeroMpp, double targetMpp) {
        int best = 0;
        for (int i = 1; i < levels.size(); i++) {
            double mpp = levelZeroMpp * levels.get(i).downsample();
            if (mpp <= targetMpp * (1 + RESOLUTION_TOLERANCE)
                    && levels.get(i).downsample() > levels.get(best).downsample()) {
                best = i;
            }
        }
        return best;
    }

    /** Tiles needed so that the last one reaches the edge; one tile when the image is smaller than a tile. */
    static int gridCount(long size, int tileSize, int stride) {
        if (size <= tileSize) {
            return 1;
        }
        long steps = (size - tileSize + stride - 1) / stride;
        return Math.toIntExact(steps + 1);
    }

    /** The level pixels an analysis rectangle needs: the smallest integer box covering it, clipped to the level. */
    private static Tile.Region readRegion(int level, SlideLevel source, double scale, long x, long y, int w, int h) {
        long lx = (long) Math.floor(x * scale + 1e-9);
        long ly = (long) Math.floor(y * scale + 1e-9);
        long lx1 = Math.min(source.width(), (long) Math.ceil((x + w) * scale - 1e-9));
        long ly1 = Math.min(source.height(), (long) Math.ceil((y + h) * scale - 1e-9));
        return new Tile.Region(level, lx, ly, Math.toIntExact(lx1 - lx), Math.toIntExact(ly1 - ly));
    }
}
