package org.tessera.imaging.tiff;

import java.util.Arrays;
import java.util.Objects;

/**
 * One image (one IFD) of a tiled TIFF: a pyramid level.
 *
 * @param width level width in pixels
 * @param height level height in pixels
 * @param tileSize tile width and height; a multiple of 16 as TIFF requires
 * @param samplesPerPixel 1 (grey or palette) or 3 (RGB), 8 bits each, interleaved
 * @param compression tile compression
 * @param photometric how samples are interpreted; {@link Photometric#YCBCR} exactly for 3-sample JPEG
 * @param jpegQuality 0..1, used with {@link TiffCompression#JPEG}
 * @param imageDescription ImageDescription tag text, or null for none
 * @param pixelsPerCentimetre resolution of this level, or NaN when unknown (no resolution tags are written)
 * @param reducedResolution marks the image as a reduced-resolution version of the first one (NewSubfileType bit 0)
 * @param palette 256 colours as 0xRRGGBB, required with {@link Photometric#PALETTE}, else null
 */
public record TiffLevelSpec(
        int width,
        int height,
        int tileSize,
        int samplesPerPixel,
        TiffCompression compression,
        Photometric photometric,
        float jpegQuality,
        String imageDescription,
        double pixelsPerCentimetre,
        boolean reducedResolution,
        int[] palette) {

    public TiffLevelSpec {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(photometric, "photometric");
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("level size must be positive: " + width + "x" + height);
        }
        if (tileSize < 16 || tileSize % 16 != 0) {
            throw new IllegalArgumentException("tile size must be a positive multiple of 16: " + tileSize);
        }
        if (samplesPerPixel != 1 && samplesPerPixel != 3) {
            throw new IllegalArgumentException("samples per pixel must be 1 or 3: " + samplesPerPixel);
        }
        boolean consistent = switch (photometric) {
            case MIN_IS_BLACK -> samplesPerPixel == 1;
            case PALETTE -> samplesPerPixel == 1 && compression != TiffCompression.JPEG;
            case RGB -> samplesPerPixel == 3 && compression != TiffCompression.JPEG;
            case YCBCR -> samplesPerPixel == 3 && compression == TiffCompression.JPEG;
        };
        if (!consistent) {
            throw new IllegalArgumentException(
                    photometric + " does not go with " + samplesPerPixel + " samples and " + compression);
        }
        if (photometric == Photometric.PALETTE) {
            if (palette == null || palette.length != 256) {
                throw new IllegalArgumentException("a palette image needs exactly 256 colours");
            }
            palette = palette.clone();
        } else if (palette != null) {
            throw new IllegalArgumentException("palette given for a " + photometric + " image");
        }
        if (compression == TiffCompression.JPEG && !(jpegQuality > 0 && jpegQuality <= 1)) {
            throw new IllegalArgumentException("JPEG quality must be in (0, 1]: " + jpegQuality);
        }
        if (!Double.isNaN(pixelsPerCentimetre) && !(pixelsPerCentimetre > 0)) {
            throw new IllegalArgumentException("resolution must be positive or NaN: " + pixelsPerCentimetre);
        }
    }

    public int tilesAcross() {
        return (width + tileSize - 1) / tileSize;
    }

    public int tilesDown() {
        return (height + tileSize - 1) / tileSize;
    }

    public int tileCount() {
        return tilesAcross() * tilesDown();
    }

    /** Uncompressed bytes of one (full, padded) tile. */
    public int tileBytes() {
        return tileSize * tileSize * samplesPerPixel;
    }

    @Override
    public int[] palette() {
        return palette == null ? null : palette.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TiffLevelSpec that
                && width == that.width
                && height == that.height
                && tileSize == that.tileSize
                && samplesPerPixel == that.samplesPerPixel
                && compression == that.compression
                && photometric == that.photometric
                && Float.compare(jpegQuality, that.jpegQuality) == 0
                && Objects.equals(imageDescription, that.imageDescription)
                && Double.compare(pixelsPerCentimetre, that.pixelsPerCentimetre) == 0
                && reducedResolution == that.reducedResolution
                && Arrays.equals(palette, that.palette);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, tileSize, samplesPerPixel, compression, photometric, imageDescription)
                + 31 * Arrays.hashCode(palette);
    }

    @Override
    public String toString() {
        return "TiffLevelSpec[" + width + "x" + height + ", tile " + tileSize + ", " + samplesPerPixel + " samples, "
                + compression + ", " + photometric + "]";
    }
}
