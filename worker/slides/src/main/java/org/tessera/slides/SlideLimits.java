package org.tessera.slides;

import org.tessera.dicom.DicomWsiReader;
import org.tessera.slides.SlideFormatException.Code;

/**
 * What one slide may ask of a reader. A small file can declare an enormous image, tile or array (a decompression
 * bomb); every backend checks what a file declares against these limits before it allocates, decodes or extracts
 * anything for it, so that the worker's heap and disk stay bounded whatever the input. The defaults sit above every
 * real scanner's output; docs/slide-inputs.md lists them with the error each one raises.
 *
 * @param maxSide the widest or tallest level 0, in pixels (500,000 px is 125 mm at 0.25 µm/px)
 * @param maxPixels the most level-0 pixels (40 gigapixels: 200,000², beyond the largest scans)
 * @param maxTileSide the widest or tallest tile or DICOM frame (scanners write 240 to 1,024)
 * @param maxTileBytes the most bytes one tile, strip or frame may take decoded, as packed ARGB; a reader holds a few of
 *     these per decoding thread
 * @param maxTilesPerLevel the most tiles (or strips) one level may have; it bounds the tile offset tables and indexes
 * @param stripCacheBytes the decoded strips a striped TIFF keeps for reads of its full-resolution level
 * @param maxScratchBytes the most disk the levels built for a TIFF without a pyramid may take; when the full pyramid
 *     would take more, its finest levels are left out
 * @param maxExtractedBytes the most bytes a zip may expand to, however large it is
 * @param maxZipExpansion the most bytes a zip may expand to per byte of the zip (plus 1 MiB)
 * @param maxZipEntries the most entries a zip may hold
 * @param maxSeriesFiles the most files a DICOM series may have (each stays open while it is read)
 * @param maxLevels the most levels a DICOM series may have
 */
public record SlideLimits(
        int maxSide,
        long maxPixels,
        int maxTileSide,
        long maxTileBytes,
        int maxTilesPerLevel,
        long stripCacheBytes,
        long maxScratchBytes,
        long maxExtractedBytes,
        double maxZipExpansion,
        int maxZipEntries,
        int maxSeriesFiles,
        int maxLevels) {

    public SlideLimits {
        if (maxSide < 1
                || maxPixels < 1
                || maxTileSide < 16
                || maxTileBytes < 16L * 16 * 4
                || maxTilesPerLevel < 1
                || stripCacheBytes < 0
                || maxScratchBytes < 0
                || maxExtractedBytes < 1
                || !(maxZipExpansion >= 1)
                || maxZipEntries < 1
                || maxSeriesFiles < 1
                || maxLevels < 1) {
            throw new IllegalArgumentException("every slide limit must be positive, tiles at least 16 pixels a side and"
                    + " zips allowed to expand at least 1 time");
        }
    }

    /**
     * 500,000 px a side and 40 gigapixels; tiles up to 4,096 a side and 64 MiB decoded, 2^22 per level; 64 MiB of
     * cached strips and 8 GiB of built levels per slide; zips up to 256 GiB and 8 times their size, 4,096 entries;
     * DICOM series of up to 512 files and 64 levels.
     */
    public static SlideLimits defaults() {
        return new SlideLimits(
                500_000, 40_000_000_000L, 4096, 64L << 20, 1 << 22, 64L << 20, 8L << 30, 256L << 30, 8, 4096, 512, 64);
    }

    public SlideLimits withTileLimits(int newMaxTileSide, long newMaxTileBytes) {
        return new SlideLimits(
                maxSide,
                maxPixels,
                newMaxTileSide,
                newMaxTileBytes,
                maxTilesPerLevel,
                stripCacheBytes,
                maxScratchBytes,
                maxExtractedBytes,
                maxZipExpansion,
                maxZipEntries,
                maxSeriesFiles,
                maxLevels);
    }

    public SlideLimits withStripCacheBytes(long bytes) {
        return new SlideLimits(
                maxSide,
                maxPixels,
                maxTileSide,
                maxTileBytes,
                maxTilesPerLevel,
                bytes,
                maxScratchBytes,
                maxExtractedBytes,
                maxZipExpansion,
                maxZipEntries,
                maxSeriesFiles,
                maxLevels);
    }

    public SlideLimits withMaxScratchBytes(long bytes) {
        return new SlideLimits(
                maxSide,
                maxPixels,
                maxTileSide,
                maxTileBytes,
                maxTilesPerLevel,
                stripCacheBytes,
                bytes,
                maxExtractedBytes,
                maxZipExpansion,
                maxZipEntries,
                maxSeriesFiles,
                maxLevels);
    }

    /** The limits the DICOM reader enforces, extracting zips into {@code scratchDirectory}. */
    DicomWsiReader.Options dicomOptions(java.nio.file.Path scratchDirectory) {
        return new DicomWsiReader.Options(
                scratchDirectory,
                maxExtractedBytes,
                maxZipExpansion,
                maxZipEntries,
                maxSeriesFiles,
                maxLevels,
                maxTileSide,
                maxTileBytes,
                maxTilesPerLevel);
    }

    void checkDimensions(long width, long height, String displayName) throws SlideFormatException {
        if (width < 1 || height < 1) {
            throw new SlideFormatException(
                    Code.UNREADABLE, displayName + " declares an empty image of " + width + "x" + height + " pixels");
        }
        if (width > maxSide || height > maxSide || width * height > maxPixels) {
            throw new SlideFormatException(
                    Code.TOO_LARGE,
                    displayName + " declares " + width + "x" + height + " pixels, above this platform's limit of "
                            + maxSide + " per side and " + maxPixels + " in total");
        }
    }

    /**
     * Refuses a tile, strip or frame that would take more than the limits once decoded, before anything is allocated
     * for it.
     *
     * @param what e.g. {@code level 0 declares tiles}
     */
    void checkTile(long width, long height, String displayName, String what) throws SlideFormatException {
        if (width > maxTileSide || height > maxTileSide || width * height * 4 > maxTileBytes) {
            throw new SlideFormatException(
                    Code.TOO_LARGE_DECODED,
                    displayName + " " + what + " of " + width + "x" + height + " pixels, above this platform's limit"
                            + " of " + maxTileSide + " per side and " + maxTileBytes + " bytes decoded");
        }
    }

    /** As {@link #checkTile}, for a strip: as wide as its image, so only its decoded bytes are limited. */
    void checkStrip(long width, long rows, String displayName, String what) throws SlideFormatException {
        if (width * rows * 4 > maxTileBytes) {
            throw new SlideFormatException(
                    Code.TOO_LARGE_DECODED,
                    displayName + " " + what + " of " + width + "x" + rows + " pixels, " + width * rows * 4
                            + " bytes decoded, above this platform's limit of " + maxTileBytes
                            + " (resave it tiled, or with fewer rows per strip)");
        }
    }
}
