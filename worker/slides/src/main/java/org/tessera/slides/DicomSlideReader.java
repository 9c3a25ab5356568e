package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.tessera.bytes.ByteSource;
import org.tessera.dicom.DicomFormatException;
import org.tessera.dicom.DicomLevel;
import org.tessera.dicom.DicomWsiReader;
import org.tessera.slides.SlideFormatException.Code;

/** A DICOM WSI series through the dicom module's reader, which is thread-safe once open. */
final class DicomSlideReader implements SlideReader {

    private final DicomWsiReader reader;
    private final SlideInfo info;
    private final String name;

    private DicomSlideReader(DicomWsiReader reader, SlideInfo info, String name) {
        this.reader = reader;
        this.info = info;
        this.name = name;
    }

    static DicomSlideReader open(Path file, String name, DicomWsiReader.Options options, SlideLimits limits)
            throws SlideFormatException, IOException {
        DicomWsiReader reader;
        try {
            reader = DicomWsiReader.open(file, options);
        } catch (DicomFormatException e) {
            throw translate(e, name);
        }
        return open(reader, name, limits);
    }

    /** A single {@code .dcm} file read through {@code source}. */
    static DicomSlideReader open(ByteSource source, String name, DicomWsiReader.Options options, SlideLimits limits)
            throws SlideFormatException, IOException {
        DicomWsiReader reader;
        try {
            reader = DicomWsiReader.open(source, options);
        } catch (DicomFormatException e) {
            throw translate(e, name);
        }
        return open(reader, name, limits);
    }

    private static DicomSlideReader open(DicomWsiReader reader, String name, SlideLimits limits)
            throws SlideFormatException, IOException {
        boolean opened = false;
        try {
            DicomLevel base = reader.level(0);
            limits.checkDimensions(base.width(), base.height(), name);
            List<SlideLevel> levels = new ArrayList<>();
            for (DicomLevel level : reader.levels()) {
                levels.add(new SlideLevel(level.width(), level.height(), (double) base.width() / level.width()));
            }
            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("dicom.StudyInstanceUID", reader.studyInstanceUid());
            properties.put("dicom.SeriesInstanceUID", reader.seriesInstanceUid());
            properties.put("dicom.TransferSyntaxUID", base.transferSyntaxUid());
            properties.put(
                    "dicom.DimensionOrganizationType", base.organization().name());
            if (base.hasMicronsPerPixel()) {
                properties.put("dicom.mpp-x", Double.toString(base.micronsPerPixelX()));
                properties.put("dicom.mpp-y", Double.toString(base.micronsPerPixelY()));
            }
            OptionalDouble mpp =
                    base.hasMicronsPerPixel() ? Resolution.plausible(base.micronsPerPixelX()) : OptionalDouble.empty();
            DicomSlideReader slide =
                    new DicomSlideReader(reader, new SlideInfo("dicom", levels, mpp, properties), name);
            opened = true;
            return slide;
        } finally {
            if (!opened) {
                reader.close();
            }
        }
    }

    @Override
    public SlideInfo info() {
        return info;
    }

    @Override
    public String backend() {
        return DicomSlideReaderProvider.NAME;
    }

    @Override
    public void readPixels(int level, int x, int y, int width, int height, int[] argb)
            throws SlideFormatException, IOException {
        SlideReader.checkRegion(info, level, x, y, width, height);
        try {
            reader.readRegion(level, x, y, width, height, argb);
        } catch (DicomFormatException e) {
            throw translate(e, name);
        }
        for (int i = 0, n = width * height; i < n; i++) {
            argb[i] |= 0xFF000000;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    static SlideFormatException translate(DicomFormatException e, String name) {
        Code code = switch (e.code()) {
            case NO_PIXEL_DATA -> Code.NO_PIXEL_DATA;
            case NOT_A_SERIES -> Code.NOT_A_SERIES;
            case TOO_LARGE -> Code.TOO_LARGE_DECODED;
            case DECOMPRESSION_BOMB -> Code.DECOMPRESSION_BOMB;
            case NOT_DICOM, NOT_WSI, UNSUPPORTED_TRANSFER_SYNTAX, UNSUPPORTED_PIXEL_FORMAT -> Code.UNSUPPORTED_FORMAT;
            case TRUNCATED, INVALID_ATTRIBUTE, CORRUPT_FRAME -> Code.UNREADABLE;
        };
        return new SlideFormatException(code, name + " (DICOM): " + e.getMessage(), e);
    }

    @Override
    public String toString() {
        return "DicomSlideReader[" + name + ", " + info.levels().size() + " levels]";
    }
}
