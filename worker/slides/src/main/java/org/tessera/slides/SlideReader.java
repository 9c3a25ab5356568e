package org.tessera.slides;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;

/**
 * An open slide. Coordinates are level-exact integers: {@code (x, y)} are pixels of the requested level, not of level
 * 0. Readers that {@link SlideReaders} hands out are thread-safe: backends whose decoders are not share a pool of them
 * ({@link SlideReaderPool}). Closing must not race with reads.
 */
public interface SlideReader extends AutoCloseable {

    SlideInfo info();

    /** Name of the backend that reads this slide, e.g. {@code openslide}, as {@link SlideReaderProvider#name()}. */
    String backend();

    /**
     * Reads a region of one level into {@code argb} as packed opaque {@code 0xFFRRGGBB} pixels, row-major with a stride
     * of {@code width}. The region lies inside the level.
     *
     * @throws SlideFormatException UNREADABLE when the file's data for this region is broken
     * @throws IllegalArgumentException when the region is not inside the level or does not fit {@code argb}
     */
    void readPixels(int level, int x, int y, int width, int height, int[] argb)
            throws SlideFormatException, IOException;

    /** Reads a region of one level as an RGB image of exactly {@code width x height}. */
    default BufferedImage readRegion(int level, int x, int y, int width, int height)
            throws SlideFormatException, IOException {
        checkRegion(info(), level, x, y, width, height);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        readPixels(
                level, x, y, width, height, ((DataBufferInt) image.getRaster().getDataBuffer()).getData());
        return image;
    }

    @Override
    void close() throws IOException;

    /** Rejects a region outside the level: a caller's bug, never the file's fault. */
    static void checkRegion(SlideInfo info, int level, int x, int y, int width, int height) {
        if (level < 0 || level >= info.levels().size()) {
            throw new IllegalArgumentException(
                    "level " + level + " outside 0.." + (info.levels().size() - 1));
        }
        SlideLevel l = info.levels().get(level);
        if (x < 0
                || y < 0
                || width < 1
                || height < 1
                || (long) x + width > l.width()
                || (long) y + height > l.height()) {
            throw new IllegalArgumentException("region " + x + "," + y + " " + width + "x" + height
                    + " is outside level " + level + " (" + l.width() + "x" + l.height() + ")");
        }
    }
}
