package org.tessera.dicom;

/** How the frames of a whole-slide instance are laid out (Dimension Organization Type, 0020,9311). */
public enum DimensionOrganization {
    /** Every tile present, row-major: frame {@code tileY * tilesAcross + tileX}. No per-frame positions needed. */
    TILED_FULL,
    /** Only some tiles present; each frame's position is in the Per-Frame Functional Groups. */
    TILED_SPARSE
}
