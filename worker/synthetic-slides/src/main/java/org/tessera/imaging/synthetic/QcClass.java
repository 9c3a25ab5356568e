package org.tessera.imaging.synthetic;

/**
 * Ground-truth quality-control class of a level-0 pixel. The names match the tissue QC model's output classes, so
 * results can be compared by name.
 */
public enum QcClass {
    BACKGROUND,
    TISSUE,
    /** Marker ink, over tissue or over glass. */
    PEN_MARK,
    /** Tissue rendered out of focus. */
    BLUR,
    /** Tissue folded over itself: two layers, about twice the optical density. */
    FOLD_OR_DARK
}
