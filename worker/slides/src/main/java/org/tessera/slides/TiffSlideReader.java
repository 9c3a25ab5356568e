package org.tessera.slides;

import static org.tessera.slides.TiffDirectory.BITS_PER_SAMPLE;
import static org.tessera.slides.TiffDirectory.COMPRESSION;
import static org.tessera.slides.TiffDirectory.IMAGE_DESCRIPTION;
import static org.tessera.slides.TiffDirectory.IMAGE_LENGTH;
import static org.tessera.slides.TiffDirectory.IMAGE_WIDTH;
import static org.tessera.slides.TiffDirectory.JPEG_TABLES;
import static org.tessera.slides.TiffDirectory.PHOTOMETRIC;
import static org.tessera.slides.TiffDirectory.PLANAR_CONFIGURATION;
import static org.tessera.slides.TiffDirectory.PREDICTOR;
import static org.tessera.slides.TiffDirectory.RESOLUTION_UNIT;
import static org.tessera.slides.TiffDirectory.SAMPLES_PER_PIXEL;
import static org.tessera.slides.TiffDirectory.TILE_BYTE_COUNTS;
import static org.tessera.slides.TiffDirectory.TILE_LENGTH;
import static org.tessera.slides.TiffDirectory.TILE_OFFSETS;
import static org.tessera.slides.TiffDirectory.TILE_WIDTH;
import static org.tessera.slides.TiffDirectory.X_RESOLUTION;

import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import org.tessera.slides.SlideFormatException.Code;

/**
 * Reads a tiled pyramidal TIFF, BigTIFF or Aperio SVS: every tiled image (IFD) of decreasing size and the same aspect
 * is a level; untiled ones after the first (Aperio thumbnail, label, macro) are skipped. Reads only the tiles a region
 * needs. JPEG tiles (what slide scanners write) take a direct path: the tile's bytes are read at their offset and
 * decoded by a pooled JPEG decoder, without TIFF plumbing or image conversions; other compressions (deflate, LZW,
 * PackBits, none) are decoded by TwelveMonkeys' TIFF reader. Thread-safe: the file is read with positional reads and
 * decoders are pooled per thread.
 */
final class TiffSlideReader implements SlideReader {

    /** Tiles larger than this are not a pyramid's: decoding one would allocate gigabytes. */
    static final int MAX_TILE_SIDE = 16_384;

    private static final int WHITE = 0xFFFFFFFF;
    private static final int JPEG = 7;
    private static final int PHOTOMETRIC_YCBCR = 6;
    /** Decoded here, without TwelveMonkeys, for 8-bit gray, RGB or RGBA samples: none, LZW, deflate, PackBits. */
    private static final Set<Integer> RAW_COMPRESSIONS =
            Set.of(TileCodecs.NONE, TileCodecs.LZW, TileCodecs.DEFLATE, TileCodecs.DEFLATE_OLD, TileCodecs.PACKBITS);

    /** None, LZW, old JPEG, JPEG, deflate, PackBits, deflate (old code): what this reader decodes. */
    static final Set<Integer> SUPPORTED_COMPRESSIONS = Set.of(1, 5, 6, 7, 8, 32773, 32946);
    // An image whose aspect ratio differs more than this from level 0 is not part of the pyramid (e.g. a label).
    private static final double ASPECT_TOLERANCE = 0.02;
    // A compressed tile larger than this is garbage (a 4096x4096 RGB tile uncompressed is 48 MiB).
    private static final long MAX_TILE_BYTES = 256L << 20;

    /** Where one level's tiles are. */
    private record Level(
            int directory,
            int width,
            int height,
            int tileWidth,
            int tileHeight,
            int tilesAcross,
            int compression,
            boolean directJpeg,
            boolean directRaw,
            int samples,
            int photometric,
            boolean predictor,
            boolean ycbcr,
            long[] offsets,
            long[] byteCounts,
            byte[] jpegPrefix) {}

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    private final String name;
    private final SlideInfo info;
    private final List<Level> levels;
    private final Pool<JpegTileDecoder> jpegDecoders;
    private final Pool<ImageIoTiff> imageIoReaders;

    private TiffSlideReader(
            Path file,
            FileChannel channel,
            long fileSize,
            String name,
            SlideInfo info,
            List<Level> levels,
            TurboJpeg turboJpeg) {
        this.jpegDecoders =
                new Pool<>(() -> new JpegTileDecoder(turboJpeg == null ? null : new TurboJpegDecoder(turboJpeg)));
        this.file = file;
        this.channel = channel;
        this.fileSize = fileSize;
        this.name = name;
        this.info = info;
        this.levels = levels;
        this.imageIoReaders = new Pool<>(() -> ImageIoTiff.open(this.file));
    }

    /**
     * Opens the file, accepting the given compressions, decoding JPEG tiles with libjpeg-turbo when {@code turboJpeg}
     * is given, else with the JDK. Parses the directories and tile tables only; the {@link
     * OpenSlideReader} uses it as a pre-flight check, so a hostile TIFF is refused the same way by either backend
     * before native code touches it.
     */
    static TiffSlideReader open(Path file, String name, Set<Integer> compressions, TurboJpeg turboJpeg)
            throws SlideFormatException, IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        boolean opened = false;
        try {
            long fileSize = channel.size();
            List<TiffDirectory> directories = TiffDirectory.readAll(channel, name);
            TiffDirectory first = directories.getFirst();
            long width0 = first.required(IMAGE_WIDTH);
            long height0 = first.required(IMAGE_LENGTH);
            SlideLimits.checkDimensions(width0, height0, name);
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
                } else if (!tiled) {
                    throw new SlideFormatException(
                            Code.UNSUPPORTED_FORMAT,
                            name + " is a TIFF without tiles (a plain image, not a whole-slide pyramid); resave it as"
                                    + " a tiled pyramidal TIFF");
                }
                levels.add(level(d, i, (int) width, (int) height, levels.size(), name, compressions));
                slideLevels.add(new SlideLevel((int) width, (int) height, (double) width0 / width));
            }
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
            OptionalDouble mpp = Resolution.parse(properties.get("aperio.MPP"));
            if (mpp.isEmpty()) {
                mpp = Resolution.fromTiff(xResolution, unit);
            }
            SlideInfo info = new SlideInfo(format, slideLevels, mpp, properties);
            opened = true;
            return new TiffSlideReader(file, channel, fileSize, name, info, List.copyOf(levels), turboJpeg);
        } finally {
            if (!opened) {
                channel.close();
            }
        }
    }

    private static Level level(
            TiffDirectory d, int index, int width, int height, int levelNumber, String name, Set<Integer> compressions)
            throws SlideFormatException, IOException {
        long tileWidth = d.required(TILE_WIDTH);
        long tileHeight = d.required(TILE_LENGTH);
        if (tileWidth > MAX_TILE_SIDE || tileHeight > MAX_TILE_SIDE) {
            throw new SlideFormatException(
                    Code.TOO_LARGE,
                    name + " level " + levelNumber + " declares tiles of " + tileWidth + "x" + tileHeight
                            + " pixels, above this platform's limit of " + MAX_TILE_SIDE + " per side");
        }
        if (tileWidth < 1 || tileHeight < 1) {
            throw TiffDirectory.unreadable(name, "level " + levelNumber + " declares empty tiles");
        }
        int compression = (int) d.first(COMPRESSION, 1);
        if (!compressions.contains(compression)) {
            throw new SlideFormatException(
                    Code.UNSUPPORTED_FORMAT,
                    name + " level " + levelNumber + " uses TIFF compression " + compression
                            + compressionName(compression) + ", which this platform does not decode");
        }
        int tilesAcross = (int) ((width + tileWidth - 1) / tileWidth);
        long tilesDown = (height + tileHeight - 1) / tileHeight;
        int samples = (int) d.first(SAMPLES_PER_PIXEL, 1);
        int planar = (int) d.first(PLANAR_CONFIGURATION, 1);
        long expected = tilesAcross * tilesDown * (planar == 2 ? samples : 1);
        if (d.count(TILE_OFFSETS) < expected || d.count(TILE_BYTE_COUNTS) < expected) {
            throw TiffDirectory.unreadable(
                    name,
                    "level " + levelNumber + " lists " + d.count(TILE_OFFSETS) + " tiles, its size needs " + expected);
        }
        int photometric = (int) d.first(PHOTOMETRIC, 2);
        boolean directJpeg = compression == JPEG
                && planar == 1
                && (samples == 3 || samples == 1)
                && d.first(BITS_PER_SAMPLE, 8) == 8;
        long predictor = d.first(PREDICTOR, 1);
        boolean directRaw = RAW_COMPRESSIONS.contains(compression)
                && planar == 1
                && d.first(BITS_PER_SAMPLE, 8) == 8
                && (predictor == 1 || predictor == 2)
                && ((samples == 1 && (photometric == 0 || photometric == 1))
                        || (photometric == 2 && (samples == 3 || samples == 4)));
        long[] offsets = null;
        long[] byteCounts = null;
        byte[] prefix = new byte[0];
        if (directJpeg || directRaw) {
            offsets = d.longs(TILE_OFFSETS);
            byteCounts = d.longs(TILE_BYTE_COUNTS);
        }
        if (directJpeg) {
            byte[] tables = d.bytes(JPEG_TABLES);
            // Abbreviated tile streams share the tables: the tables without their EOI, then each tile without SOI.
            prefix = tables.length > 4 ? Arrays.copyOf(tables, tables.length - 2) : new byte[0];
        }
        return new Level(
                index,
                width,
                height,
                (int) tileWidth,
                (int) tileHeight,
                tilesAcross,
                compression,
                directJpeg,
                directRaw,
                samples,
                photometric,
                predictor == 2,
                photometric == PHOTOMETRIC_YCBCR,
                offsets,
                byteCounts,
                prefix);
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
        Level l = levels.get(level);
        if (l.directJpeg() || l.directRaw()) {
            readDirect(l, level, x, y, width, height, argb);
        } else {
            readWithImageIo(l, x, y, width, height, argb);
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

    private void readDirect(Level l, int level, int x, int y, int width, int height, int[] argb)
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
        if (count > MAX_TILE_BYTES || at + count > fileSize || at < 0) {
            throw new SlideFormatException(
                    Code.UNREADABLE,
                    name + " is not a readable TIFF/SVS: tile (" + tx + ", " + ty + ") of level " + level
                            + " lies beyond the end of the file: the file is truncated or corrupt");
        }
        byte[] prefix = l.jpegPrefix();
        int length = prefix.length + (int) count;
        if (l.directRaw()) {
            byte[] compressed = decoder.streamBuffer((int) count);
            readFully(compressed, 0, (int) count, at);
            byte[] samples = decoder.rawBuffer(l.tileWidth() * l.tileHeight() * l.samples());
            try {
                TileCodecs.decompress(l.compression(), compressed, (int) count, samples);
            } catch (IOException | RuntimeException e) {
                throw new SlideFormatException(
                        Code.UNREADABLE,
                        name + " is not a readable TIFF/SVS: tile (" + tx + ", " + ty + ") of level " + level
                                + " does not decompress (" + message(e) + ")",
                        e);
            }
            if (l.predictor()) {
                TileCodecs.undoHorizontalPredictor(samples, l.tileWidth(), l.tileHeight(), l.samples());
            }
            toArgb(l, samples, dest, offset, stride);
            return;
        }
        byte[] stream = decoder.streamBuffer(length);
        System.arraycopy(prefix, 0, stream, 0, prefix.length);
        readFully(stream, prefix.length, (int) count, at);
        if (prefix.length > 0
                && count >= 2
                && stream[prefix.length] == (byte) 0xFF
                && stream[prefix.length + 1] == (byte) 0xD8) {
            System.arraycopy(stream, prefix.length + 2, stream, prefix.length, (int) count - 2);
            length -= 2;
        }
        try {
            decoder.decode(stream, length, l.ycbcr(), l.tileWidth(), l.tileHeight(), dest, offset, stride);
        } catch (IOException | RuntimeException e) {
            throw new SlideFormatException(
                    Code.UNREADABLE,
                    name + " is not a readable TIFF/SVS: tile (" + tx + ", " + ty + ") of level " + level
                            + " does not decode (" + message(e) + ")",
                    e);
        }
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
        int spp = l.samples();
        for (int y = 0; y < l.tileHeight(); y++) {
            int in = y * tw * spp;
            int out = offset + y * stride;
            for (int x = 0; x < tw; x++, in += spp) {
                int p;
                if (spp == 1) {
                    int v = samples[in] & 0xFF;
                    if (l.photometric() == 0) {
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

    /**
     * Other compressions, through TwelveMonkeys, one whole tile per read: its reader mishandles source regions that
     * cut tiles of some layouts (deflate with a predictor), and tile-aligned reads are what it does best.
     */
    private void readWithImageIo(Level l, int x, int y, int width, int height, int[] argb)
            throws SlideFormatException, IOException {
        imageIoReaders.lend(tiff -> {
            int tw = l.tileWidth();
            int th = l.tileHeight();
            forEachTile(l, x, y, width, height, argb, new int[tw * th], (tx, ty, dest, offset, stride) -> {
                int w = Math.min(tw, l.width() - tx * tw);
                int h = Math.min(th, l.height() - ty * th);
                ImageReadParam param = tiff.reader.getDefaultReadParam();
                param.setSourceRegion(new Rectangle(tx * tw, ty * th, w, h));
                BufferedImage image;
                try {
                    image = tiff.reader.read(l.directory(), param);
                } catch (IOException | RuntimeException e) {
                    throw unreadable(e);
                }
                image.getRGB(0, 0, w, h, dest, offset, stride);
                for (int row = 0; row < h; row++) {
                    for (int i = offset + row * stride, end = i + w; i < end; i++) {
                        dest[i] |= 0xFF000000;
                    }
                }
            });
        });
    }

    @Override
    public void close() throws IOException {
        try {
            jpegDecoders.close();
            imageIoReaders.close();
        } finally {
            channel.close();
        }
    }

    private SlideFormatException unreadable(Exception e) {
        String message = message(e);
        if (message.contains("Unsupported TIFF Compression") || message.contains("Unsupported Compression")) {
            return new SlideFormatException(
                    Code.UNSUPPORTED_FORMAT, name + " uses an unsupported compression: " + message, e);
        }
        return new SlideFormatException(Code.UNREADABLE, name + " is not a readable TIFF/SVS: " + message, e);
    }

    private static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String compressionName(int compression) {
        return switch (compression) {
            case 33003, 33005 -> " (Aperio JPEG 2000)";
            case 34712 -> " (JPEG 2000)";
            case 50001 -> " (WebP)";
            case 34887 -> " (LERC)";
            case 34892 -> " (lossy JPEG)";
            case 50000 -> " (ZSTD)";
            default -> "";
        };
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

    /** One TwelveMonkeys reader on its own stream, for the levels the direct JPEG path does not handle. */
    private static final class ImageIoTiff implements AutoCloseable {
        private final ImageInputStream input;
        private final ImageReader reader;

        private ImageIoTiff(ImageInputStream input, ImageReader reader) {
            this.input = input;
            this.reader = reader;
        }

        static ImageIoTiff open(Path file) throws IOException {
            ImageInputStream input = new FileImageInputStream(file.toFile());
            ImageReader reader = new TIFFImageReaderSpi().createReaderInstance();
            reader.setInput(input);
            return new ImageIoTiff(input, reader);
        }

        @Override
        public void close() throws IOException {
            reader.dispose();
            input.close();
        }
    }
}
