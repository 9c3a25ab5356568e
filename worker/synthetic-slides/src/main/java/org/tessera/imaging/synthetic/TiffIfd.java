package org.tessera.imaging.synthetic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * One little-endian TIFF or BigTIFF image file directory, built entry by entry, for files the pyramid writer never
 * produces: plain striped images, and hand-made bad inputs whose entries may declare counts their data does not have.
 */
final class TiffIfd {

    static final int BYTE = 1;
    static final int ASCII = 2;
    static final int SHORT = 3;
    static final int LONG = 4;
    static final int RATIONAL = 5;
    static final int LONG8 = 16;

    /** An entry: {@code count} values of {@code type}, whose bytes are {@code data} (which may hold fewer). */
    private record Entry(int type, long count, byte[] data) {}

    private final boolean big;
    private final TreeMap<Integer, Entry> entries = new TreeMap<>();

    TiffIfd(boolean big) {
        this.big = big;
    }

    /** The 8-byte TIFF or 16-byte BigTIFF header pointing at the first directory. */
    static byte[] header(boolean big, long firstIfd) {
        ByteBuffer b = ByteBuffer.allocate(big ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I');
        if (big) {
            b.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(firstIfd);
        } else {
            b.putShort((short) 42).putInt((int) firstIfd);
        }
        return b.array();
    }

    TiffIfd shorts(int tag, int... values) {
        ByteBuffer b = buffer(2 * values.length);
        for (int v : values) {
            b.putShort((short) v);
        }
        return entry(tag, SHORT, values.length, b.array());
    }

    TiffIfd longs(int tag, long... values) {
        ByteBuffer b = buffer(4 * values.length);
        for (long v : values) {
            b.putInt((int) v);
        }
        return entry(tag, LONG, values.length, b.array());
    }

    /** Offsets or byte counts: LONG in a TIFF, LONG8 in a BigTIFF. */
    TiffIfd offsets(int tag, long... values) {
        if (!big) {
            return longs(tag, values);
        }
        ByteBuffer b = buffer(8 * values.length);
        for (long v : values) {
            b.putLong(v);
        }
        return entry(tag, LONG8, values.length, b.array());
    }

    TiffIfd rational(int tag, long numerator, long denominator) {
        return entry(
                tag,
                RATIONAL,
                1,
                buffer(8).putInt((int) numerator).putInt((int) denominator).array());
    }

    TiffIfd ascii(int tag, String text) {
        byte[] bytes = (text + "\0").getBytes(StandardCharsets.ISO_8859_1);
        return entry(tag, ASCII, bytes.length, bytes);
    }

    /** An entry as given: {@code count} may claim more values than {@code data} holds. */
    TiffIfd entry(int tag, int type, long count, byte[] data) {
        entries.put(tag, new Entry(type, count, data.clone()));
        return this;
    }

    /** Resolution tags for {@code mpp} micrometres per pixel, in pixels per centimetre. */
    TiffIfd resolution(double mpp) {
        long perCentimetre = Math.round(10_000 / mpp);
        return rational(282, perCentimetre, 1).rational(283, perCentimetre, 1).shorts(296, 3);
    }

    /** The directory as it is written at file offset {@code at}: entries, no next directory, then the values. */
    byte[] toBytes(long at) {
        int entrySize = big ? 20 : 12;
        int inline = big ? 8 : 4;
        int head = (big ? 8 : 2) + entries.size() * entrySize + (big ? 8 : 4);
        int extra = 0;
        for (Entry e : entries.values()) {
            if (e.data().length > inline) {
                extra += e.data().length + (e.data().length & 1);
            }
        }
        ByteBuffer b = buffer(head + extra);
        if (big) {
            b.putLong(entries.size());
        } else {
            b.putShort((short) entries.size());
        }
        long valueAt = at + head;
        int valuePosition = head;
        for (var tagged : entries.entrySet()) {
            Entry e = tagged.getValue();
            b.putShort(tagged.getKey().shortValue()).putShort((short) e.type());
            if (big) {
                b.putLong(e.count());
            } else {
                b.putInt((int) e.count());
            }
            if (e.data().length <= inline) {
                byte[] padded = new byte[inline];
                System.arraycopy(e.data(), 0, padded, 0, e.data().length);
                b.put(padded);
            } else {
                if (big) {
                    b.putLong(valueAt);
                } else {
                    b.putInt((int) valueAt);
                }
                b.put(valuePosition, e.data());
                int size = e.data().length + (e.data().length & 1);
                valueAt += size;
                valuePosition += size;
            }
        }
        return b.array();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
