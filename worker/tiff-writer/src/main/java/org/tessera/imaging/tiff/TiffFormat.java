package org.tessera.imaging.tiff;

/** Which TIFF flavour to write. */
public enum TiffFormat {
    /** Classic TIFF: 32-bit offsets, so the whole file must stay below 4 GiB. */
    CLASSIC,
    /** BigTIFF: 64-bit offsets. */
    BIG,
    /** Classic when the finished file fits in 32-bit offsets, BigTIFF otherwise (decided when the file is closed). */
    AUTO
}
