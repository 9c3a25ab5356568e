package org.tessera.dicom;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.tessera.dicom.DicomFormatException.Code;

/**
 * Parses a Part-10 file up to Pixel Data: the preamble and {@code DICM}, the meta group, then the data set in Explicit
 * or Implicit VR Little Endian with nested sequences of defined and undefined length. Every length is checked against
 * the file size before it is used, and values are kept only up to a bound, so an absurd declared length fails as
 * TRUNCATED or TOO_LARGE instead of allocating.
 */
final class DicomParser {

    static final long UNDEFINED_LENGTH = 0xFFFFFFFFL;
    private static final int MAX_DEPTH = 24;
    private static final int MAX_VALUE_BYTES = 64 << 20;
    private static final long MAX_STORED_BYTES = 256L << 20;

    /**
     * What a file holds before its pixels.
     *
     * @param pixelDataOffset where Pixel Data's value starts, or -1 when the file has none
     * @param pixelDataLength its declared length ({@link #UNDEFINED_LENGTH} for encapsulated pixel data)
     * @param planeColumns per frame, Column Position In Total Image Pixel Matrix (0 where a frame has none)
     * @param planeRows per frame, Row Position In Total Image Pixel Matrix
     */
    record Header(
            Attributes meta,
            Attributes dataset,
            String transferSyntax,
            long pixelDataOffset,
            long pixelDataLength,
            int[] planeColumns,
            int[] planeRows,
            int perFrameItems) {}

    private final ChannelInput in;
    private long storedBytes;
    private int[] planeColumns = new int[0];
    private int[] planeRows = new int[0];
    private int perFrameItems;

    private DicomParser(ChannelInput in) {
        this.in = in;
    }

    /** Whether the file carries the Part-10 magic. */
    static boolean isPart10(SharedChannel channel) throws IOException {
        if (channel.size() < 132) {
            return false;
        }
        byte[] magic = new byte[4];
        channel.readFully(128, magic, 0, 4);
        return magic[0] == 'D' && magic[1] == 'I' && magic[2] == 'C' && magic[3] == 'M';
    }

    static Header parse(SharedChannel channel) throws IOException {
        if (!isPart10(channel)) {
            throw new DicomFormatException(
                    Code.NOT_DICOM, channel.name() + ": not a DICOM file (no DICM magic after the 128-byte preamble)");
        }
        return new DicomParser(new ChannelInput(channel, 132)).parse();
    }

    private Header parse() throws IOException {
        Attributes meta = new Attributes();
        while (in.remaining() >= 8) {
            long start = in.position();
            int tag = in.tag();
            if (tag >>> 16 != 0x0002) {
                in.seek(start);
                break;
            }
            readElement(meta, tag, true, 0);
        }
        String transferSyntax = meta.string(Tag.TRANSFER_SYNTAX_UID);
        if (transferSyntax == null || transferSyntax.isEmpty()) {
            throw new DicomFormatException(
                    Code.NOT_DICOM, in.name() + ": the file meta information has no Transfer Syntax UID (0002,0010)");
        }
        boolean explicit;
        switch (transferSyntax) {
            case DicomUids.IMPLICIT_VR_LITTLE_ENDIAN -> explicit = false;
            case DicomUids.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN, DicomUids.EXPLICIT_VR_BIG_ENDIAN ->
                throw new DicomFormatException(
                        Code.UNSUPPORTED_TRANSFER_SYNTAX,
                        in.name() + ": transfer syntax " + DicomUids.transferSyntaxName(transferSyntax) + " ("
                                + transferSyntax + ") is not supported");
            // Every encapsulated (compressed) transfer syntax encodes the data set in Explicit VR Little Endian.
            default -> explicit = true;
        }
        Attributes dataset = new Attributes();
        long pixelDataOffset = -1;
        long pixelDataLength = 0;
        while (in.remaining() >= 8) {
            long start = in.position();
            int tag = in.tag();
            if (tag == Tag.PIXEL_DATA) {
                String vr = explicit ? vr() : "OB";
                pixelDataLength = explicit && !DicomOutput.hasLongLength(vr) ? in.u16() : lengthAfterVr(explicit, vr);
                pixelDataOffset = in.position();
                break;
            }
            if (Integer.compareUnsigned(tag, Tag.PIXEL_DATA) > 0) {
                // Trailing padding and anything else after where the pixels would be.
                in.seek(start);
                break;
            }
            if (tag == Tag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE) {
                readPerFrameGroups(explicit);
                continue;
            }
            readElement(dataset, tag, explicit, 0);
        }
        if (pixelDataOffset < 0 && in.remaining() > 0 && in.remaining() < 8) {
            throw new DicomFormatException(
                    Code.TRUNCATED, in.name() + ": the file ends inside an element header at offset " + in.position());
        }
        return new Header(
                meta,
                dataset,
                transferSyntax,
                pixelDataOffset,
                pixelDataLength,
                Arrays.copyOf(planeColumns, perFrameItems),
                Arrays.copyOf(planeRows, perFrameItems),
                perFrameItems);
    }

    /** Reads a VR; in Explicit VR Little Endian it is two upper-case letters. */
    private String vr() throws IOException {
        int a = in.u8();
        int b = in.u8();
        if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') {
            throw new DicomFormatException(
                    Code.NOT_DICOM,
                    in.name() + ": malformed element at offset " + (in.position() - 6) + " (invalid VR bytes " + a + ","
                            + b + ")");
        }
        return "" + (char) a + (char) b;
    }

    private long lengthAfterVr(boolean explicit, String vr) throws IOException {
        if (explicit && DicomOutput.hasLongLength(vr)) {
            in.u16();
            return in.u32();
        }
        if (explicit) {
            return in.u16();
        }
        return in.u32();
    }

    private void readElement(Attributes target, int tag, boolean explicit, int depth) throws IOException {
        String vr;
        long length;
        if (explicit) {
            vr = vr();
            // VRs this parser does not know use the long form, as PS3.5 7.1.2 requires of new VRs.
            boolean shortForm = !DicomOutput.hasLongLength(vr) && knownShortVr(vr);
            if (shortForm) {
                length = in.u16();
            } else {
                in.u16();
                length = in.u32();
            }
        } else {
            vr = Tag.implicitVr(tag);
            length = in.u32();
        }
        if (vr.equals("SQ") || (length == UNDEFINED_LENGTH && vr.equals("UN"))) {
            // An undefined-length UN is a sequence encoded in Implicit VR Little Endian (PS3.5 6.2.2).
            boolean itemsExplicit = explicit && !vr.equals("UN");
            target.add(new Attributes.Element(tag, "SQ", null, readSequence(length, itemsExplicit, depth + 1, null)));
            return;
        }
        if (!explicit && length == UNDEFINED_LENGTH) {
            target.add(new Attributes.Element(tag, "SQ", null, readSequence(length, false, depth + 1, null)));
            return;
        }
        if (length == UNDEFINED_LENGTH) {
            // Encapsulated pixel data of an icon image or similar inside an item: not needed, skip its fragments.
            skipFragments();
            target.add(new Attributes.Element(tag, vr, null, List.of()));
            return;
        }
        in.require(length);
        if (length > MAX_VALUE_BYTES || storedBytes + length > MAX_STORED_BYTES) {
            if (tag == Tag.EXTENDED_OFFSET_TABLE || tag == Tag.EXTENDED_OFFSET_TABLE_LENGTHS) {
                throw new DicomFormatException(
                        Code.TOO_LARGE, in.name() + ": " + Tag.format(tag) + " of " + length + " bytes is too large");
            }
            in.skip(length);
            target.add(new Attributes.Element(tag, vr, null, List.of()));
            return;
        }
        storedBytes += length;
        target.add(new Attributes.Element(tag, vr, in.bytes((int) length), List.of()));
    }

    private static boolean knownShortVr(String vr) {
        return DicomOutput.SHORT_VRS.contains(vr);
    }

    private List<Attributes> readSequence(long length, boolean explicit, int depth, Consumer<Attributes> sink)
            throws IOException {
        if (depth > MAX_DEPTH) {
            throw new DicomFormatException(
                    Code.NOT_DICOM, in.name() + ": sequences nested deeper than " + MAX_DEPTH + " at " + in.position());
        }
        List<Attributes> items = new ArrayList<>();
        long end = -1;
        if (length != UNDEFINED_LENGTH) {
            in.require(length);
            end = in.position() + length;
        }
        while (end < 0 || in.position() < end) {
            long at = in.position();
            int tag = in.tag();
            long itemLength = in.u32();
            if (tag == Tag.SEQUENCE_DELIMITATION_ITEM && end < 0) {
                break;
            }
            if (tag != Tag.ITEM) {
                throw new DicomFormatException(
                        Code.NOT_DICOM,
                        in.name() + ": expected an item at offset " + at + " but found " + Tag.format(tag));
            }
            Attributes item = readItem(itemLength, explicit, depth);
            if (sink != null) {
                sink.accept(item);
            } else {
                items.add(item);
            }
        }
        if (end >= 0 && in.position() != end) {
            throw new DicomFormatException(
                    Code.NOT_DICOM, in.name() + ": a sequence's items overrun its length at offset " + in.position());
        }
        return items;
    }

    private Attributes readItem(long length, boolean explicit, int depth) throws IOException {
        Attributes item = new Attributes();
        if (length == UNDEFINED_LENGTH) {
            while (true) {
                int tag = in.tag();
                if (tag == Tag.ITEM_DELIMITATION_ITEM) {
                    in.u32();
                    return item;
                }
                readElement(item, tag, explicit, depth);
            }
        }
        in.require(length);
        long end = in.position() + length;
        while (in.position() < end) {
            readElement(item, in.tag(), explicit, depth);
        }
        if (in.position() != end) {
            throw new DicomFormatException(
                    Code.NOT_DICOM, in.name() + ": an item's elements overrun its length at offset " + in.position());
        }
        return item;
    }

    private void skipFragments() throws IOException {
        while (true) {
            int tag = in.tag();
            long length = in.u32();
            if (tag == Tag.SEQUENCE_DELIMITATION_ITEM) {
                return;
            }
            if (tag != Tag.ITEM || length == UNDEFINED_LENGTH) {
                throw new DicomFormatException(
                        Code.NOT_DICOM, in.name() + ": malformed encapsulated value at offset " + (in.position() - 8));
            }
            in.skip(length);
        }
    }

    /** Keeps only each frame's position: a per-frame item per tile adds up on big sparse slides. */
    private void readPerFrameGroups(boolean explicit) throws IOException {
        String vr = explicit ? vr() : "SQ";
        long length = lengthAfterVr(explicit, explicit ? vr : "SQ");
        readSequence(length, explicit, 1, item -> {
            if (perFrameItems == planeColumns.length) {
                int grown = Math.max(64, perFrameItems * 2);
                planeColumns = Arrays.copyOf(planeColumns, grown);
                planeRows = Arrays.copyOf(planeRows, grown);
            }
            Attributes position = item.item(Tag.PLANE_POSITION_SLIDE_SEQUENCE);
            if (position != null) {
                planeColumns[perFrameItems] =
                        (int) position.integer(Tag.COLUMN_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX, 0);
                planeRows[perFrameItems] = (int) position.integer(Tag.ROW_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX, 0);
            }
            perFrameItems++;
        });
    }
}
