package org.tessera.dicom;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes a tiled pyramid as a DICOM VL Whole Slide Microscopy Image series: one Part-10 file per level, JPEG Baseline
 * frames, encapsulated with a filled offset table. Level {@code k+1} is level {@code k} halved (rounding up), down to
 * the first level that fits in one tile. Memory stays flat: each level's frames are streamed to a scratch file next to
 * the output and copied behind the header once their count and sizes are known.
 */
public final class DicomWsiWriter {

    /** Nominal section thickness written as Slice Thickness and Imaged Volume Depth; scanners rarely know better. */
    static final double SECTION_THICKNESS_MM = 0.004;

    private static final long MAX_32_BIT = 0xFFFFFFFFL;

    /** Where the frame offsets go. */
    public enum OffsetTable {
        /** The Basic Offset Table, or the Extended Offset Table when offsets do not fit in 32 bits. */
        AUTO,
        /** Always the Basic Offset Table (fails past 4 GiB of frames). */
        BASIC,
        /** An empty Basic Offset Table and the Extended Offset Table (7FE0,0001)/(7FE0,0002). */
        EXTENDED,
        /** An empty Basic Offset Table and nothing else: readers must scan the fragments. */
        NONE
    }

    /**
     * @param tileSize tile width and height in pixels (16..4096)
     * @param micronsPerPixel level-0 pixel size
     * @param jpegQuality 0..1
     * @param organization TILED_FULL writes every tile; TILED_SPARSE skips tiles the source returns as {@code null}
     * @param offsetTable where frame offsets are written
     * @param slideId Container Identifier and Specimen Identifier
     * @param patientId Patient ID (may be empty)
     * @param patientName Patient's Name (may be empty)
     * @param uids makes every UID the series needs (study, series, instances, frame of reference, ...)
     * @param clock dates and times in the header
     */
    public record Options(
            int tileSize,
            double micronsPerPixel,
            float jpegQuality,
            DimensionOrganization organization,
            OffsetTable offsetTable,
            String slideId,
            String patientId,
            String patientName,
            Supplier<String> uids,
            Clock clock) {

        public Options {
            if (tileSize < 16 || tileSize > 4096) {
                throw new IllegalArgumentException("tile size must be 16..4096: " + tileSize);
            }
            if (!(micronsPerPixel > 0) || Double.isInfinite(micronsPerPixel)) {
                throw new IllegalArgumentException("microns per pixel must be positive: " + micronsPerPixel);
            }
            if (!(jpegQuality > 0 && jpegQuality <= 1)) {
                throw new IllegalArgumentException("JPEG quality must be in (0, 1]: " + jpegQuality);
            }
            Objects.requireNonNull(organization, "organization");
            Objects.requireNonNull(offsetTable, "offsetTable");
            Objects.requireNonNull(slideId, "slideId");
            Objects.requireNonNull(patientId, "patientId");
            Objects.requireNonNull(patientName, "patientName");
            Objects.requireNonNull(uids, "uids");
            Objects.requireNonNull(clock, "clock");
        }

        /** 256-pixel tiles, quality 0.85, TILED_FULL, automatic offset table, random UIDs, the UTC clock. */
        public static Options defaults(double micronsPerPixel) {
            return new Options(
                    256,
                    micronsPerPixel,
                    0.85f,
                    DimensionOrganization.TILED_FULL,
                    OffsetTable.AUTO,
                    "SLIDE-1",
                    "",
                    "",
                    DicomUids::random,
                    Clock.systemUTC());
        }

        public Options withTileSize(int newTileSize) {
            return new Options(
                    newTileSize,
                    micronsPerPixel,
                    jpegQuality,
                    organization,
                    offsetTable,
                    slideId,
                    patientId,
                    patientName,
                    uids,
                    clock);
        }

        public Options withJpegQuality(float quality) {
            return new Options(
                    tileSize,
                    micronsPerPixel,
                    quality,
                    organization,
                    offsetTable,
                    slideId,
                    patientId,
                    patientName,
                    uids,
                    clock);
        }

        public Options withOrganization(DimensionOrganization newOrganization) {
            return new Options(
                    tileSize,
                    micronsPerPixel,
                    jpegQuality,
                    newOrganization,
                    offsetTable,
                    slideId,
                    patientId,
                    patientName,
                    uids,
                    clock);
        }

        public Options withOffsetTable(OffsetTable newOffsetTable) {
            return new Options(
                    tileSize,
                    micronsPerPixel,
                    jpegQuality,
                    organization,
                    newOffsetTable,
                    slideId,
                    patientId,
                    patientName,
                    uids,
                    clock);
        }

        public Options withIdentity(String newSlideId, String newPatientId, String newPatientName) {
            return new Options(
                    tileSize,
                    micronsPerPixel,
                    jpegQuality,
                    organization,
                    offsetTable,
                    newSlideId,
                    newPatientId,
                    newPatientName,
                    uids,
                    clock);
        }

        public Options withUids(Supplier<String> newUids) {
            return new Options(
                    tileSize,
                    micronsPerPixel,
                    jpegQuality,
                    organization,
                    offsetTable,
                    slideId,
                    patientId,
                    patientName,
                    newUids,
                    clock);
        }

        public Options withClock(Clock newClock) {
            return new Options(
                    tileSize,
                    micronsPerPixel,
                    jpegQuality,
                    organization,
                    offsetTable,
                    slideId,
                    patientId,
                    patientName,
                    uids,
                    newClock);
        }
    }

    /** One written level. */
    public record WrittenLevel(
            int level, int width, int height, int frames, String sopInstanceUid, String fileName, long sizeBytes) {}

    /**
     * What was written.
     *
     * @param files the level files, level 0 first (for {@link #writeZip}, the zip alone)
     */
    public record WrittenSeries(String studyUid, String seriesUid, List<Path> files, List<WrittenLevel> levels) {
        public WrittenSeries {
            files = List.copyOf(files);
            levels = List.copyOf(levels);
        }
    }

    private DicomWsiWriter() {}

    /** Level sizes as {width, height}, level 0 first: halving (rounding up) until a level fits in one tile. */
    static List<int[]> levelSizes(int width, int height, int tileSize) {
        List<int[]> sizes = new ArrayList<>();
        int w = width;
        int h = height;
        sizes.add(new int[] {w, h});
        while (w > tileSize || h > tileSize) {
            w = (w + 1) / 2;
            h = (h + 1) / 2;
            sizes.add(new int[] {w, h});
        }
        return sizes;
    }

    /** Writes {@code level-0.dcm}, {@code level-1.dcm}, ... into {@code directory} (created if needed). */
    public static WrittenSeries write(Path directory, int width, int height, Options options, DicomTileSource source)
            throws IOException {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("slide size must be positive: " + width + "x" + height);
        }
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(source, "source");
        Files.createDirectories(directory);
        String studyUid = options.uids().get();
        String seriesUid = options.uids().get();
        String frameOfReferenceUid = options.uids().get();
        String dimensionOrganizationUid = options.uids().get();
        String specimenUid = options.uids().get();
        SeriesContext series = new SeriesContext(
                width,
                height,
                options,
                studyUid,
                seriesUid,
                frameOfReferenceUid,
                dimensionOrganizationUid,
                specimenUid,
                ZonedDateTime.now(options.clock()));
        List<int[]> sizes = levelSizes(width, height, options.tileSize());
        List<Path> files = new ArrayList<>();
        List<WrittenLevel> levels = new ArrayList<>();
        for (int level = 0; level < sizes.size(); level++) {
            Path file = directory.resolve("level-" + level + ".dcm");
            levels.add(writeLevel(file, level, sizes.get(level)[0], sizes.get(level)[1], series, source));
            files.add(file);
        }
        return new WrittenSeries(studyUid, seriesUid, files, levels);
    }

    /**
     * Writes the series as one zip with entries {@code level-0.dcm}, {@code level-1.dcm}, ... stored uncompressed
     * (JPEG frames do not deflate), so the zip is about the size of the files.
     */
    public static WrittenSeries writeZip(Path zip, int width, int height, Options options, DicomTileSource source)
            throws IOException {
        Path parent = zip.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path scratch = Files.createTempDirectory(parent, ".dicom-series-");
        try {
            WrittenSeries series = write(scratch, width, height, options, source);
            StoredZip.write(zip, series.files(), null);
            return new WrittenSeries(series.studyUid(), series.seriesUid(), List.of(zip), series.levels());
        } finally {
            FileTrees.deleteRecursively(scratch);
        }
    }

    private record SeriesContext(
            int width,
            int height,
            Options options,
            String studyUid,
            String seriesUid,
            String frameOfReferenceUid,
            String dimensionOrganizationUid,
            String specimenUid,
            ZonedDateTime now) {}

    private record Frames(long[] offsets, long[] lengths, int[] columns, int[] rows, long totalBytes) {
        int count() {
            return offsets.length;
        }
    }

    private static WrittenLevel writeLevel(
            Path file, int level, int width, int height, SeriesContext series, DicomTileSource source)
            throws IOException {
        Options options = series.options();
        int tile = options.tileSize();
        int across = ceilDiv(width, tile);
        int down = ceilDiv(height, tile);
        boolean sparse = options.organization() == DimensionOrganization.TILED_SPARSE;
        Path scratch = Files.createTempFile(file.toAbsolutePath().getParent(), ".level-" + level + "-", ".frames");
        try {
            Frames frames;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(scratch), 1 << 16)) {
                frames = writeFrames(out, level, across, down, tile, sparse, options, source);
            }
            String sopInstanceUid = options.uids().get();
            OffsetTable table = offsetTable(options.offsetTable(), frames, file);
            byte[] header = header(level, width, height, across * down, frames, table, series, sopInstanceUid);
            try (FileChannel out = FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING,
                            StandardOpenOption.WRITE);
                    FileChannel in = FileChannel.open(scratch, StandardOpenOption.READ)) {
                writeFully(out, header);
                long copied = 0;
                long total = in.size();
                while (copied < total) {
                    copied += in.transferTo(copied, total - copied, out);
                }
                DicomOutput end = new DicomOutput();
                end.writeTag(Tag.SEQUENCE_DELIMITATION_ITEM);
                end.writeLe32(0);
                writeFully(out, end.toByteArray());
            }
            return new WrittenLevel(
                    level,
                    width,
                    height,
                    frames.count(),
                    sopInstanceUid,
                    file.getFileName().toString(),
                    Files.size(file));
        } finally {
            Files.deleteIfExists(scratch);
        }
    }

    private static Frames writeFrames(
            OutputStream out,
            int level,
            int across,
            int down,
            int tile,
            boolean sparse,
            Options options,
            DicomTileSource source)
            throws IOException {
        int capacity = across * down;
        long[] offsets = new long[capacity];
        long[] lengths = new long[capacity];
        int[] columns = new int[capacity];
        int[] rows = new int[capacity];
        int count = 0;
        long position = 0;
        byte[] whiteFrame = null;
        for (int ty = 0; ty < down; ty++) {
            for (int tx = 0; tx < across; tx++) {
                BufferedImage image = source.tile(level, tx, ty);
                byte[] jpeg;
                if (image == null) {
                    if (sparse) {
                        continue;
                    }
                    if (whiteFrame == null) {
                        whiteFrame = FrameEncoder.encode(FrameEncoder.white(tile), options.jpegQuality());
                    }
                    jpeg = whiteFrame;
                } else {
                    jpeg = FrameEncoder.encode(FrameEncoder.normalize(image, tile), options.jpegQuality());
                }
                // Fragments have even length; the pad byte after a JPEG's EOI marker is ignored by decoders.
                long length = jpeg.length + (jpeg.length & 1);
                DicomOutput item = new DicomOutput();
                item.writeTag(Tag.ITEM);
                item.writeLe32(length);
                out.write(item.toByteArray());
                out.write(jpeg);
                if ((jpeg.length & 1) != 0) {
                    out.write(0);
                }
                offsets[count] = position;
                lengths[count] = length;
                columns[count] = tx * tile + 1;
                rows[count] = ty * tile + 1;
                count++;
                position += 8 + length;
            }
        }
        if (count == 0) {
            // A sparse instance still needs one frame (Number of Frames is at least 1): a white top-left tile.
            byte[] jpeg = FrameEncoder.encode(FrameEncoder.white(tile), options.jpegQuality());
            long length = jpeg.length + (jpeg.length & 1);
            DicomOutput item = new DicomOutput();
            item.writeTag(Tag.ITEM);
            item.writeLe32(length);
            out.write(item.toByteArray());
            out.write(jpeg);
            if ((jpeg.length & 1) != 0) {
                out.write(0);
            }
            lengths[0] = length;
            columns[0] = 1;
            rows[0] = 1;
            count = 1;
            position = 8 + length;
        }
        return new Frames(
                java.util.Arrays.copyOf(offsets, count),
                java.util.Arrays.copyOf(lengths, count),
                java.util.Arrays.copyOf(columns, count),
                java.util.Arrays.copyOf(rows, count),
                position);
    }

    private static OffsetTable offsetTable(OffsetTable requested, Frames frames, Path file) throws IOException {
        boolean fits = frames.count() == 0 || frames.offsets()[frames.count() - 1] <= MAX_32_BIT;
        return switch (requested) {
            case AUTO -> fits ? OffsetTable.BASIC : OffsetTable.EXTENDED;
            case BASIC -> {
                if (!fits) {
                    throw new IOException(
                            file + ": frame offsets exceed 32 bits; the Basic Offset Table cannot hold them");
                }
                yield OffsetTable.BASIC;
            }
            default -> requested;
        };
    }

    private static byte[] header(
            int level,
            int width,
            int height,
            int tileCount,
            Frames frames,
            OffsetTable table,
            SeriesContext series,
            String sopInstanceUid) {
        Options options = series.options();
        int tile = options.tileSize();
        boolean sparse = options.organization() == DimensionOrganization.TILED_SPARSE;
        String[] imageType = level == 0
                ? new String[] {"ORIGINAL", "PRIMARY", "VOLUME", "NONE"}
                : new String[] {"DERIVED", "PRIMARY", "VOLUME", "RESAMPLED"};
        double volumeWidthMm = series.width() * options.micronsPerPixel() / 1000.0;
        double volumeHeightMm = series.height() * options.micronsPerPixel() / 1000.0;
        double columnSpacingMm = volumeWidthMm / width;
        double rowSpacingMm = volumeHeightMm / height;
        ZonedDateTime now = series.now();
        String date = now.format(DateTimeFormatter.BASIC_ISO_DATE).substring(0, 8);
        String time = now.format(DateTimeFormatter.ofPattern("HHmmss"));
        long uncompressed = (long) frames.count() * tile * tile * 3;
        double ratio = frames.totalBytes() == 0 ? 1 : (double) uncompressed / frames.totalBytes();

        DicomOutput data = new DicomOutput()
                .strings(Tag.IMAGE_TYPE, "CS", imageType)
                .string(Tag.SOP_CLASS_UID, "UI", DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE)
                .string(Tag.SOP_INSTANCE_UID, "UI", sopInstanceUid)
                .string(Tag.STUDY_DATE, "DA", date)
                .string(Tag.CONTENT_DATE, "DA", date)
                .string(Tag.ACQUISITION_DATE_TIME, "DT", date + time)
                .string(Tag.STUDY_TIME, "TM", time)
                .string(Tag.CONTENT_TIME, "TM", time)
                .string(Tag.ACCESSION_NUMBER, "SH", "")
                .string(Tag.MODALITY, "CS", "SM")
                .string(Tag.MANUFACTURER, "LO", "Tessera")
                .string(Tag.REFERRING_PHYSICIAN_NAME, "PN", "")
                .string(Tag.MANUFACTURER_MODEL_NAME, "LO", "Tessera DICOM WSI writer")
                .string(Tag.VOLUMETRIC_PROPERTIES, "CS", "VOLUME")
                .string(Tag.PATIENT_NAME, "PN", options.patientName())
                .string(Tag.PATIENT_ID, "LO", options.patientId())
                .string(Tag.PATIENT_BIRTH_DATE, "DA", "")
                .string(Tag.PATIENT_SEX, "CS", "")
                .string(Tag.DEVICE_SERIAL_NUMBER, "LO", "1")
                .string(Tag.SOFTWARE_VERSIONS, "LO", DicomUids.IMPLEMENTATION_VERSION_NAME)
                .string(Tag.STUDY_INSTANCE_UID, "UI", series.studyUid())
                .string(Tag.SERIES_INSTANCE_UID, "UI", series.seriesUid())
                .string(Tag.STUDY_ID, "SH", "")
                .integerString(Tag.SERIES_NUMBER, 1)
                .integerString(Tag.INSTANCE_NUMBER, level + 1)
                .string(Tag.FRAME_OF_REFERENCE_UID, "UI", series.frameOfReferenceUid())
                .string(Tag.POSITION_REFERENCE_INDICATOR, "LO", "SLIDE_CORNER")
                .sequence(
                        Tag.DIMENSION_ORGANIZATION_SEQUENCE,
                        new DicomOutput()
                                .string(Tag.DIMENSION_ORGANIZATION_UID, "UI", series.dimensionOrganizationUid()))
                .sequence(
                        Tag.DIMENSION_INDEX_SEQUENCE,
                        dimensionIndex(series, Tag.COLUMN_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX),
                        dimensionIndex(series, Tag.ROW_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX))
                .string(Tag.DIMENSION_ORGANIZATION_TYPE, "CS", sparse ? "TILED_SPARSE" : "TILED_FULL")
                .us(Tag.SAMPLES_PER_PIXEL, 3)
                .string(Tag.PHOTOMETRIC_INTERPRETATION, "CS", "YBR_FULL_422")
                .us(Tag.PLANAR_CONFIGURATION, 0)
                .integerString(Tag.NUMBER_OF_FRAMES, frames.count())
                .us(Tag.ROWS, tile)
                .us(Tag.COLUMNS, tile)
                .us(Tag.BITS_ALLOCATED, 8)
                .us(Tag.BITS_STORED, 8)
                .us(Tag.HIGH_BIT, 7)
                .us(Tag.PIXEL_REPRESENTATION, 0)
                .string(Tag.BURNED_IN_ANNOTATION, "CS", "NO")
                .string(Tag.LOSSY_IMAGE_COMPRESSION, "CS", "01")
                .decimals(Tag.LOSSY_IMAGE_COMPRESSION_RATIO, Math.round(ratio * 100) / 100.0)
                .string(Tag.LOSSY_IMAGE_COMPRESSION_METHOD, "CS", "ISO_10918_1")
                .string(Tag.CONTAINER_IDENTIFIER, "LO", options.slideId())
                .sequence(Tag.ISSUER_OF_THE_CONTAINER_IDENTIFIER_SEQUENCE)
                .sequence(Tag.CONTAINER_TYPE_CODE_SEQUENCE)
                .sequence(Tag.ACQUISITION_CONTEXT_SEQUENCE)
                .sequence(
                        Tag.SPECIMEN_DESCRIPTION_SEQUENCE,
                        new DicomOutput()
                                .string(Tag.SPECIMEN_IDENTIFIER, "LO", options.slideId())
                                .string(Tag.SPECIMEN_UID, "UI", series.specimenUid())
                                .sequence(Tag.ISSUER_OF_THE_SPECIMEN_IDENTIFIER_SEQUENCE)
                                .sequence(Tag.SPECIMEN_PREPARATION_SEQUENCE))
                .fl(Tag.IMAGED_VOLUME_WIDTH, (float) volumeWidthMm)
                .fl(Tag.IMAGED_VOLUME_HEIGHT, (float) volumeHeightMm)
                .fl(Tag.IMAGED_VOLUME_DEPTH, (float) SECTION_THICKNESS_MM)
                .ul(Tag.TOTAL_PIXEL_MATRIX_COLUMNS, width)
                .ul(Tag.TOTAL_PIXEL_MATRIX_ROWS, height)
                .sequence(
                        Tag.TOTAL_PIXEL_MATRIX_ORIGIN_SEQUENCE,
                        new DicomOutput()
                                .decimals(Tag.X_OFFSET_IN_SLIDE_COORDINATE_SYSTEM, 0)
                                .decimals(Tag.Y_OFFSET_IN_SLIDE_COORDINATE_SYSTEM, 0))
                .string(Tag.SPECIMEN_LABEL_IN_IMAGE, "CS", "NO")
                .string(Tag.FOCUS_METHOD, "CS", "AUTO")
                .string(Tag.EXTENDED_DEPTH_OF_FIELD, "CS", "NO")
                // Rows run along the slide's X axis and columns along its Y axis, with the origin at a corner.
                .decimals(Tag.IMAGE_ORIENTATION_SLIDE, 0, 1, 0, 1, 0, 0)
                .sequence(Tag.OPTICAL_PATH_SEQUENCE, opticalPath())
                .ul(Tag.NUMBER_OF_OPTICAL_PATHS, 1)
                .ul(Tag.TOTAL_PIXEL_MATRIX_FOCAL_PLANES, 1)
                .sequence(
                        Tag.SHARED_FUNCTIONAL_GROUPS_SEQUENCE,
                        new DicomOutput()
                                .sequence(
                                        Tag.PIXEL_MEASURES_SEQUENCE,
                                        new DicomOutput()
                                                .decimals(Tag.SLICE_THICKNESS, SECTION_THICKNESS_MM)
                                                .decimals(Tag.PIXEL_SPACING, rowSpacingMm, columnSpacingMm))
                                .sequence(
                                        Tag.WHOLE_SLIDE_MICROSCOPY_IMAGE_FRAME_TYPE_SEQUENCE,
                                        new DicomOutput().strings(Tag.FRAME_TYPE, "CS", imageType))
                                .sequence(
                                        Tag.OPTICAL_PATH_IDENTIFICATION_SEQUENCE,
                                        new DicomOutput().string(Tag.OPTICAL_PATH_IDENTIFIER, "SH", "1")));
        if (sparse) {
            List<DicomOutput> perFrame = new ArrayList<>(frames.count());
            for (int i = 0; i < frames.count(); i++) {
                int column = frames.columns()[i];
                int row = frames.rows()[i];
                perFrame.add(new DicomOutput()
                        .sequence(
                                Tag.PLANE_POSITION_SLIDE_SEQUENCE,
                                new DicomOutput()
                                        .decimals(Tag.X_OFFSET_IN_SLIDE_COORDINATE_SYSTEM, (row - 1) * rowSpacingMm)
                                        .decimals(
                                                Tag.Y_OFFSET_IN_SLIDE_COORDINATE_SYSTEM, (column - 1) * columnSpacingMm)
                                        .decimals(Tag.Z_OFFSET_IN_SLIDE_COORDINATE_SYSTEM, 0)
                                        .sl(Tag.COLUMN_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX, column)
                                        .sl(Tag.ROW_POSITION_IN_TOTAL_IMAGE_PIXEL_MATRIX, row)));
            }
            data.sequence(Tag.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE, perFrame, true);
        } else if (frames.count() != tileCount) {
            throw new IllegalStateException("TILED_FULL needs every tile");
        }
        if (table == OffsetTable.EXTENDED) {
            data.ov(Tag.EXTENDED_OFFSET_TABLE, frames.offsets());
            data.ov(Tag.EXTENDED_OFFSET_TABLE_LENGTHS, frames.lengths());
        }
        data.header(Tag.PIXEL_DATA, "OB", MAX_32_BIT);
        data.writeTag(Tag.ITEM);
        if (table == OffsetTable.BASIC) {
            data.writeLe32(4L * frames.count());
            for (long offset : frames.offsets()) {
                data.writeLe32(offset);
            }
        } else {
            data.writeLe32(0);
        }

        DicomOutput meta = new DicomOutput()
                .element(Tag.FILE_META_INFORMATION_VERSION, "OB", new byte[] {0, 1})
                .string(Tag.MEDIA_STORAGE_SOP_CLASS_UID, "UI", DicomUids.VL_WHOLE_SLIDE_MICROSCOPY_IMAGE_STORAGE)
                .string(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID, "UI", sopInstanceUid)
                .string(Tag.TRANSFER_SYNTAX_UID, "UI", DicomUids.JPEG_BASELINE)
                .string(Tag.IMPLEMENTATION_CLASS_UID, "UI", DicomUids.IMPLEMENTATION_CLASS_UID)
                .string(Tag.IMPLEMENTATION_VERSION_NAME, "SH", DicomUids.IMPLEMENTATION_VERSION_NAME);
        byte[] metaBytes = meta.toByteArray();
        DicomOutput file = new DicomOutput();
        file.raw(new byte[128]);
        file.raw("DICM".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        file.ul(Tag.FILE_META_INFORMATION_GROUP_LENGTH, metaBytes.length);
        file.raw(metaBytes);
        file.raw(data.toByteArray());
        return file.toByteArray();
    }

    private static DicomOutput dimensionIndex(SeriesContext series, int pointer) {
        return new DicomOutput()
                .string(Tag.DIMENSION_ORGANIZATION_UID, "UI", series.dimensionOrganizationUid())
                .at(Tag.DIMENSION_INDEX_POINTER, pointer)
                .at(Tag.FUNCTIONAL_GROUP_POINTER, Tag.PLANE_POSITION_SLIDE_SEQUENCE);
    }

    private static DicomOutput opticalPath() {
        return new DicomOutput()
                .sequence(Tag.ILLUMINATION_TYPE_CODE_SEQUENCE, code("111744", "DCM", "Brightfield illumination"))
                // Frames are sRGB, the colour space the JPEG encoder was given.
                .ob(Tag.ICC_PROFILE, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData())
                .string(Tag.OPTICAL_PATH_IDENTIFIER, "SH", "1")
                .sequence(Tag.ILLUMINATION_COLOR_CODE_SEQUENCE, code("414298005", "SCT", "Full Spectrum"));
    }

    private static DicomOutput code(String value, String scheme, String meaning) {
        return new DicomOutput()
                .string(Tag.CODE_VALUE, "SH", value)
                .string(Tag.CODING_SCHEME_DESIGNATOR, "SH", scheme)
                .string(Tag.CODE_MEANING, "LO", meaning);
    }

    private static void writeFully(FileChannel channel, byte[] bytes) throws IOException {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
