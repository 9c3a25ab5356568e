package org.tessera.imaging.synthetic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A generated slide and what is known to be on it.
 *
 * @param path the file; for a DICOM series in a directory, the directory
 * @param width level-0 width in pixels
 * @param height level-0 height in pixels
 * @param mpp level-0 pixel size in micrometres
 * @param sizeBytes file size (a directory: the sum of its files)
 * @param checksumBase64Crc32c the API's {@code checksum_base64_crc32c} of the whole file; for a directory, of its
 *     files concatenated in level order ({@code level-0.dcm}, {@code level-1.dcm}, ...), since a directory is not
 *     something a client uploads (the zip is)
 * @param tissueRegions ground truth: where tissue is, level-0 pixels (empty for a corrupt file)
 * @param groundTruth everything else that is known: tissue classes, QC classes, nuclei, artefacts
 * @param mediaType the API's media type for uploading it ({@code image/tiff}, {@code application/dicom},
 *     {@code application/zip}, or {@code application/octet-stream} for bad inputs that are no format at all)
 */
public record SyntheticSlide(
        Path path,
        int width,
        int height,
        double mpp,
        long sizeBytes,
        String checksumBase64Crc32c,
        List<TissueRegion> tissueRegions,
        GroundTruth groundTruth,
        String mediaType) {

    public SyntheticSlide {
        tissueRegions = List.copyOf(tissueRegions);
        Objects.requireNonNull(groundTruth, "groundTruth");
        Objects.requireNonNull(mediaType, "mediaType");
    }

    /** A slide whose size and checksum are known, the rest taken from its ground truth. */
    static SyntheticSlide of(Path path, GroundTruth truth, long sizeBytes, String checksum, String mediaType) {
        return new SyntheticSlide(
                path,
                truth.width(),
                truth.height(),
                truth.mpp(),
                sizeBytes,
                checksum,
                truth.tissueRegions(),
                truth,
                mediaType);
    }

    /** A slide written as one file, its size and checksum read from the file. */
    static SyntheticSlide ofFile(Path path, GroundTruth truth, String mediaType) throws IOException {
        return of(path, truth, Files.size(path), SyntheticSlideGenerator.checksum(path), mediaType);
    }

    /** Whether level-0 pixel (x, y) is tissue according to the ground truth. */
    public boolean isTissue(int x, int y) {
        for (TissueRegion region : tissueRegions) {
            if (region.containsPixel(x, y)) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code <path>.truth.json} and {@code <path>.nuclei.csv} next to the slide; returns both. */
    public List<Path> writeGroundTruth() throws IOException {
        return groundTruth.writeFiles(path);
    }
}
