package org.tessera.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Small DICOM files built element by element, for the inputs the writer never produces. */
final class HandBuilt {

    private HandBuilt() {}

    static byte[] part10(String sopClass, String transferSyntax, byte[] dataset) {
        DicomOutput meta = new DicomOutput()
                .element(Tag.FILE_META_INFORMATION_VERSION, "OB", new byte[] {0, 1})
                .string(Tag.MEDIA_STORAGE_SOP_CLASS_UID, "UI", sopClass)
                .string(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID, "UI", "1.2.3.4.5")
                .string(Tag.TRANSFER_SYNTAX_UID, "UI", transferSyntax);
        byte[] metaBytes = meta.toByteArray();
        DicomOutput file = new DicomOutput();
        file.raw(new byte[128]);
        file.raw("DICM".getBytes(StandardCharsets.US_ASCII));
        file.ul(Tag.FILE_META_INFORMATION_GROUP_LENGTH, metaBytes.length);
        file.raw(metaBytes);
        file.raw(dataset);
        return file.toByteArray();
    }

    /**
     * The attributes of a TILED_FULL JPEG level {@code width x height} with {@code tile}-pixel frames, in Explicit
     * VR, up to (not including) Pixel Data.
     */
    static DicomOutput wsiHeader(String seriesUid, int width, int height, int tile, int frames) {
        return new DicomOutput()
                .strings(Tag.IMAGE_TYPE, "CS", "ORIGINAL", "PRIMARY", "VOLUME", "NONE")
                .string(Tag.SOP_CLASS_UID, "UI", DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE)
                .string(Tag.SOP_INSTANCE_UID, "UI", seriesUid + ".1")
                .string(Tag.MODALITY, "CS", "SM")
                .string(Tag.STUDY_INSTANCE_UID, "UI", "1.2.3")
                .string(Tag.SERIES_INSTANCE_UID, "UI", seriesUid)
                .string(Tag.DIMENSION_ORGANIZATION_TYPE, "CS", "TILED_FULL")
                .us(Tag.SAMPLES_PER_PIXEL, 3)
                .string(Tag.PHOTOMETRIC_INTERPRETATION, "CS", "YBR_FULL_422")
                .us(Tag.PLANAR_CONFIGURATION, 0)
                .integerString(Tag.NUMBER_OF_FRAMES, frames)
                .us(Tag.ROWS, tile)
                .us(Tag.COLUMNS, tile)
                .us(Tag.BITS_ALLOCATED, 8)
                .us(Tag.BITS_STORED, 8)
                .us(Tag.HIGH_BIT, 7)
                .us(Tag.PIXEL_REPRESENTATION, 0)
                .ul(Tag.TOTAL_PIXEL_MATRIX_COLUMNS, width)
                .ul(Tag.TOTAL_PIXEL_MATRIX_ROWS, height);
    }

    /**
     * Encapsulated pixel data: each frame split into the given fragments, with or without a Basic Offset Table.
     */
    static byte[] encapsulated(List<byte[][]> frames, boolean basicOffsetTable) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        long[] offsets = new long[frames.size()];
        for (int f = 0; f < frames.size(); f++) {
            offsets[f] = items.size();
            for (byte[] fragment : frames.get(f)) {
                DicomOutput item = new DicomOutput();
                item.writeTag(Tag.ITEM);
                item.writeLe32(fragment.length);
                items.writeBytes(item.toByteArray());
                items.writeBytes(fragment);
            }
        }
        DicomOutput out = new DicomOutput();
        out.header(Tag.PIXEL_DATA, "OB", DicomParser.UNDEFINED_LENGTH);
        out.writeTag(Tag.ITEM);
        if (basicOffsetTable) {
            out.writeLe32(4L * offsets.length);
            for (long offset : offsets) {
                out.writeLe32(offset);
            }
        } else {
            out.writeLe32(0);
        }
        out.raw(items.toByteArray());
        out.writeTag(Tag.SEQUENCE_DELIMITATION_ITEM);
        out.writeLe32(0);
        return out.toByteArray();
    }

    /** Splits a JPEG stream into fragments of even length, as some encoders do at their buffer size. */
    static byte[][] split(byte[] jpeg, int pieces) {
        byte[] even = jpeg.length % 2 == 0 ? jpeg : java.util.Arrays.copyOf(jpeg, jpeg.length + 1);
        byte[][] parts = new byte[pieces][];
        int size = (even.length / pieces) & ~1;
        for (int i = 0; i < pieces; i++) {
            int from = i * size;
            int to = i == pieces - 1 ? even.length : from + size;
            parts[i] = java.util.Arrays.copyOfRange(even, from, to);
        }
        return parts;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    // Implicit VR Little Endian: tag, 32-bit length, value; no VR on the wire.

    static void implicitElement(ByteArrayOutputStream out, int tag, byte[] value) {
        writeTag(out, tag);
        out.writeBytes(DicomOutput.le32(value.length));
        out.writeBytes(value);
    }

    static void implicitString(ByteArrayOutputStream out, int tag, String value, boolean uid) {
        byte[] text = value.getBytes(StandardCharsets.US_ASCII);
        if (text.length % 2 != 0) {
            text = java.util.Arrays.copyOf(text, text.length + 1);
            text[text.length - 1] = uid ? 0 : (byte) ' ';
        }
        implicitElement(out, tag, text);
    }

    static void implicitUs(ByteArrayOutputStream out, int tag, int value) {
        implicitElement(out, tag, new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    static void implicitUl(ByteArrayOutputStream out, int tag, long value) {
        implicitElement(out, tag, DicomOutput.le32(value));
    }

    static void writeTag(ByteArrayOutputStream out, int tag) {
        out.write(tag >>> 16);
        out.write(tag >>> 24);
        out.write(tag);
        out.write(tag >>> 8);
    }

    static void undefinedLength(ByteArrayOutputStream out, int tag) {
        writeTag(out, tag);
        out.writeBytes(DicomOutput.le32(DicomParser.UNDEFINED_LENGTH));
    }

    static void delimiter(ByteArrayOutputStream out, int tag) {
        writeTag(out, tag);
        out.writeBytes(DicomOutput.le32(0));
    }
}
