package org.tessera.dicom;

import java.io.Closeable;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.tessera.dicom.DicomFormatException.Code;

/**
 * One whole-slide instance (one pyramid level, or a label or overview image): its header, and for levels the index
 * from (tileX, tileY) to the bytes of the frame. Immutable once {@link #indexFrames()} has run; frame reads are safe
 * from many threads.
 */
final class DicomInstance implements Closeable {

    private static final Set<String> JPEG_SYNTAXES = Set.of(DicomUids.JPEG_BASELINE, DicomUids.JPEG_EXTENDED);
    private static final Set<String> NATIVE_SYNTAXES =
            Set.of(DicomUids.IMPLICIT_VR_LITTLE_ENDIAN, DicomUids.EXPLICIT_VR_LITTLE_ENDIAN);
    /** What {@link FrameDecoder#uncompressed} turns into colours: one sample, or three interleaved or planar. */
    private static final Set<String> NATIVE_PHOTOMETRICS = Set.of("MONOCHROME1", "MONOCHROME2", "RGB", "YBR_FULL");

    private final SharedChannel channel;
    private final DicomParser.Header header;
    private final Attributes data;
    final String name;
    final String sopClassUid;
    final String studyUid;
    final String seriesUid;
    final List<String> imageType;
    final String transferSyntax;

    private int width;
    private int height;
    private int columns;
    private int rows;
    private int tilesAcross;
    private int tilesDown;
    private int frameCount;
    private int samples;
    private int planarConfiguration;
    private String photometric;
    private DimensionOrganization organization;
    private double mppX = Double.NaN;
    private double mppY = Double.NaN;
    /**
     * For TILED_SPARSE: the tiles that have a frame (row-major tile numbers, ascending) and the frame of each, so that
     * the index grows with the frames the file holds, not with the tile grid it declares. Null for TILED_FULL.
     */
    private int[] sparseTiles;

    private int[] sparseFrames;
    /** Compressed bytes one frame may span: as many as it may take decoded. */
    private long maxFrameBytes;
    /** For encapsulated pixel data: where each frame's items start, and where they end. */
    private long[] frameStart;

    private long[] frameEnd;
    /** For native pixel data: the value's start. */
    private long nativeStart = -1;

    private DicomInstance(SharedChannel channel, DicomParser.Header header) {
        this.channel = channel;
        this.header = header;
        this.data = header.dataset();
        this.name = channel.name();
        String sop = data.string(Tag.SOP_CLASS_UID);
        if (sop == null || sop.isEmpty()) {
            sop = header.meta().string(Tag.MEDIA_STORAGE_SOP_CLASS_UID);
        }
        this.sopClassUid = sop == null ? "" : sop;
        this.studyUid = nullToEmpty(data.string(Tag.STUDY_INSTANCE_UID));
        this.seriesUid = nullToEmpty(data.string(Tag.SERIES_INSTANCE_UID));
        this.imageType = data.strings(Tag.IMAGE_TYPE);
        this.transferSyntax = header.transferSyntax();
    }

    static DicomInstance open(SharedChannel channel) throws IOException {
        try {
            return new DicomInstance(channel, DicomParser.parse(channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    boolean isWholeSlide() {
        return DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE.equals(sopClassUid);
    }

    /** The third value of Image Type: VOLUME, LABEL, OVERVIEW, THUMBNAIL (VOLUME when the file does not say). */
    String flavour() {
        return imageType.size() >= 3 ? imageType.get(2) : "VOLUME";
    }

    /** Total Pixel Matrix Columns, 0 when absent or out of range (for ordering and describing). */
    long declaredWidth() {
        return data.integer(Tag.TOTAL_PIXEL_MATRIX_COLUMNS, data.integer(Tag.COLUMNS, 0));
    }

    long declaredHeight() {
        return data.integer(Tag.TOTAL_PIXEL_MATRIX_ROWS, data.integer(Tag.ROWS, 0));
    }

    /** Validates everything a level needs against the reader's limits and indexes its frames. */
    void indexFrames(DicomWsiReader.Options limits) throws IOException {
        if (!JPEG_SYNTAXES.contains(transferSyntax) && !NATIVE_SYNTAXES.contains(transferSyntax)) {
            throw new DicomFormatException(
                    Code.UNSUPPORTED_TRANSFER_SYNTAX,
                    name + ": pixel data in " + DicomUids.transferSyntaxName(transferSyntax) + " (" + transferSyntax
                            + ") cannot be decoded; supported: JPEG Baseline (" + DicomUids.JPEG_BASELINE
                            + ") and uncompressed");
        }
        if (header.pixelDataOffset() < 0) {
            throw new DicomFormatException(Code.NO_PIXEL_DATA, name + ": no Pixel Data (7FE0,0010)");
        }
        rows = (int) require(Tag.ROWS, 1, limits.maxFrameSide());
        columns = (int) require(Tag.COLUMNS, 1, limits.maxFrameSide());
        maxFrameBytes = limits.maxFrameBytes();
        if ((long) rows * columns * 4 > maxFrameBytes) {
            throw new DicomFormatException(
                    Code.TOO_LARGE,
                    name + ": frames of " + columns + "x" + rows + " pixels decode to " + (long) rows * columns * 4
                            + " bytes, above the limit of " + maxFrameBytes);
        }
        width = (int) require(Tag.TOTAL_PIXEL_MATRIX_COLUMNS, 1, Integer.MAX_VALUE);
        height = (int) require(Tag.TOTAL_PIXEL_MATRIX_ROWS, 1, Integer.MAX_VALUE);
        frameCount = (int) require(Tag.NUMBER_OF_FRAMES, 1, Integer.MAX_VALUE);
        samples = (int) require(Tag.SAMPLES_PER_PIXEL, 1, 3);
        if (samples == 2) {
            throw invalid(Tag.SAMPLES_PER_PIXEL, "must be 1 or 3");
        }
        long bits = require(Tag.BITS_ALLOCATED, 1, 64);
        if (bits != 8) {
            throw new DicomFormatException(
                    Code.UNSUPPORTED_PIXEL_FORMAT,
                    name + ": BitsAllocated " + Tag.format(Tag.BITS_ALLOCATED) + " is " + bits
                            + "; only 8 bits per sample are decoded");
        }
        planarConfiguration = (int) data.integer(Tag.PLANAR_CONFIGURATION, 0);
        photometric = nullToEmpty(data.string(Tag.PHOTOMETRIC_INTERPRETATION));
        if (NATIVE_SYNTAXES.contains(transferSyntax) && !NATIVE_PHOTOMETRICS.contains(photometric)) {
            throw new DicomFormatException(
                    Code.UNSUPPORTED_PIXEL_FORMAT,
                    name + ": uncompressed pixels in PhotometricInterpretation "
                            + Tag.format(Tag.PHOTOMETRIC_INTERPRETATION) + " '" + photometric
                            + "' are not decoded; supported: " + NATIVE_PHOTOMETRICS);
        }
        long across = ((long) width + columns - 1) / columns;
        long down = ((long) height + rows - 1) / rows;
        if (across * down > limits.maxTilesPerLevel()) {
            throw new DicomFormatException(
                    Code.DECOMPRESSION_BOMB,
                    name + ": a " + width + "x" + height + " pixel matrix in frames of " + columns + "x" + rows
                            + " makes " + across + "x" + down + " tiles, more than the " + limits.maxTilesPerLevel()
                            + " a level may have");
        }
        tilesAcross = (int) across;
        tilesDown = (int) down;
        readPixelSpacing();
        organization = organization();
        if (organization == DimensionOrganization.TILED_SPARSE) {
            mapSparseTiles();
        } else if (frameCount < across * down) {
            throw invalid(
                    Tag.NUMBER_OF_FRAMES,
                    "is " + frameCount + " but TILED_FULL needs " + across * down + " frames for " + across + "x" + down
                            + " tiles");
        }
        if (NATIVE_SYNTAXES.contains(transferSyntax)) {
            long frameBytes = (long) rows * columns * samples * (bits / 8);
            long needed = frameBytes * frameCount;
            if (header.pixelDataLength() == DicomParser.UNDEFINED_LENGTH || header.pixelDataLength() < needed) {
                throw new DicomFormatException(
                        Code.INVALID_ATTRIBUTE,
                        name + ": Pixel Data holds " + header.pixelDataLength() + " bytes, " + frameCount
                                + " frames need " + needed);
            }
            if (header.pixelDataOffset() + needed > channel.size()) {
                throw truncated(
                        "uncompressed pixel data needs " + needed + " bytes from offset " + header.pixelDataOffset());
            }
            nativeStart = header.pixelDataOffset();
        } else {
            if (header.pixelDataLength() != DicomParser.UNDEFINED_LENGTH) {
                throw new DicomFormatException(
                        Code.INVALID_ATTRIBUTE,
                        name + ": JPEG pixel data must be encapsulated (undefined length), found a length of "
                                + header.pixelDataLength());
            }
            // Every encapsulated frame takes at least an 8-byte item header: checked before allocating an index.
            long room = (channel.size() - header.pixelDataOffset()) / 8;
            if (frameCount > room) {
                throw truncated("Number of Frames is " + frameCount + " but the pixel data can hold at most " + room);
            }
            indexFragments();
        }
    }

    private DimensionOrganization organization() throws DicomFormatException {
        String type = data.string(Tag.DIMENSION_ORGANIZATION_TYPE);
        if ("TILED_FULL".equals(type)) {
            return DimensionOrganization.TILED_FULL;
        }
        if (header.perFrameItems() > 0) {
            return DimensionOrganization.TILED_SPARSE;
        }
        if ("TILED_SPARSE".equals(type)) {
            throw invalid(Tag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, "is missing; TILED_SPARSE needs frame positions");
        }
        return DimensionOrganization.TILED_FULL;
    }

    private void mapSparseTiles() throws DicomFormatException {
        if (header.perFrameItems() < frameCount) {
            throw invalid(
                    Tag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE,
                    "has " + header.perFrameItems() + " items for " + frameCount + " frames");
        }
        int[] planeColumns = header.planeColumns();
        int[] planeRows = header.planeRows();
        // Tile number in the high half, frame in the low half: sorted, the first frame of each tile comes first.
        long[] tileAndFrame = new long[frameCount];
        for (int frame = 0; frame < frameCount; frame++) {
            int column = planeColumns[frame] - 1;
            int row = planeRows[frame] - 1;
            if (column < 0 || row < 0 || column % columns != 0 || row % rows != 0) {
                throw invalid(
                        Tag.PLANE_POSITION_SLIDE_SEQUENCE,
                        "frame " + (frame + 1) + " is at column " + (column + 1) + ", row " + (row + 1)
                                + ", not on the " + columns + "x" + rows + " tile grid");
            }
            int tx = column / columns;
            int ty = row / rows;
            if (tx >= tilesAcross || ty >= tilesDown) {
                throw invalid(
                        Tag.PLANE_POSITION_SLIDE_SEQUENCE,
                        "frame " + (frame + 1) + " lies outside the " + width + "x" + height + " pixel matrix");
            }
            tileAndFrame[frame] = ((long) ty * tilesAcross + tx) << 32 | frame;
        }
        Arrays.sort(tileAndFrame);
        int[] tiles = new int[frameCount];
        int[] frames = new int[frameCount];
        int n = 0;
        for (long entry : tileAndFrame) {
            int tile = (int) (entry >>> 32);
            // Further focal planes or optical paths at the same position come later; the first one wins.
            if (n == 0 || tiles[n - 1] != tile) {
                tiles[n] = tile;
                frames[n] = (int) entry;
                n++;
            }
        }
        sparseTiles = Arrays.copyOf(tiles, n);
        sparseFrames = Arrays.copyOf(frames, n);
    }

    private void readPixelSpacing() {
        double[] spacing = new double[0];
        Attributes shared = data.item(Tag.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
        if (shared != null && shared.item(Tag.PIXEL_MEASURES_SEQUENCE) != null) {
            spacing = shared.item(Tag.PIXEL_MEASURES_SEQUENCE).decimals(Tag.PIXEL_SPACING);
        }
        if (spacing.length == 0) {
            spacing = data.decimals(Tag.PIXEL_SPACING);
        }
        if (spacing.length == 2 && spacing[0] > 0 && spacing[1] > 0) {
            // Pixel Spacing is row spacing (vertical) then column spacing (horizontal), in millimetres.
            mppY = spacing[0] * 1000;
            mppX = spacing[1] * 1000;
            return;
        }
        double[] volumeWidth = data.decimals(Tag.IMAGED_VOLUME_WIDTH);
        double[] volumeHeight = data.decimals(Tag.IMAGED_VOLUME_HEIGHT);
        if (volumeWidth.length == 1 && volumeHeight.length == 1 && volumeWidth[0] > 0 && volumeHeight[0] > 0) {
            mppX = volumeWidth[0] * 1000 / width;
            mppY = volumeHeight[0] * 1000 / height;
        }
    }

    /**
     * Frame boundaries from the Basic Offset Table, else the Extended Offset Table, else by walking the fragments
     * (one per frame, or a new frame at each fragment that starts a JPEG stream).
     */
    private void indexFragments() throws IOException {
        ChannelInput in = new ChannelInput(channel, header.pixelDataOffset());
        int tag = in.tag();
        long botLength = in.u32();
        if (tag != Tag.ITEM || botLength == DicomParser.UNDEFINED_LENGTH || botLength % 4 != 0) {
            throw new DicomFormatException(
                    Code.INVALID_ATTRIBUTE,
                    name + ": encapsulated Pixel Data does not start with a Basic Offset Table item");
        }
        in.require(botLength);
        long first = in.position() + botLength;
        frameStart = new long[frameCount];
        frameEnd = new long[frameCount];
        long[] eot = data.longs(Tag.EXTENDED_OFFSET_TABLE);
        long[] eotLengths = data.longs(Tag.EXTENDED_OFFSET_TABLE_LENGTHS);
        if (botLength > 0) {
            if (botLength / 4 != frameCount) {
                throw invalid(
                        Tag.NUMBER_OF_FRAMES,
                        "is " + frameCount + " but the Basic Offset Table has " + botLength / 4 + " entries");
            }
            for (int i = 0; i < frameCount; i++) {
                frameStart[i] = first + in.u32();
                if (i > 0 && frameStart[i] <= frameStart[i - 1]) {
                    throw new DicomFormatException(
                            Code.INVALID_ATTRIBUTE, name + ": Basic Offset Table entry " + i + " is not increasing");
                }
                checkInFile(frameStart[i], "Basic Offset Table entry " + i);
            }
            for (int i = 0; i + 1 < frameCount; i++) {
                frameEnd[i] = frameStart[i + 1];
            }
            frameEnd[frameCount - 1] = endOfFragments(in, frameStart[frameCount - 1]);
        } else if (eot != null && eotLengths != null) {
            if (eot.length != frameCount || eotLengths.length != frameCount) {
                throw invalid(
                        Tag.EXTENDED_OFFSET_TABLE,
                        "has " + eot.length + " offsets and " + eotLengths.length + " lengths for " + frameCount
                                + " frames");
            }
            for (int i = 0; i < frameCount; i++) {
                // Each frame is exactly one fragment when the Extended Offset Table is used (PS3.5 A.4).
                if (eot[i] < 0 || eotLengths[i] < 0 || eot[i] > channel.size()) {
                    throw truncated("Extended Offset Table entry " + i + " points past the end of the file");
                }
                frameStart[i] = first + eot[i];
                frameEnd[i] = frameStart[i] + 8 + eotLengths[i];
                checkInFile(frameEnd[i], "Extended Offset Table entry " + i);
            }
        } else {
            scanFragments(in, first);
        }
    }

    private long endOfFragments(ChannelInput in, long start) throws IOException {
        in.seek(start);
        while (in.remaining() >= 8) {
            long at = in.position();
            int tag = in.tag();
            long length = in.u32();
            if (tag != Tag.ITEM) {
                return at;
            }
            in.skip(length);
        }
        if (in.remaining() == 0) {
            return in.position();
        }
        throw truncated("the last frame's fragments run past the end of the file");
    }

    private void scanFragments(ChannelInput in, long first) throws IOException {
        long[] starts = new long[Math.min(frameCount, 1 << 16)];
        long[] ends = new long[starts.length];
        boolean[] startsJpeg = new boolean[starts.length];
        int fragments = 0;
        in.seek(first);
        while (true) {
            if (in.remaining() < 8) {
                if (in.remaining() == 0 && fragments >= frameCount) {
                    break;
                }
                throw truncated("encapsulated Pixel Data ends without a sequence delimiter after " + fragments
                        + " fragments (" + frameCount + " frames expected)");
            }
            long at = in.position();
            int tag = in.tag();
            long length = in.u32();
            if (tag == Tag.SEQUENCE_DELIMITATION_ITEM) {
                break;
            }
            if (tag != Tag.ITEM) {
                throw new DicomFormatException(
                        Code.INVALID_ATTRIBUTE, name + ": expected a fragment item at offset " + at);
            }
            in.require(length);
            if (fragments == starts.length) {
                if ((long) fragments * 8 > channel.size()) {
                    throw truncated("more fragments than the file can hold");
                }
                int grown = fragments * 2;
                starts = Arrays.copyOf(starts, grown);
                ends = Arrays.copyOf(ends, grown);
                startsJpeg = Arrays.copyOf(startsJpeg, grown);
            }
            starts[fragments] = at;
            ends[fragments] = at + 8 + length;
            startsJpeg[fragments] = length >= 2 && in.u8() == 0xFF && in.u8() == 0xD8;
            in.seek(ends[fragments]);
            fragments++;
        }
        if (fragments < frameCount) {
            throw new DicomFormatException(
                    Code.INVALID_ATTRIBUTE, name + ": " + fragments + " fragments for " + frameCount + " frames");
        }
        if (fragments == frameCount) {
            System.arraycopy(starts, 0, frameStart, 0, frameCount);
            System.arraycopy(ends, 0, frameEnd, 0, frameCount);
            return;
        }
        int frame = -1;
        for (int i = 0; i < fragments; i++) {
            if (startsJpeg[i] || frame < 0) {
                frame++;
                if (frame >= frameCount) {
                    throw new DicomFormatException(
                            Code.INVALID_ATTRIBUTE,
                            name + ": more JPEG streams in the fragments than the " + frameCount + " frames declared");
                }
                frameStart[frame] = starts[i];
            }
            frameEnd[frame] = ends[i];
        }
        if (frame + 1 != frameCount) {
            throw new DicomFormatException(
                    Code.INVALID_ATTRIBUTE,
                    name + ": found " + (frame + 1) + " JPEG streams in " + fragments + " fragments for " + frameCount
                            + " frames");
        }
    }

    /** The frame at a tile, or -1 for a tile a sparse instance does not have. */
    int frameAt(int tileX, int tileY) {
        if (sparseTiles != null) {
            int at = Arrays.binarySearch(sparseTiles, tileY * tilesAcross + tileX);
            return at < 0 ? -1 : sparseFrames[at];
        }
        return tileY * tilesAcross + tileX;
    }

    /** Decodes one frame to packed ARGB, {@code columns x rows}. */
    int[] decodeFrame(int frame) throws IOException {
        String where = name + " frame " + (frame + 1);
        if (nativeStart >= 0) {
            int frameBytes = rows * columns * samples;
            byte[] bytes = new byte[frameBytes];
            channel.readFully(nativeStart + (long) frame * frameBytes, bytes, 0, frameBytes);
            return FrameDecoder.uncompressed(bytes, columns, rows, samples, planarConfiguration, photometric);
        }
        long start = frameStart[frame];
        long span = frameEnd[frame] - start;
        if (span > maxFrameBytes) {
            throw new DicomFormatException(
                    Code.TOO_LARGE, where + ": " + span + " compressed bytes, above the limit of " + maxFrameBytes);
        }
        byte[] bytes = new byte[(int) span];
        channel.readFully(start, bytes, 0, bytes.length);
        // Concatenate fragment values in place, dropping the 8-byte item headers.
        int read = 0;
        int write = 0;
        while (read + 8 <= bytes.length) {
            int tag = (int) (Attributes.le(bytes, read, 2) << 16 | Attributes.le(bytes, read + 2, 2));
            long length = Attributes.le(bytes, read + 4, 4);
            if (tag != Tag.ITEM || read + 8 + length > bytes.length) {
                throw new DicomFormatException(Code.CORRUPT_FRAME, where + ": malformed fragment at " + (start + read));
            }
            System.arraycopy(bytes, read + 8, bytes, write, (int) length);
            write += (int) length;
            read += 8 + (int) length;
        }
        return FrameDecoder.jpeg(bytes, 0, write, columns, rows, photometric, where);
    }

    private long require(int tag, long min, long max) throws DicomFormatException {
        long value;
        try {
            value = data.integer(tag, Long.MIN_VALUE);
        } catch (NumberFormatException e) {
            throw invalid(tag, "is not a number");
        }
        if (value == Long.MIN_VALUE) {
            throw invalid(tag, "is missing");
        }
        if (value < min || value > max) {
            Code code =
                    (tag == Tag.ROWS || tag == Tag.COLUMNS) && value > max ? Code.TOO_LARGE : Code.INVALID_ATTRIBUTE;
            throw new DicomFormatException(
                    code, name + ": " + Tag.format(tag) + " is " + value + ", expected " + min + ".." + max);
        }
        return value;
    }

    private void checkInFile(long position, String what) throws DicomFormatException {
        if (position < 0 || position > channel.size()) {
            throw truncated(what + " points to offset " + position + ", past the end of the file");
        }
    }

    private DicomFormatException invalid(int tag, String problem) {
        return new DicomFormatException(Code.INVALID_ATTRIBUTE, name + ": " + Tag.format(tag) + " " + problem);
    }

    private DicomFormatException truncated(String problem) {
        return new DicomFormatException(
                Code.TRUNCATED, name + ": " + problem + " (file size " + channel.size() + " bytes)");
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    int columns() {
        return columns;
    }

    int rows() {
        return rows;
    }

    int tilesAcross() {
        return tilesAcross;
    }

    int tilesDown() {
        return tilesDown;
    }

    int frameCount() {
        return frameCount;
    }

    double mppX() {
        return mppX;
    }

    double mppY() {
        return mppY;
    }

    DimensionOrganization dimensionOrganization() {
        return organization;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
