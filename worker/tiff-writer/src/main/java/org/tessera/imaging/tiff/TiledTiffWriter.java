package org.tessera.imaging.tiff;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Writes a little-endian tiled TIFF or BigTIFF whose images (IFDs) are added one by one, level 0 first, the way
 * libvips and Aperio lay out pyramids (no SubIFDs). Tiles of any image may be written in any order and interleaved
 * between images; the IFDs go at the end of the file when it is closed, so a file that was never closed is not a
 * readable TIFF.
 *
 * <p>{@link #writeTile} may be called from several threads: encoding runs in the caller's thread, appending is
 * serialised.
 */
public final class TiledTiffWriter implements Closeable {

    private static final long CLASSIC_LIMIT = 0xFFFF_FFFFL;
    // Room for the larger (BigTIFF) header, so the flavour can still be chosen at close() in AUTO mode.
    private static final int HEADER_RESERVED = 16;
    private static final String SOFTWARE = "Tessera imaging";

    private static final int TYPE_ASCII = 2;
    private static final int TYPE_SHORT = 3;
    private static final int TYPE_LONG = 4;
    private static final int TYPE_RATIONAL = 5;
    private static final int TYPE_LONG8 = 16;

    private final Path path;
    private final TiffFormat format;
    private final FileChannel channel;
    private final List<Level> levels = new ArrayList<>();
    private final ByteBuffer pad = ByteBuffer.allocate(1);
    private long position = HEADER_RESERVED;
    private boolean closed;

    private TiledTiffWriter(Path path, TiffFormat format, FileChannel channel) {
        this.path = path;
        this.format = format;
        this.channel = channel;
    }

    public static TiledTiffWriter create(Path path, TiffFormat format) throws IOException {
        Objects.requireNonNull(format, "format");
        FileChannel channel = FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        channel.write(ByteBuffer.allocate(HEADER_RESERVED), 0);
        return new TiledTiffWriter(path, format, channel);
    }

    public Path path() {
        return path;
    }

    /** Adds an image; returns its index (0 for the first). */
    public synchronized int addLevel(TiffLevelSpec spec) {
        ensureOpen();
        levels.add(new Level(Objects.requireNonNull(spec, "spec")));
        return levels.size() - 1;
    }

    public synchronized TiffLevelSpec level(int index) {
        return levels.get(index).spec;
    }

    /**
     * Compresses and appends one tile.
     *
     * @param pixels the full tile (edge tiles padded), {@code tileSize * tileSize * samplesPerPixel} interleaved bytes
     */
    public void writeTile(int level, int column, int row, byte[] pixels) throws IOException {
        TiffLevelSpec spec = level(level);
        writeEncodedTile(level, column, row, TileEncoder.encode(spec, pixels));
    }

    /** Appends one tile that is already compressed as the level's compression requires. */
    public synchronized void writeEncodedTile(int level, int column, int row, byte[] encoded) throws IOException {
        ensureOpen();
        Level target = levels.get(level);
        TiffLevelSpec spec = target.spec;
        if (column < 0 || row < 0 || column >= spec.tilesAcross() || row >= spec.tilesDown()) {
            throw new IllegalArgumentException("tile (" + column + ", " + row + ") outside level " + level);
        }
        int index = row * spec.tilesAcross() + column;
        if (target.byteCounts[index] != 0) {
            throw new IllegalStateException("tile (" + column + ", " + row + ") of level " + level + " written twice");
        }
        if (encoded.length == 0) {
            throw new IllegalArgumentException("empty tile");
        }
        target.offsets[index] = position;
        target.byteCounts[index] = encoded.length;
        writeFully(ByteBuffer.wrap(encoded), position);
        position += encoded.length;
        if ((position & 1) != 0) {
            // TIFF wants everything that follows to start on a word boundary.
            pad.clear();
            writeFully(pad, position);
            position++;
        }
    }

    /** Bytes written so far (tile data only until {@link #close()}). */
    public synchronized long size() {
        return position;
    }

    /** Writes the IFDs and the header. Throws when a tile is missing, and the file is then not a valid TIFF. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (channel) {
            if (levels.isEmpty()) {
                throw new IllegalStateException("a TIFF needs at least one image");
            }
            for (int i = 0; i < levels.size(); i++) {
                Level level = levels.get(i);
                int missing = (int)
                        Arrays.stream(level.byteCounts).filter(c -> c == 0).count();
                if (missing > 0) {
                    throw new IllegalStateException(missing + " tiles of level " + i + " were never written");
                }
            }
            boolean big = switch (format) {
                case BIG -> true;
                case CLASSIC -> false;
                case AUTO -> !fitsClassic();
            };
            if (!big && !fitsClassic()) {
                throw new IOException(path + " would exceed 4 GiB; write it as BigTIFF");
            }
            long firstIfd = position;
            for (int i = 0; i < levels.size(); i++) {
                long ifdStart = position;
                List<Entry> entries = entries(levels.get(i), big);
                long size = ifdSize(entries, big);
                long next = i + 1 < levels.size() ? ifdStart + size : 0;
                ByteBuffer ifd = layoutIfd(entries, big, ifdStart, next, size);
                writeFully(ifd, ifdStart);
                position = ifdStart + size;
            }
            writeFully(header(big, firstIfd), 0);
        }
    }

    private boolean fitsClassic() {
        long end = position;
        for (Level level : levels) {
            end += ifdSize(entries(level, false), false);
        }
        return end <= CLASSIC_LIMIT;
    }

    private static ByteBuffer header(boolean big, long firstIfd) {
        ByteBuffer header = ByteBuffer.allocate(big ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
        header.put((byte) 'I').put((byte) 'I');
        if (big) {
            header.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(firstIfd);
        } else {
            header.putShort((short) 42).putInt((int) firstIfd);
        }
        return header.flip();
    }

    private List<Entry> entries(Level level, boolean big) {
        TiffLevelSpec spec = level.spec;
        List<Entry> entries = new ArrayList<>();
        entries.add(Entry.longs(254, spec.reducedResolution() ? 1 : 0));
        entries.add(Entry.longs(256, spec.width()));
        entries.add(Entry.longs(257, spec.height()));
        int[] bits = new int[spec.samplesPerPixel()];
        Arrays.fill(bits, 8);
        entries.add(Entry.shorts(258, bits));
        entries.add(Entry.shorts(259, spec.compression().tagValue()));
        entries.add(Entry.shorts(262, spec.photometric().tagValue()));
        if (spec.imageDescription() != null) {
            entries.add(Entry.ascii(270, spec.imageDescription()));
        }
        entries.add(Entry.shorts(277, spec.samplesPerPixel()));
        if (!Double.isNaN(spec.pixelsPerCentimetre())) {
            long[] rational = rational(spec.pixelsPerCentimetre());
            entries.add(Entry.rational(282, rational));
            entries.add(Entry.rational(283, rational));
        }
        entries.add(Entry.shorts(284, 1));
        if (!Double.isNaN(spec.pixelsPerCentimetre())) {
            entries.add(Entry.shorts(296, 3));
        }
        entries.add(Entry.ascii(305, SOFTWARE));
        if (spec.photometric() == Photometric.PALETTE) {
            int[] palette = spec.palette();
            int[] colorMap = new int[3 * 256];
            for (int i = 0; i < 256; i++) {
                // ColorMap holds 16-bit intensities: all reds, then all greens, then all blues.
                colorMap[i] = ((palette[i] >> 16) & 0xFF) * 257;
                colorMap[256 + i] = ((palette[i] >> 8) & 0xFF) * 257;
                colorMap[512 + i] = (palette[i] & 0xFF) * 257;
            }
            entries.add(Entry.shorts(320, colorMap));
        }
        entries.add(Entry.longs(322, spec.tileSize()));
        entries.add(Entry.longs(323, spec.tileSize()));
        entries.add(big ? Entry.long8s(324, level.offsets) : Entry.longs(324, level.offsets));
        entries.add(big ? Entry.long8s(325, level.byteCounts) : Entry.longs(325, level.byteCounts));
        if (spec.photometric() == Photometric.YCBCR) {
            entries.add(Entry.shorts(530, 2, 2));
        }
        return entries;
    }

    /** Resolution as a TIFF RATIONAL with as much precision as 32 bits allow. */
    static long[] rational(double value) {
        long denominator = 1_000_000;
        while (denominator > 1 && value * denominator > CLASSIC_LIMIT) {
            denominator /= 10;
        }
        long numerator = Math.max(1, Math.round(value * denominator));
        return new long[] {Math.min(numerator, CLASSIC_LIMIT), denominator};
    }

    private static long ifdSize(List<Entry> entries, boolean big) {
        long size = big ? 8 + 20L * entries.size() + 8 : 2 + 12L * entries.size() + 4;
        int inline = big ? 8 : 4;
        for (Entry entry : entries) {
            int length = entry.data().length;
            if (length > inline) {
                size += length + (length & 1);
            }
        }
        return size;
    }

    private static ByteBuffer layoutIfd(List<Entry> entries, boolean big, long start, long next, long size) {
        if (size > Integer.MAX_VALUE) {
            throw new IllegalStateException("IFD of " + size + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        int inline = big ? 8 : 4;
        long dataOffset = start + (big ? 8 + 20L * entries.size() + 8 : 2 + 12L * entries.size() + 4);
        ByteBuffer data = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        data.position((int) (dataOffset - start));
        if (big) {
            buffer.putLong(entries.size());
        } else {
            buffer.putShort((short) entries.size());
        }
        for (Entry entry : entries) {
            buffer.putShort((short) entry.tag()).putShort((short) entry.type());
            if (big) {
                buffer.putLong(entry.count());
            } else {
                buffer.putInt((int) entry.count());
            }
            byte[] bytes = entry.data();
            if (bytes.length <= inline) {
                byte[] field = new byte[inline];
                System.arraycopy(bytes, 0, field, 0, bytes.length);
                buffer.put(field);
            } else {
                long at = start + data.position();
                if (big) {
                    buffer.putLong(at);
                } else {
                    buffer.putInt((int) at);
                }
                data.put(bytes);
                if ((bytes.length & 1) != 0) {
                    data.put((byte) 0);
                }
            }
        }
        if (big) {
            buffer.putLong(next);
        } else {
            buffer.putInt((int) next);
        }
        buffer.position(0);
        return buffer;
    }

    private void writeFully(ByteBuffer buffer, long at) throws IOException {
        long offset = at;
        while (buffer.hasRemaining()) {
            offset += channel.write(buffer, offset);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer for " + path + " is closed");
        }
    }

    private static final class Level {
        final TiffLevelSpec spec;
        final long[] offsets;
        final long[] byteCounts;

        Level(TiffLevelSpec spec) {
            this.spec = spec;
            this.offsets = new long[spec.tileCount()];
            this.byteCounts = new long[spec.tileCount()];
        }
    }

    /** One IFD entry; {@code data} holds the little-endian value bytes. Entries must be added in tag order. */
    private record Entry(int tag, int type, long count, byte[] data) {

        static Entry shorts(int tag, int... values) {
            ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int value : values) {
                buffer.putShort((short) value);
            }
            return new Entry(tag, TYPE_SHORT, values.length, buffer.array());
        }

        static Entry longs(int tag, long... values) {
            ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long value : values) {
                buffer.putInt((int) value);
            }
            return new Entry(tag, TYPE_LONG, values.length, buffer.array());
        }

        static Entry long8s(int tag, long... values) {
            ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long value : values) {
                buffer.putLong(value);
            }
            return new Entry(tag, TYPE_LONG8, values.length, buffer.array());
        }

        static Entry rational(int tag, long[] fraction) {
            ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putInt((int) fraction[0]).putInt((int) fraction[1]);
            return new Entry(tag, TYPE_RATIONAL, 1, buffer.array());
        }

        static Entry ascii(int tag, String text) {
            byte[] chars = text.getBytes(StandardCharsets.US_ASCII);
            byte[] terminated = Arrays.copyOf(chars, chars.length + 1);
            return new Entry(tag, TYPE_ASCII, terminated.length, terminated);
        }
    }
}
