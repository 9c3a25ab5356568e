package org.tessera.models.classes;

/**
 * Quality-control classes of the tissue QC model, in output channel order (the pixel values of the QC map), and the
 * ground-truth QC class of a pixel of a synthetic slide.
 */
public enum QcClass implements MapClass {
    BACKGROUND("Background", 0xFFFFFF),
    /** Tissue fit for analysis. */
    TISSUE("Tissue", 0xD660A8),
    /** Marker ink, over tissue or over glass. */
    PEN_MARK("Pen mark", 0x2E8B57),
    /** Tissue out of focus. */
    BLUR("Blur", 0xF0C850),
    /** Tissue folded over itself (two layers, about twice the optical density) or too dark to analyse. */
    FOLD_OR_DARK("Fold or dark", 0x402040);

    private final String displayName;
    private final int rgb;

    QcClass(String displayName, int rgb) {
        this.displayName = displayName;
        this.rgb = rgb;
    }

    @Override
    public int value() {
        return ordinal();
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public int rgb() {
        return rgb;
    }

    /** The class of a QC map value. */
    public static QcClass of(int value) {
        return values()[value];
    }
}
