package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tessera.bytes.ByteSource;

/**
 * Backend for DICOM VL Whole Slide Microscopy Image series: a single {@code .dcm} ({@code application/dicom}), a zip of
 * a series ({@code application/zip}) or a directory of one.
 */
public final class DicomSlideReaderProvider implements SlideReaderProvider {

    public static final String NAME = "dicom-wsi";

    private final SlideLimits limits;

    /** The default limits. */
    public DicomSlideReaderProvider() {
        this(SlideLimits.defaults());
    }

    /** @param limits what one series may ask of the reader (zips: extracted bytes, expansion, entries; files, levels) */
    public DicomSlideReaderProvider(SlideLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return NAME + " (pure Java: DICOM WSI .dcm, zip or directory of a series; TILED_FULL/SPARSE, JPEG frames)";
    }

    @Override
    public Support support(Path file, byte[] head) {
        if (Files.isDirectory(file)) {
            return new Support(Support.CONTAINER, "a directory, which may hold a DICOM series");
        }
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return new Support(Support.SPECIFIC, "DICOM Part 10 header");
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) {
            return new Support(Support.CONTAINER, "a zip, which may hold a DICOM series");
        }
        return Support.none("neither DICOM nor a zip");
    }

    @Override
    public SlideReader open(Path file, String displayName) throws SlideFormatException, IOException {
        // A zip is extracted next to the file: the caller's per-item directory, removed with it.
        Path parent = file.toAbsolutePath().getParent();
        return DicomSlideReader.open(file, displayName, limits.dicomOptions(parent), limits);
    }

    /** Only a single DICOM Part 10 file: a zip or a directory of a series needs local files. */
    @Override
    public Support support(ByteSource source, byte[] head) {
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return new Support(Support.SPECIFIC, "DICOM Part 10 header");
        }
        return Support.none("not a single DICOM file");
    }

    @Override
    public SlideReader open(ByteSource source, String displayName) throws SlideFormatException, IOException {
        Path scratch = Path.of(System.getProperty("java.io.tmpdir"));
        return DicomSlideReader.open(source, displayName, limits.dicomOptions(scratch), limits);
    }
}
