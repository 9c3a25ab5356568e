package org.tessera.imaging.tiff;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a whole pyramidal tiled TIFF from a source of level-0 pixels, in one pass and with memory that does not
 * grow with the image: tiles are produced depth-first over the quadtree of levels, so at any moment only up to four
 * tiles per level are held, whatever the slide size. Level {@code k+1} is level {@code k} halved (rounding up), down
 * to the first level that fits in one tile.
 */
public final class TiffPyramidWriter {

    /** Produces level-0 pixels on demand. */
    @FunctionalInterface
    public interface RegionSource {
        /**
         * Fills {@code out} with the region's pixels, interleaved, row stride {@code width * samplesPerPixel}. Regions
         * are at most one tile and always inside the image.
         */
        void read(int x, int y, int width, int height, byte[] out) throws IOException;
    }

    /** How a 2x2 block of a level becomes one pixel of the next. */
    public enum Downsampling {
        /** Mean of the block: for photographs. */
        AVERAGE,
        /** The block's top-left pixel: for class maps, where a mean would invent classes. */
        NEAREST
    }

    /**
     * @param format classic TIFF, BigTIFF or chosen by size
     * @param tileSize tile width and height (multiple of 16)
     * @param samplesPerPixel 1 or 3
     * @param compression tile compression
     * @param photometric sample interpretation, see {@link TiffLevelSpec}
     * @param jpegQuality 0..1 for JPEG
     * @param imageDescription text for level 0's ImageDescription, or null
     * @param micronsPerPixel level-0 pixel size, or NaN when unknown; each level gets its own resolution tags
     * @param palette 256 colours for palette images, else null
     * @param downsampling how levels are reduced
     * @param background fill value for the padding of edge tiles
     */
    public record Options(
            TiffFormat format,
            int tileSize,
            int samplesPerPixel,
            TiffCompression compression,
            Photometric photometric,
            float jpegQuality,
            String imageDescription,
            double micronsPerPixel,
            int[] palette,
            Downsampling downsampling,
            int background) {

        public Options {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(downsampling, "downsampling");
            palette = palette == null ? null : palette.clone();
        }

        /** RGB photographs: JPEG (YCbCr 4:2:0) tiles of 256, white padding. */
        public static Options jpegRgb(float quality) {
            return new Options(
                    TiffFormat.AUTO,
                    256,
                    3,
                    TiffCompression.JPEG,
                    Photometric.YCBCR,
                    quality,
                    null,
                    Double.NaN,
                    null,
                    Downsampling.AVERAGE,
                    255);
        }

        /** Lossless RGB: deflate tiles. */
        public static Options deflateRgb() {
            return new Options(
                    TiffFormat.AUTO,
                    256,
                    3,
                    TiffCompression.DEFLATE,
                    Photometric.RGB,
                    0,
                    null,
                    Double.NaN,
                    null,
                    Downsampling.AVERAGE,
                    255);
        }

        /** Class maps: one byte per pixel, deflate, colours from the palette, levels by nearest neighbour. */
        public static Options classMap(int[] palette) {
            return new Options(
                    TiffFormat.AUTO,
                    256,
                    1,
                    TiffCompression.DEFLATE,
                    Photometric.PALETTE,
                    0,
                    null,
                    Double.NaN,
                    palette,
                    Downsampling.NEAREST,
                    0);
        }

        public Options withFormat(TiffFormat newFormat) {
            return new Options(
                    newFormat,
                    tileSize,
                    samplesPerPixel,
                    compression,
                    photometric,
                    jpegQuality,
                    imageDescription,
                    micronsPerPixel,
                    palette,
                    downsampling,
                    background);
        }

        public Options withTileSize(int newTileSize) {
            return new Options(
                    format,
                    newTileSize,
                    samplesPerPixel,
                    compression,
                    photometric,
                    jpegQuality,
                    imageDescription,
                    micronsPerPixel,
                    palette,
                    downsampling,
                    background);
        }

        public Options withDescription(String description) {
            return new Options(
                    format,
                    tileSize,
                    samplesPerPixel,
                    compression,
                    photometric,
                    jpegQuality,
                    description,
                    micronsPerPixel,
                    palette,
                    downsampling,
                    background);
        }

        public Options withMicronsPerPixel(double mpp) {
            return new Options(
                    format,
                    tileSize,
                    samplesPerPixel,
                    compression,
                    photometric,
                    jpegQuality,
                    imageDescription,
                    mpp,
                    palette,
                    downsampling,
                    background);
        }

        @Override
        public int[] palette() {
            return palette == null ? null : palette.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Options that
                    && format == that.format
                    && tileSize == that.tileSize
                    && samplesPerPixel == that.samplesPerPixel
                    && compression == that.compression
                    && photometric == that.photometric
                    && Float.compare(jpegQuality, that.jpegQuality) == 0
                    && Objects.equals(imageDescription, that.imageDescription)
                    && Double.compare(micronsPerPixel, that.micronsPerPixel) == 0
                    && Arrays.equals(palette, that.palette)
                    && downsampling == that.downsampling
                    && background == that.background;
        }

        @Override
        public int hashCode() {
            return Objects.hash(format, tileSize, samplesPerPixel, compression, photometric, imageDescription)
                    + 31 * Arrays.hashCode(palette);
        }

        @Override
        public String toString() {
            return "Options[" + format + ", tile " + tileSize + ", " + samplesPerPixel + " samples, " + compression
                    + ", " + photometric + ", " + downsampling + "]";
        }
    }

    /** Width and height of one written level. */
    public record LevelSize(int width, int height) {}

    /** Listens to tiles as they are written (e.g. to report progress); level-0 tiles count toward the total. */
    @FunctionalInterface
    public interface Progress {
        void tileWritten(int level, long levelZeroTilesDone, long levelZeroTilesTotal);

        Progress NONE = (level, done, total) -> {};
    }

    private final TiledTiffWriter writer;
    private final Options options;
    private final RegionSource source;
    private final Progress progress;
    private final List<TiffLevelSpec> specs;
    private final long levelZeroTiles;
    private long levelZeroDone;

    private TiffPyramidWriter(
            TiledTiffWriter writer,
            Options options,
            RegionSource source,
            Progress progress,
            List<TiffLevelSpec> specs) {
        this.writer = writer;
        this.options = options;
        this.source = source;
        this.progress = progress;
        this.specs = specs;
        this.levelZeroTiles = specs.getFirst().tileCount();
    }

    /** The level sizes a pyramid of this image will have. */
    public static List<LevelSize> levelSizes(int width, int height, int tileSize) {
        List<LevelSize> sizes = new ArrayList<>();
        int w = width;
        int h = height;
        sizes.add(new LevelSize(w, h));
        while (w > tileSize || h > tileSize) {
            w = (w + 1) / 2;
            h = (h + 1) / 2;
            sizes.add(new LevelSize(w, h));
        }
        return List.copyOf(sizes);
    }

    public static List<LevelSize> write(Path target, int width, int height, Options options, RegionSource source)
            throws IOException {
        return write(target, width, height, options, source, Progress.NONE, 1);
    }

    public static List<LevelSize> write(
            Path target, int width, int height, Options options, RegionSource source, Progress progress)
            throws IOException {
        return write(target, width, height, options, source, progress, 1);
    }

    /**
     * Writes the pyramid to {@code target}, replacing it. On failure the partial file is deleted.
     *
     * @param threads how many threads render and compress tiles; the source must be thread-safe when above 1. The
     *     file is byte-for-byte the same whatever the thread count.
     * @return the sizes of the levels written, level 0 first
     */
    public static List<LevelSize> write(
            Path target, int width, int height, Options options, RegionSource source, Progress progress, int threads)
            throws IOException {
        List<LevelSize> sizes = levelSizes(width, height, options.tileSize());
        List<TiffLevelSpec> specs = new ArrayList<>();
        for (int k = 0; k < sizes.size(); k++) {
            double downsample = (double) width / sizes.get(k).width();
            double pixelsPerCm = Double.isNaN(options.micronsPerPixel())
                    ? Double.NaN
                    : 10_000.0 / (options.micronsPerPixel() * downsample);
            specs.add(new TiffLevelSpec(
                    sizes.get(k).width(),
                    sizes.get(k).height(),
                    options.tileSize(),
                    options.samplesPerPixel(),
                    options.compression(),
                    options.photometric(),
                    options.jpegQuality(),
                    k == 0 ? options.imageDescription() : null,
                    pixelsPerCm,
                    k > 0,
                    options.palette()));
        }
        boolean done = false;
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
        try {
            try (TiledTiffWriter writer = TiledTiffWriter.create(target, options.format())) {
                specs.forEach(writer::addLevel);
                TiffPyramidWriter pyramid = new TiffPyramidWriter(writer, options, source, progress, specs);
                int top = specs.size() - 1;
                Splitter splitter =
                        pool == null ? null : pyramid.new Splitter(Math.min(SPLIT_LEVEL, top), pool, threads);
                TileOutput output = pyramid::writeEncoded;
                TiffLevelSpec topSpec = specs.get(top);
                for (int row = 0; row < topSpec.tilesDown(); row++) {
                    for (int column = 0; column < topSpec.tilesAcross(); column++) {
                        pyramid.produce(top, column, row, output, splitter);
                    }
                }
            }
            done = true;
            return sizes;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
            if (!done) {
                java.nio.file.Files.deleteIfExists(target);
            }
        }
    }

    // Parallel work is cut into subtrees rooted at this level: 4^3 = 64 level-0 tiles each.
    private static final int SPLIT_LEVEL = 3;

    /** Receives compressed tiles in the order they are produced (children before their parent). */
    @FunctionalInterface
    private interface TileOutput {
        void put(int level, int column, int row, byte[] encoded) throws IOException;
    }

    private void writeEncoded(int level, int column, int row, byte[] encoded) throws IOException {
        writer.writeEncodedTile(level, column, row, encoded);
        if (level == 0) {
            levelZeroDone++;
        }
        progress.tileWritten(level, levelZeroDone, levelZeroTiles);
    }

    /**
     * Produces tile (column, row) of a level, building it from its children below level 0, hands it compressed to
     * {@code output} and returns its pixels. With a splitter, subtrees at its level come from other threads.
     */
    private byte[] produce(int level, int column, int row, TileOutput output, Splitter splitter) throws IOException {
        if (splitter != null && level == splitter.level) {
            return splitter.take(column, row, output);
        }
        TiffLevelSpec spec = specs.get(level);
        int size = spec.tileSize();
        int bands = spec.samplesPerPixel();
        byte[] tile = new byte[spec.tileBytes()];
        Arrays.fill(tile, (byte) options.background());
        if (level == 0) {
            int x = column * size;
            int y = row * size;
            int w = Math.min(size, spec.width() - x);
            int h = Math.min(size, spec.height() - y);
            byte[] region = new byte[w * h * bands];
            source.read(x, y, w, h, region);
            for (int r = 0; r < h; r++) {
                System.arraycopy(region, r * w * bands, tile, r * size * bands, w * bands);
            }
        } else {
            TiffLevelSpec below = specs.get(level - 1);
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    int childColumn = 2 * column + dx;
                    int childRow = 2 * row + dy;
                    if (childColumn < below.tilesAcross() && childRow < below.tilesDown()) {
                        byte[] child = produce(level - 1, childColumn, childRow, output, splitter);
                        int childWidth = Math.min(size, below.width() - childColumn * size);
                        int childHeight = Math.min(size, below.height() - childRow * size);
                        reduceInto(child, childWidth, childHeight, tile, dx * size / 2, dy * size / 2, size, bands);
                    }
                }
            }
        }
        output.put(level, column, row, TileEncoder.encode(spec, tile));
        return tile;
    }

    /**
     * Runs the subtrees rooted at one level on a pool, a bounded window ahead of the writer, and hands them over in
     * exactly the order the sequential traversal would reach them, so the file does not depend on thread timing.
     */
    private final class Splitter {
        private final int level;
        private final ExecutorService pool;
        private final int window;
        private final List<int[]> order = new ArrayList<>();
        private final ArrayDeque<Future<Subtree>> pending = new ArrayDeque<>();
        private int submitted;

        Splitter(int level, ExecutorService pool, int threads) {
            this.level = level;
            this.pool = pool;
            this.window = 2 * threads;
            int top = specs.size() - 1;
            TiffLevelSpec topSpec = specs.get(top);
            for (int row = 0; row < topSpec.tilesDown(); row++) {
                for (int column = 0; column < topSpec.tilesAcross(); column++) {
                    collect(top, column, row);
                }
            }
        }

        private void collect(int at, int column, int row) {
            if (at == level) {
                order.add(new int[] {column, row});
                return;
            }
            TiffLevelSpec below = specs.get(at - 1);
            for (int dy = 0; dy < 2; dy++) {
                for (int dx = 0; dx < 2; dx++) {
                    if (2 * column + dx < below.tilesAcross() && 2 * row + dy < below.tilesDown()) {
                        collect(at - 1, 2 * column + dx, 2 * row + dy);
                    }
                }
            }
        }

        byte[] take(int column, int row, TileOutput output) throws IOException {
            while (submitted < order.size() && pending.size() < window) {
                int[] node = order.get(submitted++);
                pending.add(pool.submit(() -> {
                    List<EncodedTile> tiles = new ArrayList<>();
                    byte[] top = produce(
                            level,
                            node[0],
                            node[1],
                            (l, c, r, encoded) -> tiles.add(new EncodedTile(l, c, r, encoded)),
                            null);
                    return new Subtree(node[0], node[1], tiles, top);
                }));
            }
            Subtree subtree;
            try {
                subtree = pending.remove().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while writing a pyramid");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException(e.getCause());
            }
            if (subtree.column() != column || subtree.row() != row) {
                throw new IllegalStateException("subtree order broken at " + column + "," + row);
            }
            for (EncodedTile tile : subtree.tiles()) {
                output.put(tile.level(), tile.column(), tile.row(), tile.bytes());
            }
            return subtree.top();
        }
    }

    private record EncodedTile(int level, int column, int row, byte[] bytes) {}

    private record Subtree(int column, int row, List<EncodedTile> tiles, byte[] top) {}

    private void reduceInto(
            byte[] child, int childWidth, int childHeight, byte[] parent, int ox, int oy, int size, int bands) {
        int outWidth = (childWidth + 1) / 2;
        int outHeight = (childHeight + 1) / 2;
        int stride = size * bands;
        boolean nearest = options.downsampling() == Downsampling.NEAREST;
        for (int py = 0; py < outHeight; py++) {
            int y0 = 2 * py;
            int y1 = Math.min(y0 + 1, childHeight - 1);
            int parentRow = (oy + py) * stride + ox * bands;
            for (int px = 0; px < outWidth; px++) {
                int x0 = 2 * px;
                int x1 = Math.min(x0 + 1, childWidth - 1);
                for (int b = 0; b < bands; b++) {
                    int value;
                    if (nearest) {
                        value = child[y0 * stride + x0 * bands + b] & 0xFF;
                    } else {
                        // Clamping repeats the last row/column at odd edges, which keeps the mean unbiased there.
                        int sum = (child[y0 * stride + x0 * bands + b] & 0xFF)
                                + (child[y0 * stride + x1 * bands + b] & 0xFF)
                                + (child[y1 * stride + x0 * bands + b] & 0xFF)
                                + (child[y1 * stride + x1 * bands + b] & 0xFF);
                        value = (sum + 2) >> 2;
                    }
                    parent[parentRow + px * bands + b] = (byte) value;
                }
            }
        }
    }
}
