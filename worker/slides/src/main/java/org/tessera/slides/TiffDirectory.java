package org.tessera.slides;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tessera.bytes.ByteSource;
import org.tessera.slides.SlideFormatException.Code;

/**
 * One image file directory (IFD) of a TIFF or BigTIFF file. Entries are parsed eagerly; array values (tile offsets,
 * tables) are read on demand, after the caller has checked the declared sizes, and only when the file is long enough
 * to hold them, so a hostile header cannot make the reader allocate what it declares.
 */
final class TiffDirectory {

    static final int IMAGE_WIDTH = 256;
    static final int IMAGE_LENGTH = 257;
    static final int BITS_PER_SAMPLE = 258;
    static final int COMPRESSION = 259;
    static final int PHOTOMETRIC = 262;
    static final int IMAGE_DESCRIPTION = 270;
    static final int SAMPLES_PER_PIXEL = 277;
    static final int X_RESOLUTION = 282;
    static final int PLANAR_CONFIGURATION = 284;
    static final int RESOLUTION_UNIT = 296;
    static final int PREDICTOR = 317;
    static final int ROWS_PER_STRIP = 278;
    static final int STRIP_OFFSETS = 273;
    static final int STRIP_BYTE_COUNTS = 279;
    static final int SAMPLE_FORMAT = 339;
    static final int TILE_WIDTH = 322;
    static final int TILE_LENGTH = 323;
    static final int TILE_OFFSETS = 324;
    static final int TILE_BYTE_COUNTS = 325;
    static final int JPEG_TABLES = 347;

    /** SHORT, LONG, IFD, LONG8, IFD8: the types an offset or byte count may have. */
    private static final Set<Integer> INTEGER_TYPES = Set.of(3, 4, 13, 16, 18);

    // A slide has a handful of images; a chain longer than this is a loop or garbage.
    private static final int MAX_DIRECTORIES = 256;
    private static final long MAX_ENTRIES = 4096;
    private static final int MAX_ASCII = 1 << 20;

    private record Entry(int tag, int type, long count, long offset, byte[] inline) {}

    private final ByteSource channel;
    private final ByteOrder order;
    private final long fileSize;
    private final String name;
    private final Map<Integer, Entry> entries;

    private TiffDirectory(
            ByteSource channel, ByteOrder order, long fileSize, String name, Map<Integer, Entry> entries) {
        this.channel = channel;
        this.order = order;
        this.fileSize = fileSize;
        this.name = name;
        this.entries = entries;
    }

    /** Reads the chain of directories of a TIFF ({@code II*\0} / {@code MM\0*}) or BigTIFF ({@code 43}) file. */
    static List<TiffDirectory> readAll(ByteSource channel, String name) throws SlideFormatException, IOException {
        long fileSize = channel.size();
        ByteBuffer header = read(channel, 0, 16, fileSize, name, "header");
        ByteOrder order;
        if (header.get(0) == 'I' && header.get(1) == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (header.get(0) == 'M' && header.get(1) == 'M') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new SlideFormatException(Code.UNSUPPORTED_FORMAT, name + " is not a TIFF file");
        }
        header.order(order);
        int version = header.getShort(2) & 0xFFFF;
        boolean big;
        long first;
        if (version == 42) {
            big = false;
            first = header.getInt(4) & 0xFFFFFFFFL;
        } else if (version == 43) {
            big = true;
            if (header.getShort(4) != 8) {
                throw unreadable(name, "BigTIFF header declares offsets of " + header.getShort(4) + " bytes");
            }
            first = header.getLong(8);
        } else {
            throw new SlideFormatException(
                    Code.UNSUPPORTED_FORMAT, name + " is not a TIFF file (version " + version + ")");
        }
        List<TiffDirectory> directories = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long next = first;
        while (next != 0) {
            if (!seen.add(next) || directories.size() >= MAX_DIRECTORIES) {
                throw unreadable(name, "its image directories form a loop");
            }
            int countSize = big ? 8 : 2;
            int entrySize = big ? 20 : 12;
            ByteBuffer countBuffer = read(channel, next, countSize, fileSize, name, "image directory")
                    .order(order);
            long count = big ? countBuffer.getLong(0) : countBuffer.getShort(0) & 0xFFFF;
            if (count < 1 || count > MAX_ENTRIES) {
                throw unreadable(name, "an image directory declares " + count + " entries");
            }
            int bodySize = (int) (count * entrySize) + (big ? 8 : 4);
            ByteBuffer body = read(channel, next + countSize, bodySize, fileSize, name, "image directory")
                    .order(order);
            Map<Integer, Entry> entries = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                int at = i * entrySize;
                int tag = body.getShort(at) & 0xFFFF;
                int type = body.getShort(at + 2) & 0xFFFF;
                long n = big ? body.getLong(at + 4) : body.getInt(at + 4) & 0xFFFFFFFFL;
                int valueAt = at + (big ? 12 : 8);
                int inlineSize = big ? 8 : 4;
                int size = typeSize(type);
                if (size == 0) {
                    continue;
                }
                if (n < 0) {
                    // A BigTIFF count beyond 2^63: more values than any file holds, reported when the tag is used.
                    n = Long.MAX_VALUE;
                }
                if (n <= inlineSize / size) {
                    byte[] inline = new byte[inlineSize];
                    body.get(valueAt, inline);
                    entries.putIfAbsent(tag, new Entry(tag, type, n, -1, inline));
                } else {
                    long offset = big ? body.getLong(valueAt) : body.getInt(valueAt) & 0xFFFFFFFFL;
                    entries.putIfAbsent(tag, new Entry(tag, type, n, offset, null));
                }
            }
            directories.add(new TiffDirectory(channel, order, fileSize, name, entries));
            next = big ? body.getLong((int) (count * entrySize)) : body.getInt((int) (count * entrySize)) & 0xFFFFFFFFL;
        }
        if (directories.isEmpty()) {
            throw unreadable(name, "it has no image directory");
        }
        return directories;
    }

    boolean has(int tag) {
        return entries.containsKey(tag);
    }

    long count(int tag) {
        Entry e = entries.get(tag);
        return e == null ? 0 : e.count();
    }

    /** The first value of an integer field, or {@code fallback} when absent. */
    long first(int tag, long fallback) throws SlideFormatException, IOException {
        Entry e = entries.get(tag);
        if (e == null || e.count() < 1) {
            return fallback;
        }
        return value(e, values(e, 1), 0);
    }

    long required(int tag) throws SlideFormatException, IOException {
        Entry e = entries.get(tag);
        if (e == null || e.count() < 1) {
            throw unreadable(name, "it lacks TIFF tag " + tag);
        }
        return value(e, values(e, 1), 0);
    }

    /**
     * The first {@code n} values of an integer array (tile or strip offsets and byte counts). A count that declares more
     * bytes than the whole file holds, whatever its type, is refused before anything is read or allocated.
     *
     * @param n how many values the caller needs, already bounded by the caller
     */
    long[] integers(int tag, int n) throws SlideFormatException, IOException {
        Entry e = entries.get(tag);
        if (e == null) {
            throw unreadable(name, "it lacks TIFF tag " + tag);
        }
        if (!INTEGER_TYPES.contains(e.type())) {
            throw unreadable(name, "TIFF tag " + tag + " holds values of type " + e.type() + ", not integers");
        }
        int size = typeSize(e.type());
        if (e.inline() == null && e.count() > fileSize / size) {
            throw new SlideFormatException(
                    Code.DECOMPRESSION_BOMB,
                    name + " declares " + Long.toUnsignedString(e.count()) + " values of " + size
                            + " bytes in TIFF tag " + tag + ", more than its " + fileSize + " bytes can hold");
        }
        if (e.count() < n) {
            throw unreadable(name, "TIFF tag " + tag + " has " + e.count() + " values, the image needs " + n);
        }
        ByteBuffer buffer = values(e, n);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = value(e, buffer, i);
        }
        return out;
    }

    byte[] bytes(int tag) throws SlideFormatException, IOException {
        Entry e = entries.get(tag);
        if (e == null || typeSize(e.type()) != 1) {
            return new byte[0];
        }
        if (e.count() > MAX_ASCII) {
            throw unreadable(name, "TIFF tag " + tag + " declares " + e.count() + " bytes");
        }
        ByteBuffer buffer = values(e, e.count());
        byte[] out = new byte[(int) e.count()];
        buffer.get(0, out);
        return out;
    }

    String ascii(int tag) throws SlideFormatException, IOException {
        byte[] raw = bytes(tag);
        int end = raw.length;
        while (end > 0 && raw[end - 1] == 0) {
            end--;
        }
        return new String(raw, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** A RATIONAL (or integer) field as a double, NaN when absent. */
    double rational(int tag) throws SlideFormatException, IOException {
        Entry e = entries.get(tag);
        if (e == null || e.count() < 1) {
            return Double.NaN;
        }
        ByteBuffer buffer = values(e, 1);
        return switch (e.type()) {
            case 5 -> (buffer.getInt(0) & 0xFFFFFFFFL) / (double) (buffer.getInt(4) & 0xFFFFFFFFL);
            case 10 -> buffer.getInt(0) / (double) buffer.getInt(4);
            case 11 -> buffer.getFloat(0);
            case 12 -> buffer.getDouble(0);
            default -> value(e, buffer, 0);
        };
    }

    private ByteBuffer values(Entry e, long n) throws SlideFormatException, IOException {
        if (e.inline() != null) {
            return ByteBuffer.wrap(e.inline()).order(order);
        }
        // Compared before multiplying, so that no count can overflow into a small size.
        if (n > (Integer.MAX_VALUE - 16) / typeSize(e.type())) {
            throw unreadable(name, "TIFF tag " + e.tag() + " declares " + Long.toUnsignedString(e.count()) + " values");
        }
        long size = n * typeSize(e.type());
        return read(channel, e.offset(), (int) size, fileSize, name, "TIFF tag " + e.tag())
                .order(order);
    }

    private static long value(Entry e, ByteBuffer buffer, int index) {
        return switch (e.type()) {
            case 1, 2, 7 -> buffer.get(index) & 0xFF;
            case 6 -> buffer.get(index);
            case 3 -> buffer.getShort(index * 2) & 0xFFFF;
            case 8 -> buffer.getShort(index * 2);
            case 4, 13 -> buffer.getInt(index * 4) & 0xFFFFFFFFL;
            case 9 -> buffer.getInt(index * 4);
            case 16, 17, 18 -> buffer.getLong(index * 8);
            case 5 -> buffer.getInt(index * 8) & 0xFFFFFFFFL;
            default -> 0;
        };
    }

    private static int typeSize(int type) {
        return switch (type) {
            case 1, 2, 6, 7 -> 1;
            case 3, 8 -> 2;
            case 4, 9, 11, 13 -> 4;
            case 5, 10, 12, 16, 17, 18 -> 8;
            default -> 0;
        };
    }

    /** Reads exactly {@code size} bytes at {@code offset}, or fails as UNREADABLE when the file is shorter. */
    static ByteBuffer read(ByteSource channel, long offset, int size, long fileSize, String name, String what)
            throws SlideFormatException, IOException {
        if (offset < 0 || size < 0 || offset + size > fileSize) {
            throw unreadable(
                    name,
                    "its " + what + " at byte " + offset + " (" + size + " bytes) lies beyond the end of"
                            + " the file (" + fileSize + " bytes): the file is truncated or corrupt");
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        long position = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw unreadable(name, "it ends inside its " + what);
            }
            position += n;
        }
        return buffer.flip();
    }

    static SlideFormatException unreadable(String name, String why) {
        return new SlideFormatException(Code.UNREADABLE, name + " is not a readable TIFF/SVS: " + why);
    }
}
