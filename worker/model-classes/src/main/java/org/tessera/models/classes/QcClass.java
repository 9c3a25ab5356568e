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

    private final Display display;

    QcClass(String name, int rgb) {
        this.display = new Display(name, rgb);
    }

    @Override
    public Display display() {
        return display;
    }

    /** The class of a QC map value. */
    public static QcClass of(int value) {
        return values()[value];
    }
}
