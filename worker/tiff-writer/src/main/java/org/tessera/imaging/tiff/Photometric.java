package org.tessera.imaging.tiff;

/** TIFF {@code PhotometricInterpretation} values the writer uses. */
public enum Photometric {
    MIN_IS_BLACK(1),
    RGB(2),
    /** Indexed colour through a {@code ColorMap}: a class map that viewers still show in colour. */
    PALETTE(3),
    /** Used for JPEG-compressed RGB so that readers know the stream is chroma-subsampled YCbCr, as libvips writes it. */
    YCBCR(6);

    private final int tagValue;

    Photometric(int tagValue) {
        this.tagValue = tagValue;
    }

    public int tagValue() {
        return tagValue;
    }
}
