package org.tessera.slides;

import java.awt.image.BufferedImage;
import java.io.IOException;

/**
 * An open slide. Coordinates are level-exact integers: {@code (x, y)} are pixels of the requested level, not of level
 * 0. Implementations are not required to be thread-safe; use one reader per thread.
 */
public interface SlideReader extends AutoCloseable {

    SlideInfo info();

    /**
     * Reads a region of one level as an RGB image of exactly {@code width x height}.
     *
     * @throws SlideFormatException UNREADABLE when the file's data for this region is broken
     */
    BufferedImage readRegion(int level, int x, int y, int width, int height) throws SlideFormatException, IOException;

    @Override
    void close() throws IOException;
}
