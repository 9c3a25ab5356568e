package org.tessera.imaging.synthetic;

import org.tessera.imaging.tiff.TiffPyramidWriter;

/** Renders any region of a synthetic slide on demand, a pure function of the ground truth and the position. */
interface SlideRenderer extends TiffPyramidWriter.RegionSource {

    /** Renders a region as interleaved RGB; returns whether it holds any tissue or ink (false: glass only). */
    boolean render(int x, int y, int width, int height, byte[] out);

    @Override
    default void read(int x, int y, int width, int height, byte[] out) {
        render(x, y, width, height, out);
    }
}
