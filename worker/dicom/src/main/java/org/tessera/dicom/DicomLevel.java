package org.tessera.dicom;

/**
 * One pyramid level of a DICOM whole-slide series.
 *
 * @param index 0 for the largest level
 * @param width Total Pixel Matrix Columns
 * @param height Total Pixel Matrix Rows
 * @param tileWidth Columns of one frame
 * @param tileHeight Rows of one frame
 * @param tilesAcross tiles per row of the level
 * @param tilesDown tiles per column of the level
 * @param downsample level-0 pixels per pixel of this level (mean of the horizontal and vertical ratios)
 * @param micronsPerPixelX horizontal pixel size from Pixel Spacing, {@code NaN} when the file does not give one
 * @param micronsPerPixelY vertical pixel size, {@code NaN} when unknown
 * @param organization TILED_FULL or TILED_SPARSE
 * @param frames Number of Frames
 * @param transferSyntaxUid the instance's transfer syntax
 * @param source the file (or zip entry) the level comes from
 */
public record DicomLevel(
        int index,
        int width,
        int height,
        int tileWidth,
        int tileHeight,
        int tilesAcross,
        int tilesDown,
        double downsample,
        double micronsPerPixelX,
        double micronsPerPixelY,
        DimensionOrganization organization,
        int frames,
        String transferSyntaxUid,
        String source) {

    /** Whether the level has a usable pixel size. */
    public boolean hasMicronsPerPixel() {
        return micronsPerPixelX > 0 && micronsPerPixelY > 0;
    }
}
