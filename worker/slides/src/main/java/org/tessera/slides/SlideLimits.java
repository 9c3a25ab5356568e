package org.tessera.slides;

import org.tessera.slides.SlideFormatException.Code;

/**
 * Sizes no real slide reaches. A small file can declare an enormous image (a decompression bomb), which would exhaust
 * memory or keep a worker busy for days; every backend checks the declared size against these limits before it
 * decodes a pixel.
 */
public final class SlideLimits {

    /** 500,000 px is 125 mm at 0.25 µm/px, more than any glass slide holds. */
    public static final int MAX_SIDE = 500_000;

    /** 40 gigapixels: a 200,000 x 200,000 slide, beyond the largest scans (about 150,000 x 100,000). */
    public static final long MAX_PIXELS = 40_000_000_000L;

    private SlideLimits() {}

    static void checkDimensions(long width, long height, String displayName) throws SlideFormatException {
        if (width < 1 || height < 1) {
            throw new SlideFormatException(
                    Code.UNREADABLE, displayName + " declares an empty image of " + width + "x" + height + " pixels");
        }
        if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
            throw new SlideFormatException(
                    Code.TOO_LARGE,
                    displayName + " declares " + width + "x" + height + " pixels, above this platform's limit of "
                            + MAX_SIDE + " per side and " + MAX_PIXELS + " in total");
        }
    }
}
