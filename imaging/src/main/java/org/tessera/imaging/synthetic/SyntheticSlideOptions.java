package org.tessera.imaging.synthetic;

import org.tessera.imaging.tiff.TiffFormat;

/**
 * How a synthetic slide is written.
 *
 * @param format classic TIFF, BigTIFF, or chosen by size
 * @param aperio write an Aperio-style ImageDescription ({@code Aperio Image Library ...|MPP = ..|AppMag = ..}) so
 *     that readers such as OpenSlide treat the file as an SVS
 * @param jpegQuality 0..1
 * @param tileSize tile width and height
 */
public record SyntheticSlideOptions(TiffFormat format, boolean aperio, float jpegQuality, int tileSize) {

    /** A generic tiled pyramidal JPEG TIFF with resolution tags, BigTIFF only when it has to be. */
    public static SyntheticSlideOptions tiff() {
        return new SyntheticSlideOptions(TiffFormat.AUTO, false, 0.85f, 256);
    }

    /** Always BigTIFF. */
    public static SyntheticSlideOptions bigTiff() {
        return new SyntheticSlideOptions(TiffFormat.BIG, false, 0.85f, 256);
    }

    /** An Aperio SVS. */
    public static SyntheticSlideOptions svs() {
        return new SyntheticSlideOptions(TiffFormat.AUTO, true, 0.85f, 256);
    }

    public SyntheticSlideOptions withFormat(TiffFormat newFormat) {
        return new SyntheticSlideOptions(newFormat, aperio, jpegQuality, tileSize);
    }
}
