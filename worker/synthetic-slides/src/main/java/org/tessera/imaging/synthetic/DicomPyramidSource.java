package org.tessera.imaging.synthetic;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.tessera.dicom.DicomTileSource;
import org.tessera.imaging.tiff.TiffPyramidWriter;

/**
 * Feeds the DICOM writer, which asks for every tile of level 0 in row-major order, then every tile of level 1, and
 * so on. Level-0 tiles are rendered a bounded window ahead on a pool; each finished row of tiles is halved into a band
 * of the next level, and every completed tile of levels 1 and up is kept, deflated, in a scratch file per level until
 * the writer asks for it. Memory holds one band per level (a tile high, the level wide) whatever the slide size; disk
 * holds the lower levels once (a third of level 0's pixels, compressed).
 *
 * <p>Tiles with neither tissue nor ink are "empty": with {@code sparse} they are returned as null, so a TILED_SPARSE
 * instance leaves them out. Not thread-safe: the writer calls it from one thread.
 */
final class DicomPyramidSource implements DicomTileSource, Closeable {

    private record Rendered(byte[] rgb, int width, int height, boolean content) {}

    private final SlideRenderer renderer;
    private final int tile;
    private final boolean sparse;
    private final List<TiffPyramidWriter.LevelSize> sizes;
    private final ExecutorService pool;
    private final int window;
    private final ArrayDeque<Future<Rendered>> pending = new ArrayDeque<>();
    private final Band[] bands;
    private final Spill[] spills;
    private long submitted;
    private long consumed;

    DicomPyramidSource(
            SlideRenderer renderer, int width, int height, int tile, boolean sparse, Path scratch, int threads)
            throws IOException {
        this.renderer = renderer;
        this.tile = tile;
        this.sparse = sparse;
        this.sizes = TiffPyramidWriter.levelSizes(width, height, tile);
        this.pool = Executors.newFixedThreadPool(Math.max(1, threads));
        this.window = 4 * Math.max(1, threads);
        this.bands = new Band[sizes.size()];
        this.spills = new Spill[sizes.size()];
        for (int level = 1; level < sizes.size(); level++) {
            bands[level] = new Band(sizes.get(level).width());
            spills[level] = new Spill(scratch.resolve("level-" + level + ".tiles"), across(level) * down(level));
        }
    }

    private int across(int level) {
        return (sizes.get(level).width() + tile - 1) / tile;
    }

    private int down(int level) {
        return (sizes.get(level).height() + tile - 1) / tile;
    }

    @Override
    public BufferedImage tile(int level, int tileX, int tileY) throws IOException {
        Rendered rendered =
                level == 0 ? nextLevelZero(tileX, tileY) : spills[level].read(tileY * across(level) + tileX);
        if (level == 0 && sizes.size() > 1) {
            feed(1, tileX, tileY, rendered);
        }
        if (sparse && !rendered.content()) {
            return null;
        }
        return image(rendered);
    }

    private Rendered nextLevelZero(int tileX, int tileY) throws IOException {
        long index = (long) tileY * across(0) + tileX;
        if (index != consumed) {
            throw new IllegalStateException("level-0 tiles must be asked for in row-major order: got (" + tileX + ", "
                    + tileY + ") as tile " + consumed);
        }
        long total = (long) across(0) * down(0);
        while (submitted < total && pending.size() < window) {
            int x = (int) (submitted % across(0));
            int y = (int) (submitted / across(0));
            pending.add(pool.submit(() -> render(x, y)));
            submitted++;
        }
        consumed++;
        try {
            return pending.remove().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while rendering a tile");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("rendering tile (" + tileX + ", " + tileY + ") failed", e.getCause());
        }
    }

    private Rendered render(int tileX, int tileY) {
        int x = tileX * tile;
        int y = tileY * tile;
        int w = Math.min(tile, sizes.getFirst().width() - x);
        int h = Math.min(tile, sizes.getFirst().height() - y);
        byte[] rgb = new byte[3 * w * h];
        boolean content = renderer.render(x, y, w, h, rgb);
        return new Rendered(rgb, w, h, content);
    }

    /** Halves a finished tile of level {@code level - 1} into the band of {@code level}; flushes full bands. */
    private void feed(int level, int childX, int childY, Rendered child) throws IOException {
        Band band = bands[level];
        int outWidth = (child.width() + 1) / 2;
        int outHeight = (child.height() + 1) / 2;
        int ox = childX * tile / 2;
        int oy = (childY % 2) * tile / 2;
        byte[] in = child.rgb();
        int inStride = 3 * child.width();
        int bandStride = 3 * band.width;
        for (int py = 0; py < outHeight; py++) {
            int y0 = 2 * py;
            int y1 = Math.min(y0 + 1, child.height() - 1);
            for (int px = 0; px < outWidth; px++) {
                int x0 = 2 * px;
                int x1 = Math.min(x0 + 1, child.width() - 1);
                for (int c = 0; c < 3; c++) {
                    // Clamping repeats the last row/column at odd edges, as the TIFF pyramid writer does.
                    int sum = (in[y0 * inStride + 3 * x0 + c] & 0xFF)
                            + (in[y0 * inStride + 3 * x1 + c] & 0xFF)
                            + (in[y1 * inStride + 3 * x0 + c] & 0xFF)
                            + (in[y1 * inStride + 3 * x1 + c] & 0xFF);
                    band.pixels[(oy + py) * bandStride + 3 * (ox + px) + c] = (byte) ((sum + 2) >> 2);
                }
            }
        }
        band.content[childX / 2] |= child.content();
        boolean lastColumn = childX == across(level - 1) - 1;
        boolean rowPairDone = childY % 2 == 1 || childY == down(level - 1) - 1;
        if (lastColumn && rowPairDone) {
            flush(level, childY / 2);
        }
    }

    private void flush(int level, int row) throws IOException {
        Band band = bands[level];
        int levelWidth = sizes.get(level).width();
        int h = Math.min(tile, sizes.get(level).height() - row * tile);
        for (int column = 0; column < across(level); column++) {
            int w = Math.min(tile, levelWidth - column * tile);
            byte[] rgb = new byte[3 * w * h];
            for (int y = 0; y < h; y++) {
                System.arraycopy(band.pixels, 3 * (y * levelWidth + column * tile), rgb, 3 * y * w, 3 * w);
            }
            Rendered done = new Rendered(rgb, w, h, band.content[column]);
            spills[level].write(row * across(level) + column, done);
            if (level + 1 < sizes.size()) {
                feed(level + 1, column, row, done);
            }
        }
        Arrays.fill(band.content, false);
    }

    private static BufferedImage image(Rendered rendered) {
        BufferedImage image = new BufferedImage(rendered.width(), rendered.height(), BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        byte[] rgb = rendered.rgb();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (rgb[3 * i] & 0xFF) << 16 | (rgb[3 * i + 1] & 0xFF) << 8 | (rgb[3 * i + 2] & 0xFF);
        }
        return image;
    }

    @Override
    public void close() throws IOException {
        pool.shutdownNow();
        IOException failure = null;
        for (Spill spill : spills) {
            if (spill != null) {
                try {
                    spill.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** One row of tiles of a level being assembled from the level above it. */
    private final class Band {
        final int width;
        final byte[] pixels;
        final boolean[] content;

        Band(int width) {
            this.width = width;
            this.pixels = new byte[3 * width * tile];
            this.content = new boolean[(width + tile - 1) / tile];
        }
    }

    /** Finished tiles of one level, deflated into a scratch file that is deleted on close. */
    private final class Spill implements Closeable {
        private final Path file;
        private final FileChannel channel;
        private final long[] offsets;
        private final int[] lengths;
        private final int[] widths;
        private final int[] heights;
        private final boolean[] content;
        private long end;

        Spill(Path file, int tiles) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(
                    file,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            this.offsets = new long[tiles];
            this.lengths = new int[tiles];
            this.widths = new int[tiles];
            this.heights = new int[tiles];
            this.content = new boolean[tiles];
        }

        void write(int index, Rendered tileData) throws IOException {
            // Level 1 and below are a third of the pixels; the fastest deflate keeps the scratch file small enough.
            Deflater deflater = new Deflater(Deflater.BEST_SPEED);
            byte[] packed;
            try {
                deflater.setInput(tileData.rgb());
                deflater.finish();
                byte[] buffer = new byte[tileData.rgb().length + 64];
                int n = 0;
                while (!deflater.finished()) {
                    if (n == buffer.length) {
                        buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    }
                    n += deflater.deflate(buffer, n, buffer.length - n);
                }
                packed = Arrays.copyOf(buffer, n);
            } finally {
                deflater.end();
            }
            ByteBuffer bytes = ByteBuffer.wrap(packed);
            long at = end;
            while (bytes.hasRemaining()) {
                at += channel.write(bytes, at);
            }
            offsets[index] = end;
            lengths[index] = packed.length;
            widths[index] = tileData.width();
            heights[index] = tileData.height();
            content[index] = tileData.content();
            end = at;
        }

        Rendered read(int index) throws IOException {
            if (lengths[index] == 0) {
                throw new IllegalStateException("tile " + index + " of " + file.getFileName() + " was never written");
            }
            ByteBuffer bytes = ByteBuffer.allocate(lengths[index]);
            long at = offsets[index];
            while (bytes.hasRemaining()) {
                int n = channel.read(bytes, at);
                if (n < 0) {
                    throw new IOException(file + " ends early");
                }
                at += n;
            }
            byte[] rgb = new byte[3 * widths[index] * heights[index]];
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(bytes.array());
                int n = 0;
                while (n < rgb.length && !inflater.finished()) {
                    n += inflater.inflate(rgb, n, rgb.length - n);
                }
            } catch (DataFormatException e) {
                throw new IOException("scratch tile " + index + " of " + file + " is corrupt", e);
            } finally {
                inflater.end();
            }
            return new Rendered(rgb, widths[index], heights[index], content[index]);
        }

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
