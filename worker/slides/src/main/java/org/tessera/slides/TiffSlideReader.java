package org.tessera.slides;

import static org.tessera.slides.TiffDirectory.IMAGE_DESCRIPTION;
import static org.tessera.slides.TiffDirectory.IMAGE_LENGTH;
import static org.tessera.slides.TiffDirectory.IMAGE_WIDTH;
import static org.tessera.slides.TiffDirectory.JPEG_TABLES;
import static org.tessera.slides.TiffDirectory.RESOLUTION_UNIT;
import static org.tessera.slides.TiffDirectory.ROWS_PER_STRIP;
import static org.tessera.slides.TiffDirectory.STRIP_BYTE_COUNTS;
import static org.tessera.slides.TiffDirectory.STRIP_OFFSETS;
import static org.tessera.slides.TiffDirectory.TILE_BYTE_COUNTS;
import static org.tessera.slides.TiffDirectory.TILE_LENGTH;
import static org.tessera.slides.TiffDirectory.TILE_OFFSETS;
import static org.tessera.slides.TiffDirectory.TILE_WIDTH;
import static org.tessera.slides.TiffDirectory.X_RESOLUTION;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.tessera.bytes.ByteSource;
import org.tessera.bytes.FileByteSource;
import org.tessera.slides.SlideFormatException.Code;

/**
 * Reads a TIFF, BigTIFF or Aperio SVS slide: a tiled pyramid (every tiled image of decreasing size and the same aspect
 * is a level; untiled ones after the first, such as Aperio's thumbnail, label and macro, are skipped), or a plain image
 * in strips or a single tiled image, whose lower levels are then built on first use ({@link GeneratedLevels}). Reads
 * only the tiles or strips a region needs; strips, which span the image, are kept in a bounded {@link StripCache}.
 * JPEG tiles (what slide scanners write) are read at their offset and decoded by a pooled JPEG decoder; none, LZW,
 * deflate and PackBits are decompressed here. Every size a file declares (image, tile, strip, table) is checked against
 * the {@link SlideLimits} before anything is allocated for it, and every layout against what is decoded ({@link
 * TiffLayout}). Thread-safe: the file is read with positional reads and decoders are pooled per thread. The bytes come
 * from a {@link ByteSource}: the worker's local file, or the viewer's signed URL read with range requests.
 */
final class TiffSlideReader implements SlideReader {

    /** None, LZW, JPEG, deflate, PackBits, deflate (old code): what this reader decodes. */
    static final Set<Integer> SUPPORTED_COMPRESSIONS = Set.of(1, 5, 7, 8, 32773, 32946);

    private static final int WHITE = 0xFFFFFFFF;
    // An image whose aspect ratio differs more than this from level 0 is not part of the pyramid (e.g. a label).
    private static final double ASPECT_TOLERANCE = 0.02;
    // A lone image smaller than this needs no pyramid below it.
    private static final int PYRAMID_ABOVE = 1024;

    /**
     * Where one level's tiles are. A striped level is a column of tiles as wide as the image, one per strip.
     *
     * @param jpegPrefix for abbreviated JPEG streams, the shared tables to put before each tile
     */
    private record Level(
            int width,
            int height,
            int tileWidth,
            int tileHeight,
            int tilesAcross,
            boolean striped,
            TiffLayout layout,
            long[] offsets,
            long[] byteCounts,
            byte[] jpegPrefix) {

        /** A level whose tables are still to be read. */
        Level(
                int width,
                int height,
                int tileWidth,
                int tileHeight,
                int tilesAcross,
                boolean striped,
                TiffLayout layout) {
            this(width, height, tileWidth, tileHeight, tilesAcross, striped, layout, null, null, new byte[0]);
        }

        /** The level with the first {@code tiles} entries of its offset and byte-count tables, and its JPEG tables. */
        Level withTables(TiffDirectory d, int offsetsTag, int countsTag, int tiles)
                throws SlideFormatException, IOException {
            if (!layout.decodedHere()) {
                return this;
            }
            byte[] prefix = new byte[0];
            if (layout.jpeg()) {
                byte[] tables = d.bytes(JPEG_TABLES);
                // Abbreviated tile streams share the tables: the tables without their EOI, then each tile without SOI.
                prefix = tables.length > 4 ? Arrays.copyOf(tables, tables.length - 2) : prefix;
            }
            return new Level(
                    width,
                    height,
                    tileWidth,
                    tileHeight,
                    tilesAcross,
                    striped,
                    layout,
                    d.integers(offsetsTag, tiles),
                    d.integers(countsTag, tiles),
                    prefix);
        }
    }

    private final ByteSource channel;
    private final long fileSize;
    private final String name;
    private final SlideInfo info;
    private final List<Level> levels;
    private final Pool<JpegTileDecoder> jpegDecoders;
    private final StripCache strips;
    private final GeneratedLevels generated;

    private TiffSlideReader(
            ByteSource channel,
            long fileSize,
            String name,
            SlideInfo info,
            List<Level> levels,
            GeneratedLevels generated,
            TurboJpeg turboJpeg,
            SlideLimits limits) {
        this.jpegDecoders =
                new Pool<>(() -> new JpegTileDecoder(turboJpeg == null ? null : new TurboJpegDecoder(turboJpeg)));
        this.channel = channel;
        this.fileSize = fileSize;
        this.name = name;
        this.info = info;
        this.levels = levels;
        this.generated = generated;
        this.strips = new StripCache(limits.stripCacheBytes());
    }

    /**
     * Opens the file, accepting the given compressions, decoding JPEG tiles with libjpeg-turbo when {@code turboJpeg}
     * is given, else with the JDK. Parses the directories and tile tables only; the {@link OpenSlideReader} uses it as
     * a pre-flight check, so a hostile TIFF is refused the same way by either backend before native code touches it.
     *
     * @param scratchDirectory where levels a slide lacks are built, on first use ({@code null}: next to the file)
     */
    static TiffSlideReader open(
            Path file,
            String name,
            Set<Integer> compressions,
            TurboJpeg turboJpeg,
            SlideLimits limits,
            Path scratchDirectory)
            throws SlideFormatException, IOException {
        FileByteSource channel = FileByteSource.open(file);
        boolean opened = false;
        try {
            Path scratch = scratchDirectory != null
                    ? scratchDirectory
                    : file.toAbsolutePath().getParent();
            TiffSlideReader reader = open(channel, name, compressions, turboJpeg, limits, scratch);
            opened = true;
            return reader;
        } finally {
            if (!opened) {
                channel.close();
            }
        }
    }

    /**
     * Opens the slide in {@code channel}, which the reader closes when it is closed (but not when opening fails).
     *
     * @param scratchDirectory where levels a slide lacks are built, on first use
     */
    static TiffSlideReader open(
            ByteSource channel,
            String name,
            Set<Integer> compressions,
            TurboJpeg turboJpeg,
            SlideLimits limits,
            Path scratchDirectory)
            throws SlideFormatException, IOException {
        try {
            long fileSize = channel.size();
            List<TiffDirectory> directories = TiffDirectory.readAll(channel, name);
            TiffDirectory first = directories.getFirst();
            long width0 = first.required(IMAGE_WIDTH);
            long height0 = first.required(IMAGE_LENGTH);
            limits.checkDimensions(width0, height0, name);
            List<Level> levels = new ArrayList<>();
            List<SlideLevel> slideLevels = new ArrayList<>();
            for (int i = 0; i < directories.size(); i++) {
                TiffDirectory d = directories.get(i);
                long width = d.required(IMAGE_WIDTH);
                long height = d.required(IMAGE_LENGTH);
                boolean tiled = d.has(TILE_WIDTH) && d.has(TILE_LENGTH);
                if (i > 0) {
                    boolean smaller = width < slideLevels.getLast().width()
                            && height < slideLevels.getLast().height();
                    double expectedHeight = (double) height0 * width / width0;
                    boolean sameAspect =
                            Math.abs(height - expectedHeight) <= Math.max(2, ASPECT_TOLERANCE * expectedHeight);
                    if (!tiled || !smaller || !sameAspect || width < 1 || height < 1) {
                        continue;
                    }
                }
                String where = name + " level " + levels.size();
                TiffLayout layout = TiffLayout.of(d, compressions, where);
                levels.add(
                        tiled
                                ? tiledLevel(d, (int) width, (int) height, layout, where, limits)
                                : stripedLevel(d, (int) width, (int) height, layout, where, limits));
                slideLevels.add(new SlideLevel((int) width, (int) height, (double) width0 / width));
            }
            GeneratedLevels generated = null;
            if (levels.size() == 1
                    && Math.max(width0, height0) > PYRAMID_ABOVE
                    && levels.getFirst().layout().decodedHere()
                    && bandPixels(levels.getFirst()) * 4 <= 4 * limits.maxTileBytes()) {
                generated = GeneratedLevels.plan(
                        (int) width0, (int) height0, limits.maxScratchBytes(), scratchDirectory, name);
                slideLevels.addAll(generated.slideLevels());
            }
            SlideInfo info = info(first, slideLevels, generated);
            return new TiffSlideReader(
                    channel, fileSize, name, info, List.copyOf(levels), generated, turboJpeg, limits);
        } catch (RuntimeException e) {
            // A table or value this parser did not expect: the file's fault, whatever the exception.
            throw new SlideFormatException(Code.UNREADABLE, name + " is not a readable TIFF/SVS: " + message(e), e);
        }
    }

    private static SlideInfo info(TiffDirectory first, List<SlideLevel> slideLevels, GeneratedLevels generated)
            throws SlideFormatException, IOException {
        String description = first.ascii(IMAGE_DESCRIPTION);
        Map<String, String> properties = new LinkedHashMap<>();
        String format = "generic-tiff";
        if (description.startsWith("Aperio")) {
            format = "aperio";
            properties.putAll(aperioProperties(description));
        }
        if (!description.isEmpty()) {
            properties.put("tiff.ImageDescription", description);
        }
        double xResolution = first.rational(X_RESOLUTION);
        String unit = Long.toString(first.first(RESOLUTION_UNIT, 2));
        if (!Double.isNaN(xResolution)) {
            properties.put("tiff.XResolution", Double.toString(xResolution));
            properties.put("tiff.ResolutionUnit", unit);
        }
        if (generated != null) {
            properties.put(
                    "tessera.generated-levels",
                    Integer.toString(generated.slideLevels().size()));
        }
        OptionalDouble mpp = Resolution.parse(properties.get("aperio.MPP"));
        if (mpp.isEmpty()) {
            mpp = Resolution.fromTiff(xResolution, unit);
        }
        return new SlideInfo(format, slideLevels, mpp, properties);
    }

    /** Pixels of one band of the level, as the pyramid is built from it: a strip, or a row of tiles. */
    private static long bandPixels(Level l) {
        return (long) l.width() * l.tileHeight();
    }

    private static Level tiledLevel(
            TiffDirectory d, int width, int height, TiffLayout layout, String where, SlideLimits limits)
            throws SlideFormatException, IOException {
        long tileWidth = d.required(TILE_WIDTH);
        long tileHeight = d.required(TILE_LENGTH);
        if (tileWidth < 1 || tileHeight < 1) {
            throw TiffDirectory.unreadable(where, "it declares empty tiles");
        }
        limits.checkTile(tileWidth, tileHeight, where, "declares tiles");
        int tilesAcross = (int) ((width + tileWidth - 1) / tileWidth);
        long tiles = tilesAcross * ((height + tileHeight - 1) / tileHeight);
        checkTableLength(tiles, where, "tiles", limits);
        return new Level(width, height, (int) tileWidth, (int) tileHeight, tilesAcross, false, layout)
                .withTables(d, TILE_OFFSETS, TILE_BYTE_COUNTS, (int) tiles);
    }

    /**
     * A level in strips: full-width tiles of RowsPerStrip rows. An uncompressed strip too large to decode whole is read
     * as several, since its rows lie at known offsets; a compressed one is refused.
     */
    private static Level stripedLevel(
            TiffDirectory d, int width, int height, TiffLayout layout, String where, SlideLimits limits)
            throws SlideFormatException, IOException {
        long declared = d.first(ROWS_PER_STRIP, height);
        int rowsPerStrip = (int) Math.max(1, Math.min(declared, height));
        int strips = (height + rowsPerStrip - 1) / rowsPerStrip;
        checkTableLength(strips, where, "strips", limits);
        int rows = rowsPerStrip;
        if (layout.compression() == TileCodecs.NONE) {
            rows = rowsThatFit(rowsPerStrip, width, limits);
        }
        limits.checkStrip(width, rows, where, "has strips");
        Level level = new Level(width, height, width, rowsPerStrip, 1, true, layout)
                .withTables(d, STRIP_OFFSETS, STRIP_BYTE_COUNTS, strips);
        return rows == rowsPerStrip ? level : split(level, rows);
    }

    /** The most rows, a divisor of {@code rowsPerStrip}, whose decoded pixels fit the tile limit. */
    private static int rowsThatFit(int rowsPerStrip, int width, SlideLimits limits) {
        long fit = Math.max(1, limits.maxTileBytes() / (4L * width));
        for (int rows = (int) Math.min(rowsPerStrip, fit); rows > 1; rows--) {
            if (rowsPerStrip % rows == 0) {
                return rows;
            }
        }
        return 1;
    }

    /** An uncompressed striped level as strips of {@code rows} rows, each inside one of the file's strips. */
    private static Level split(Level l, int rows) {
        int strips = (l.height() + rows - 1) / rows;
        long rowBytes = (long) l.width() * l.layout().samples();
        long[] offsets = new long[strips];
        long[] counts = new long[strips];
        for (int s = 0; s < strips; s++) {
            int row = s * rows;
            int strip = row / l.tileHeight();
            long skip = (row % l.tileHeight()) * rowBytes;
            offsets[s] = l.offsets()[strip] == 0 ? 0 : l.offsets()[strip] + skip;
            counts[s] =
                    Math.max(0, Math.min(Math.min(rows, l.height() - row) * rowBytes, l.byteCounts()[strip] - skip));
        }
        return new Level(l.width(), l.height(), l.width(), rows, 1, true, l.layout(), offsets, counts, l.jpegPrefix());
    }

    /** A level's offset and byte-count tables hold one entry per tile or strip: their length is bounded first. */
    private static void checkTableLength(long entries, String where, String what, SlideLimits limits)
            throws SlideFormatException {
        if (entries > limits.maxTilesPerLevel()) {
            throw new SlideFormatException(
                    Code.DECOMPRESSION_BOMB,
                    where + " declares " + entries + " " + what + ", more than the " + limits.maxTilesPerLevel()
                            + " a level may have");
        }
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public String backend() {
        return TiffSlideReaderProvider.NAME;
    }

    @Override
    public void readPixels(int level, int x, int y, int width, int height, int[] argb)
            throws SlideFormatException, IOException {
        SlideReader.checkRegion(info, level, x, y, width, height);
        if ((long) width * height > argb.length) {
            throw new IllegalArgumentException("region " + width + "x" + height + " does not fit the buffer");
        }
        if (level >= levels.size()) {
            generated.read(level - levels.size(), x, y, width, height, argb, bands(levels.getFirst()));
            return;
        }
        Level l = levels.get(level);
        if (l.striped()) {
            readStriped(l, x, y, width, height, argb);
        } else {
            readTiled(l, level, x, y, width, height, argb);
        }
    }

    /** Decodes tile ({@code tx}, {@code ty}) into {@code dest} from {@code offset} on, rows {@code stride} apart. */
    @FunctionalInterface
    private interface TileDecode {
        void decode(int tx, int ty, int[] dest, int offset, int stride) throws SlideFormatException, IOException;
    }

    /**
     * Fills the region tile by tile: a tile that lies wholly inside it is decoded straight into the caller's buffer,
     * one cut by the region's border goes through {@code scratch} ({@code tileWidth x tileHeight}).
     */
    private static void forEachTile(
            Level l, int x, int y, int width, int height, int[] argb, int[] scratch, TileDecode decode)
            throws SlideFormatException, IOException {
        int tw = l.tileWidth();
        int th = l.tileHeight();
        for (int ty = y / th; ty <= (y + height - 1) / th; ty++) {
            for (int tx = x / tw; tx <= (x + width - 1) / tw; tx++) {
                int left = Math.max(x, tx * tw);
                int right = Math.min(x + width, (tx + 1) * tw);
                int top = Math.max(y, ty * th);
                int bottom = Math.min(y + height, (ty + 1) * th);
                if (left == tx * tw && top == ty * th && right - left == tw && bottom - top == th) {
                    decode.decode(tx, ty, argb, (top - y) * width + (left - x), width);
                    continue;
                }
                decode.decode(tx, ty, scratch, 0, tw);
                int run = right - left;
                for (int row = top; row < bottom; row++) {
                    System.arraycopy(
                            scratch,
                            (row - ty * th) * tw + (left - tx * tw),
                            argb,
                            (row - y) * width + (left - x),
                            run);
                }
            }
        }
    }

    private void readTiled(Level l, int level, int x, int y, int width, int height, int[] argb)
            throws SlideFormatException, IOException {
        jpegDecoders.lend(decoder -> forEachTile(
                l,
                x,
                y,
                width,
                height,
                argb,
                decoder.tileBuffer(l.tileWidth() * l.tileHeight()),
                (tx, ty, dest, offset, stride) -> decodeTile(decoder, l, level, tx, ty, dest, offset, stride)));
    }

    /** Copies the region out of the strips it crosses, each decoded once while it stays in the cache. */
    private void readStriped(Level l, int x, int y, int width, int height, int[] argb)
            throws SlideFormatException, IOException {
        int rows = l.tileHeight();
        for (int s = y / rows; s <= (y + height - 1) / rows; s++) {
            int[] strip = strips.get(s, this::decodeStrip);
            int top = Math.max(y, s * rows);
            int bottom = Math.min(y + height, (s + 1) * rows);
            for (int row = top; row < bottom; row++) {
                System.arraycopy(strip, (row - s * rows) * l.width() + x, argb, (row - y) * width, width);
            }
        }
    }

    /** Bytes of decoded strips the reader holds now. */
    long cachedStripBytes() {
        return strips.bytes();
    }

    private int[] decodeStrip(int strip) throws SlideFormatException, IOException {
        Level l = levels.getFirst();
        int[] pixels = new int[l.tileWidth() * l.tileHeight()];
        jpegDecoders.lend(decoder -> decodeTile(decoder, l, 0, 0, strip, pixels, 0, l.tileWidth()));
        return pixels;
    }

    /** The full-resolution level band by band, for building the levels it lacks: its strips, or rows of its tiles. */
    private GeneratedLevels.BandSource bands(Level l) {
        return new GeneratedLevels.BandSource() {
            @Override
            public int bandRows() {
                return l.tileHeight();
            }

            @Override
            public void read(int band, int[] argb) throws SlideFormatException, IOException {
                if (l.striped()) {
                    jpegDecoders.lend(decoder -> decodeTile(decoder, l, 0, 0, band, argb, 0, l.tileWidth()));
                } else {
                    int top = band * l.tileHeight();
                    readTiled(l, 0, 0, top, l.width(), Math.min(l.tileHeight(), l.height() - top), argb);
                }
            }
        };
    }

    /** Decodes tile ({@code tx}, {@code ty}) into {@code dest} from {@code offset} on, rows {@code stride} apart. */
    private void decodeTile(
            JpegTileDecoder decoder, Level l, int level, int tx, int ty, int[] dest, int offset, int stride)
            throws SlideFormatException, IOException {
        int index = ty * l.tilesAcross() + tx;
        long at = l.offsets()[index];
        long count = l.byteCounts()[index];
        if (count == 0 || at == 0) {
            // A tile the scanner never wrote (sparse files): blank, as OpenSlide shows it.
            for (int row = 0; row < l.tileHeight(); row++) {
                Arrays.fill(dest, offset + row * stride, offset + row * stride + l.tileWidth(), WHITE);
            }
            return;
        }
        TiffLayout layout = l.layout();
        // No codec makes a tile larger than twice its samples (LZW at worst is 1.5 times), plus the JPEG tables.
        long plausible = 2L * l.tileWidth() * l.tileHeight() * layout.samples() + 65_536;
        if (count > plausible) {
            throw new SlideFormatException(
                    Code.UNREADABLE,
                    name + " is not a readable TIFF/SVS: " + tile(l, level, tx, ty) + " declares " + count
                            + " bytes, more than its " + l.tileWidth() + "x" + l.tileHeight() + " pixels can take");
        }
        if (at + count > fileSize || at < 0) {
            throw new SlideFormatException(
                    Code.UNREADABLE,
                    name + " is not a readable TIFF/SVS: " + tile(l, level, tx, ty)
                            + " lies beyond the end of the file: the file is" + " truncated or corrupt");
        }
        if (!layout.jpeg()) {
            byte[] compressed = decoder.streamBuffer((int) count);
            readFully(compressed, 0, (int) count, at);
            byte[] samples = decoder.rawBuffer(l.tileWidth() * l.tileHeight() * layout.samples());
            try {
                TileCodecs.decompress(layout.compression(), compressed, (int) count, samples);
            } catch (IOException | RuntimeException e) {
                throw new SlideFormatException(
                        Code.UNREADABLE,
                        name + " is not a readable TIFF/SVS: " + tile(l, level, tx, ty) + " does not decompress ("
                                + message(e) + ")",
                        e);
            }
            if (layout.predictor()) {
                TileCodecs.undoHorizontalPredictor(samples, l.tileWidth(), l.tileHeight(), layout.samples());
            }
            toArgb(l, samples, dest, offset, stride);
            return;
        }
        byte[] prefix = l.jpegPrefix();
        int length = prefix.length + (int) count;
        byte[] stream = decoder.streamBuffer(length);
        if (prefix.length >= 2 && count >= 2) {
            // The shared tables (which begin with their own SOI) go in front of the tile's stream without its SOI: the
            // tile is read two bytes early and the tables written over its SOI, so the tile is copied once.
            readFully(stream, prefix.length - 2, (int) count, at);
            if (stream[prefix.length - 2] == (byte) 0xFF && stream[prefix.length - 1] == (byte) 0xD8) {
                System.arraycopy(prefix, 0, stream, 0, prefix.length);
                length -= 2;
            } else {
                System.arraycopy(stream, prefix.length - 2, stream, prefix.length, (int) count);
                System.arraycopy(prefix, 0, stream, 0, prefix.length);
            }
        } else {
            System.arraycopy(prefix, 0, stream, 0, prefix.length);
            readFully(stream, prefix.length, (int) count, at);
        }
        try {
            decoder.decode(stream, length, layout.ycbcr(), l.tileWidth(), l.tileHeight(), dest, offset, stride);
        } catch (JpegTileDecoder.LargerThanTile e) {
            throw new SlideFormatException(
                    Code.DECOMPRESSION_BOMB, name + ": " + tile(l, level, tx, ty) + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new SlideFormatException(
                    Code.UNREADABLE,
                    name + " is not a readable TIFF/SVS: " + tile(l, level, tx, ty) + " does not decode (" + message(e)
                            + ")",
                    e);
        }
    }

    /** How messages name a tile or strip. */
    private static String tile(Level l, int level, int tx, int ty) {
        return (l.striped() ? "strip " + ty : "tile (" + tx + ", " + ty + ")") + " of level " + level;
    }

    private void readFully(byte[] buffer, int offset, int length, long at) throws SlideFormatException, IOException {
        ByteBuffer target = ByteBuffer.wrap(buffer, offset, length);
        long position = at;
        while (target.hasRemaining()) {
            int n = channel.read(target, position);
            if (n < 0) {
                throw new SlideFormatException(
                        Code.UNREADABLE, name + " is not a readable TIFF/SVS: the file ends inside a tile");
            }
            position += n;
        }
    }

    /** 8-bit gray (0 = black, or 0 = white), RGB or RGBA samples (alpha ignored) to opaque ARGB. */
    private static void toArgb(Level l, byte[] samples, int[] dest, int offset, int stride) {
        int tw = l.tileWidth();
        int spp = l.layout().samples();
        boolean inverted = l.layout().photometric() == 0;
        for (int y = 0; y < l.tileHeight(); y++) {
            int in = y * tw * spp;
            int out = offset + y * stride;
            for (int x = 0; x < tw; x++, in += spp) {
                int p;
                if (spp == 1) {
                    int v = samples[in] & 0xFF;
                    if (inverted) {
                        v = 255 - v;
                    }
                    p = v << 16 | v << 8 | v;
                } else {
                    p = (samples[in] & 0xFF) << 16 | (samples[in + 1] & 0xFF) << 8 | (samples[in + 2] & 0xFF);
                }
                dest[out + x] = 0xFF000000 | p;
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            jpegDecoders.close();
        } finally {
            try {
                if (generated != null) {
                    generated.close();
                }
            } finally {
                channel.close();
            }
        }
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Aperio's description: a header line, then {@code |key = value} pairs. */
    static Map<String, String> aperioProperties(String description) {
        Map<String, String> properties = new LinkedHashMap<>();
        String[] parts = description.split("\\|");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                properties.put(
                        "aperio." + parts[i].substring(0, eq).trim(),
                        parts[i].substring(eq + 1).trim());
            }
        }
        return properties;
    }

    @Override
    public String toString() {
        return "TiffSlideReader[" + name + ", " + info.format() + ", "
                + info.levels().size() + " levels]";
    }
}
