package org.tessera.slides;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The pyramid a TIFF without one lacks (a plain striped TIFF, a single tiled image): each level half the one above,
 * down to one tile, built on first use by streaming the full-resolution level once, top to bottom, and halving it
 * level after level into a scratch file of raw RGB tiles. Memory stays at a band of rows per level, and a few bands
 * of the full-resolution level decoding ahead, whatever the slide's size; the scratch file takes about a third of the
 * full-resolution level's RGB bytes, at most {@code maxScratchBytes}: when the whole pyramid would take more, its
 * finest levels are left out (reads then resample a coarser level or the full-resolution one). The file lies in the scratch directory (next to the slide, in the
 * worker's per-item directory), opened with DELETE_ON_CLOSE, which on Linux unlinks it at once: its space is freed
 * when the reader closes or the process ends, however it ends.
 *
 * <p>Thread-safe: the first read builds (other readers wait), later reads are positional reads of the file.
 */
final class GeneratedLevels implements AutoCloseable {

    /** Tile side of the scratch file. */
    static final int TILE = 256;

    private static final int TILE_BYTES = TILE * TILE * 3;
    private static final byte WHITE = (byte) 0xFF;

    /** The full-resolution level, read band by band from the top. */
    interface BandSource {
        /** Rows per band (the last band may hold fewer). */
        int bandRows();

        /** Fills {@code argb} with band {@code band}: {@code width x bandRows()} pixels, row-major. */
        void read(int band, int[] argb) throws SlideFormatException, IOException;
    }

    /** One stored level: its size and where its tiles start in the scratch file. */
    private record Stored(int width, int height, int tilesAcross, int tilesDown, long offset) {
        long bytes() {
            return (long) tilesAcross * tilesDown * TILE_BYTES;
        }
    }

    private final int width;
    private final int height;
    private final int skipped;
    private final List<Stored> levels;
    private final Path scratchDirectory;
    private final String name;
    private FileChannel channel;
    private volatile boolean built;

    private GeneratedLevels(
            int width, int height, int skipped, List<Stored> levels, Path scratchDirectory, String name) {
        this.width = width;
        this.height = height;
        this.skipped = skipped;
        this.levels = levels;
        this.scratchDirectory = scratchDirectory;
        this.name = name;
    }

    /**
     * Plans the levels below a {@code width x height} image: halvings down to one tile, the finest dropped while the
     * rest would take more than {@code maxScratchBytes}. Nothing is written until the first read.
     */
    static GeneratedLevels plan(int width, int height, long maxScratchBytes, Path scratchDirectory, String name) {
        List<int[]> sizes = new ArrayList<>();
        int w = width;
        int h = height;
        while (Math.max(w, h) > TILE) {
            w = (w + 1) / 2;
            h = (h + 1) / 2;
            sizes.add(new int[] {w, h});
        }
        int skipped = 0;
        while (skipped < sizes.size() && bytes(sizes.subList(skipped, sizes.size())) > maxScratchBytes) {
            skipped++;
        }
        List<Stored> levels = new ArrayList<>();
        long offset = 0;
        for (int[] size : sizes.subList(skipped, sizes.size())) {
            Stored level = new Stored(size[0], size[1], tiles(size[0]), tiles(size[1]), offset);
            levels.add(level);
            offset += level.bytes();
        }
        return new GeneratedLevels(width, height, skipped, List.copyOf(levels), scratchDirectory, name);
    }

    private static long bytes(List<int[]> sizes) {
        long total = 0;
        for (int[] size : sizes) {
            total += (long) tiles(size[0]) * tiles(size[1]) * TILE_BYTES;
        }
        return total;
    }

    private static int tiles(int side) {
        return (side + TILE - 1) / TILE;
    }

    /** The levels, finest first, as the slide's levels below the full-resolution one. */
    List<SlideLevel> slideLevels() {
        return levels.stream()
                .map(l -> new SlideLevel(l.width(), l.height(), (double) width / l.width()))
                .toList();
    }

    /** Bytes the scratch file takes once built. */
    long scratchBytes() {
        return levels.isEmpty()
                ? 0
                : levels.getLast().offset() + levels.getLast().bytes();
    }

    /** Reads a region of generated level {@code index} (0 = the finest) into {@code argb}, building first if needed. */
    void read(int index, int x, int y, int w, int h, int[] argb, BandSource source)
            throws SlideFormatException, IOException {
        if (!built) {
            build(source);
        }
        Stored level = levels.get(index);
        byte[] tile = new byte[TILE_BYTES];
        for (int ty = y / TILE; ty <= (y + h - 1) / TILE; ty++) {
            for (int tx = x / TILE; tx <= (x + w - 1) / TILE; tx++) {
                readFully(tile, level.offset() + ((long) ty * level.tilesAcross() + tx) * TILE_BYTES);
                int left = Math.max(x, tx * TILE);
                int right = Math.min(x + w, (tx + 1) * TILE);
                int top = Math.max(y, ty * TILE);
                int bottom = Math.min(y + h, (ty + 1) * TILE);
                for (int row = top; row < bottom; row++) {
                    int in = ((row - ty * TILE) * TILE + (left - tx * TILE)) * 3;
                    int out = (row - y) * w + (left - x);
                    for (int i = 0; i < right - left; i++, in += 3) {
                        argb[out + i] = 0xFF000000
                                | (tile[in] & 0xFF) << 16
                                | (tile[in + 1] & 0xFF) << 8
                                | (tile[in + 2] & 0xFF);
                    }
                }
            }
        }
    }

    private synchronized void build(BandSource source) throws SlideFormatException, IOException {
        if (built) {
            return;
        }
        long needed = scratchBytes();
        long usable = Files.getFileStore(scratchDirectory).getUsableSpace();
        if (usable < needed) {
            // The platform's disk, not the slide: a system error, retried (perhaps on another worker).
            throw new IOException("building the pyramid of " + name + " needs " + needed + " bytes of scratch space in "
                    + scratchDirectory + ", only " + usable + " are free");
        }
        Path file = Files.createTempFile(scratchDirectory, ".pyramid-", ".rgb");
        channel = FileChannel.open(
                file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
        boolean done = false;
        try {
            Halving first = chain();
            int rows = source.bandRows();
            int bands = (height + rows - 1) / rows;
            try (BandsAhead ahead = new BandsAhead(source, bands, Math.multiplyExact(width, rows))) {
                for (int b = 0; b < bands; b++) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedIOException("building the pyramid of " + name + " was interrupted");
                    }
                    int[] band = ahead.take(b);
                    for (int row = 0; row < Math.min(rows, height - b * rows); row++) {
                        first.row(band, row * width);
                    }
                    ahead.recycle(band);
                }
            }
            first.finish();
            done = true;
            built = true;
        } finally {
            if (!done) {
                channel.close();
                channel = null;
            }
        }
    }

    /**
     * Decodes the bands ahead of the halving, on as many threads as there are cores (up to four): decoding is most of
     * the work, halving and writing follow in order on the building thread. At most two bands per thread are held.
     */
    private static final class BandsAhead implements AutoCloseable {
        private final BandSource source;
        private final int bands;
        private final int pixels;
        private final ExecutorService threads;
        private final int depth;
        private final ArrayDeque<Future<int[]>> pending = new ArrayDeque<>();
        private final ConcurrentLinkedQueue<int[]> free = new ConcurrentLinkedQueue<>();
        private int next;

        BandsAhead(BandSource source, int bands, int pixels) {
            this.source = source;
            this.bands = bands;
            this.pixels = pixels;
            int cores = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
            this.threads = Executors.newFixedThreadPool(
                    cores,
                    Thread.ofPlatform().name("pyramid-band-", 0).daemon(true).factory());
            this.depth = 2 * cores;
        }

        /** Band {@code band}, the next in order. */
        int[] take(int band) throws SlideFormatException, IOException {
            while (next < bands && pending.size() < depth) {
                int b = next++;
                pending.add(threads.submit(() -> {
                    int[] buffer = free.poll();
                    buffer = buffer != null ? buffer : new int[pixels];
                    source.read(b, buffer);
                    return buffer;
                }));
            }
            Future<int[]> decoded = pending.poll();
            if (decoded == null) {
                throw new IllegalStateException("band " + band + " was never asked for");
            }
            try {
                return decoded.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while decoding band " + band);
            } catch (ExecutionException e) {
                switch (e.getCause()) {
                    case SlideFormatException format -> throw format;
                    case IOException io -> throw io;
                    case RuntimeException runtime -> throw runtime;
                    case Error error -> throw error;
                    default -> throw new IOException("decoding band " + band + " failed", e.getCause());
                }
            }
        }

        void recycle(int[] band) {
            free.add(band);
        }

        @Override
        public void close() {
            // Not interrupted: a thread interrupted in a read would close the slide's channel for every reader.
            pending.forEach(f -> f.cancel(false));
            threads.shutdown();
        }
    }

    /** Halvings from the full-resolution level down to the coarsest stored level, storing the stored ones. */
    private Halving chain() {
        Halving next = null;
        int count = skipped + levels.size();
        int[] widths = new int[count + 1];
        widths[0] = width;
        for (int i = 1; i <= count; i++) {
            widths[i] = (widths[i - 1] + 1) / 2;
        }
        for (int i = count; i >= 1; i--) {
            Store store = i > skipped ? new Store(levels.get(i - skipped - 1)) : null;
            next = new Halving(widths[i - 1], widths[i], store, next);
        }
        return next;
    }

    /** Halves rows two at a time: each output pixel is the mean of a 2x2 block (a 2x1 or 1x2 one at odd edges). */
    private final class Halving {
        private final int inWidth;
        private final int[] pending;
        private final int[] out;
        private final Store store;
        private final Halving next;
        private boolean hasPending;

        Halving(int inWidth, int outWidth, Store store, Halving next) {
            this.inWidth = inWidth;
            this.pending = new int[inWidth];
            this.out = new int[outWidth];
            this.store = store;
            this.next = next;
        }

        void row(int[] argb, int offset) throws IOException {
            if (!hasPending) {
                System.arraycopy(argb, offset, pending, 0, inWidth);
                hasPending = true;
                return;
            }
            average(pending, 0, argb, offset);
            hasPending = false;
            emit();
        }

        void finish() throws IOException {
            if (hasPending) {
                average(pending, 0, pending, 0);
                hasPending = false;
                emit();
            }
            if (store != null) {
                store.finish();
            }
            if (next != null) {
                next.finish();
            }
        }

        private void average(int[] top, int topOffset, int[] bottom, int bottomOffset) {
            for (int x = 0; x < out.length; x++) {
                int x0 = 2 * x;
                int x1 = Math.min(x0 + 1, inWidth - 1);
                int a = top[topOffset + x0];
                int b = top[topOffset + x1];
                int c = bottom[bottomOffset + x0];
                int d = bottom[bottomOffset + x1];
                int r = (((a >> 16) & 0xFF) + ((b >> 16) & 0xFF) + ((c >> 16) & 0xFF) + ((d >> 16) & 0xFF) + 2) >> 2;
                int g = (((a >> 8) & 0xFF) + ((b >> 8) & 0xFF) + ((c >> 8) & 0xFF) + ((d >> 8) & 0xFF) + 2) >> 2;
                int bl = ((a & 0xFF) + (b & 0xFF) + (c & 0xFF) + (d & 0xFF) + 2) >> 2;
                out[x] = 0xFF000000 | r << 16 | g << 8 | bl;
            }
        }

        private void emit() throws IOException {
            if (store != null) {
                store.row(out);
            }
            if (next != null) {
                next.row(out, 0);
            }
        }
    }

    /** Collects one level's rows into a band of tiles and writes each full band to the scratch file. */
    private final class Store {
        private final Stored level;
        private final byte[] band;
        private final byte[] tile = new byte[TILE_BYTES];
        private int rowsInBand;
        private int tileRow;

        Store(Stored level) {
            this.level = level;
            this.band = new byte[level.width() * TILE * 3];
        }

        void row(int[] argb) throws IOException {
            int at = rowsInBand * level.width() * 3;
            for (int x = 0; x < level.width(); x++, at += 3) {
                int p = argb[x];
                band[at] = (byte) (p >> 16);
                band[at + 1] = (byte) (p >> 8);
                band[at + 2] = (byte) p;
            }
            if (++rowsInBand == TILE) {
                flush();
            }
        }

        void finish() throws IOException {
            if (rowsInBand > 0) {
                flush();
            }
        }

        private void flush() throws IOException {
            int rowBytes = level.width() * 3;
            for (int tx = 0; tx < level.tilesAcross(); tx++) {
                int columns = Math.min(TILE, level.width() - tx * TILE);
                Arrays.fill(tile, WHITE);
                for (int row = 0; row < rowsInBand; row++) {
                    System.arraycopy(band, row * rowBytes + tx * TILE * 3, tile, row * TILE * 3, columns * 3);
                }
                long at = level.offset() + ((long) tileRow * level.tilesAcross() + tx) * TILE_BYTES;
                ByteBuffer buffer = ByteBuffer.wrap(tile);
                while (buffer.hasRemaining()) {
                    at += channel.write(buffer, at);
                }
            }
            rowsInBand = 0;
            tileRow++;
        }
    }

    private void readFully(byte[] target, long at) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(target);
        long position = at;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException("the scratch pyramid of " + name + " ends early");
            }
            position += n;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        built = false;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
