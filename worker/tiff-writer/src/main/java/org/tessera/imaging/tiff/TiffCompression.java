package org.tessera.imaging.tiff;

/** Tile compression schemes the writer produces, with their TIFF {@code Compression} tag values. */
public enum TiffCompression {
    NONE(1),
    /** One complete baseline JPEG stream per tile (tables included), as TIFF technical note 2 allows. */
    JPEG(7),
    /** zlib ("Adobe deflate"), lossless; the right choice for class maps. */
    DEFLATE(8);

    private final int tagValue;

    TiffCompression(int tagValue) {
        this.tagValue = tagValue;
    }

    public int tagValue() {
        return tagValue;
    }
}
