package org.tessera.dicom;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds a data set in Explicit VR Little Endian, in memory. Elements must be added in ascending tag order. */
final class DicomOutput {

    static final java.util.Set<String> SHORT_VRS = java.util.Set.of(
            "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FL", "FD", "IS", "LO", "LT", "PN", "SH", "SL", "SS", "ST", "TM",
            "UI", "UL", "US");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private long lastTag = -1;

    static boolean hasLongLength(String vr) {
        return switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
    }

    DicomOutput string(int tag, String vr, String value) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        // Values have even length: UIDs pad with NUL, text with a space (PS3.5 6.2).
        byte pad = vr.equals("UI") ? (byte) 0 : (byte) ' ';
        return element(tag, vr, padded(text, pad));
    }

    DicomOutput strings(int tag, String vr, String... values) {
        return string(tag, vr, String.join("\\", values));
    }

    DicomOutput decimals(int tag, double... values) {
        String[] texts = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            texts[i] = decimalString(values[i]);
        }
        return strings(tag, "DS", texts);
    }

    DicomOutput integerString(int tag, long value) {
        return string(tag, "IS", Long.toString(value));
    }

    DicomOutput us(int tag, int value) {
        return element(tag, "US", new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    DicomOutput ul(int tag, long value) {
        return element(tag, "UL", le32(value));
    }

    DicomOutput sl(int tag, int value) {
        return element(tag, "SL", le32(value));
    }

    DicomOutput fl(int tag, float value) {
        return element(tag, "FL", le32(Float.floatToIntBits(value)));
    }

    DicomOutput at(int tag, int... tags) {
        byte[] value = new byte[4 * tags.length];
        for (int i = 0; i < tags.length; i++) {
            int t = tags[i];
            // AT is a group number then an element number, each a 16-bit little-endian value.
            value[4 * i] = (byte) (t >>> 16);
            value[4 * i + 1] = (byte) (t >>> 24);
            value[4 * i + 2] = (byte) t;
            value[4 * i + 3] = (byte) (t >>> 8);
        }
        return element(tag, "AT", value);
    }

    DicomOutput ov(int tag, long[] values) {
        byte[] value = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            for (int b = 0; b < 8; b++) {
                value[8 * i + b] = (byte) (values[i] >>> (8 * b));
            }
        }
        return element(tag, "OV", value);
    }

    DicomOutput ob(int tag, byte[] value) {
        return element(tag, "OB", padded(value, (byte) 0));
    }

    /** A sequence; undefined length (with delimiters) for long ones, as scanners commonly write them. */
    DicomOutput sequence(int tag, List<DicomOutput> items, boolean undefinedLength) {
        order(tag);
        header(tag, "SQ", undefinedLength ? 0xFFFFFFFFL : itemsLength(items, undefinedLength));
        for (DicomOutput item : items) {
            byte[] content = item.toByteArray();
            writeTag(Tag.ITEM);
            writeLe32(undefinedLength ? 0xFFFFFFFFL : content.length);
            bytes.writeBytes(content);
            if (undefinedLength) {
                writeTag(Tag.ITEM_DELIMITATION_ITEM);
                writeLe32(0);
            }
        }
        if (undefinedLength) {
            writeTag(Tag.SEQUENCE_DELIMITATION_ITEM);
            writeLe32(0);
        }
        return this;
    }

    DicomOutput sequence(int tag, DicomOutput... items) {
        return sequence(tag, List.of(items), false);
    }

    /** Appends an element header and the value as given; the caller pads. */
    DicomOutput element(int tag, String vr, byte[] value) {
        order(tag);
        if (!hasLongLength(vr) && value.length > 0xFFFF) {
            throw new IllegalArgumentException("value too long for VR " + vr + " at " + Tag.format(tag));
        }
        header(tag, vr, value.length);
        bytes.writeBytes(value);
        return this;
    }

    /** The header of an element whose value the caller writes itself (Pixel Data). */
    DicomOutput header(int tag, String vr, long length) {
        if (!hasLongLength(vr) && !SHORT_VRS.contains(vr)) {
            throw new IllegalArgumentException("unknown VR " + vr + " for " + Tag.format(tag));
        }
        writeTag(tag);
        bytes.write(vr.charAt(0));
        bytes.write(vr.charAt(1));
        if (hasLongLength(vr)) {
            bytes.write(0);
            bytes.write(0);
            writeLe32(length);
        } else {
            bytes.write((int) length);
            bytes.write((int) (length >>> 8));
        }
        return this;
    }

    DicomOutput raw(byte[] value) {
        bytes.writeBytes(value);
        return this;
    }

    void writeTag(int tag) {
        bytes.write(tag >>> 16);
        bytes.write(tag >>> 24);
        bytes.write(tag);
        bytes.write(tag >>> 8);
    }

    void writeLe32(long value) {
        bytes.writeBytes(le32(value));
    }

    int size() {
        return bytes.size();
    }

    byte[] toByteArray() {
        return bytes.toByteArray();
    }

    private void order(int tag) {
        long unsigned = Integer.toUnsignedLong(tag);
        if (unsigned <= lastTag) {
            throw new IllegalStateException("tag " + Tag.format(tag) + " out of order");
        }
        lastTag = unsigned;
    }

    private static long itemsLength(List<DicomOutput> items, boolean undefinedLength) {
        long total = 0;
        for (DicomOutput item : items) {
            total += 8 + item.size() + (undefinedLength ? 8 : 0);
        }
        return total;
    }

    static byte[] le32(long value) {
        return new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
    }

    private static byte[] padded(byte[] value, byte pad) {
        if (value.length % 2 == 0) {
            return value;
        }
        byte[] even = java.util.Arrays.copyOf(value, value.length + 1);
        even[value.length] = pad;
        return even;
    }

    /** DS values are at most 16 characters (PS3.5 6.2). */
    static String decimalString(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("not a finite decimal: " + value);
        }
        for (int digits = 15; digits > 0; digits--) {
            // BigDecimal writes exponents as "2.5E-7", which the DS grammar accepts.
            String text = new BigDecimal(value)
                    .round(new java.math.MathContext(digits))
                    .stripTrailingZeros()
                    .toString();
            if (text.length() <= 16) {
                return text;
            }
        }
        throw new IllegalArgumentException("cannot write " + value + " as a DS");
    }
}
