package org.tessera.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;

/** The pixels a {@link DicomWsiWriter} writes, one tile at a time. */
@FunctionalInterface
public interface DicomTileSource {

    /**
     * Returns the tile at ({@code tileX}, {@code tileY}) of {@code level}, or {@code null} when the tile is empty
     * (background): a TILED_SPARSE instance then omits it, a TILED_FULL one writes a white tile. An image smaller than
     * the tile size (an edge tile) is padded with white; pixels beyond the level's size are ignored either way.
     */
    BufferedImage tile(int level, int tileX, int tileY) throws IOException;

    /** Pixels as packed {@code 0xRRGGBB} ints (the alpha byte is ignored). */
    @FunctionalInterface
    interface Rgb {
        /**
         * Returns {@code tileSize * tileSize} pixels, row-major, or {@code null} for an empty tile. The array is not
         * kept.
         */
        int[] tile(int level, int tileX, int tileY) throws IOException;
    }

    /** Adapts a source of packed RGB ints. */
    static DicomTileSource ofRgb(int tileSize, Rgb rgb) {
        return (level, tileX, tileY) -> {
            int[] pixels = rgb.tile(level, tileX, tileY);
            if (pixels == null) {
                return null;
            }
            if (pixels.length != tileSize * tileSize) {
                throw new IllegalArgumentException("tile (" + level + ", " + tileX + ", " + tileY + ") has "
                        + pixels.length + " pixels, expected " + tileSize * tileSize);
            }
            BufferedImage image = new BufferedImage(tileSize, tileSize, BufferedImage.TYPE_INT_RGB);
            System.arraycopy(
                    pixels, 0, ((DataBufferInt) image.getRaster().getDataBuffer()).getData(), 0, pixels.length);
            return image;
        };
    }
}
