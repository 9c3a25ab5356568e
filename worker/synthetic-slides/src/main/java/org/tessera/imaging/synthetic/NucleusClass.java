package org.tessera.imaging.synthetic;

/** Ground-truth class of a nucleus. */
public enum NucleusClass {
    /** Small (about 7 µm), round, very dark and uniform. */
    LYMPHOCYTE,
    /** Large (10-15 µm), irregular, vesicular with chromatin clumps and a nucleolus; only in tumour. */
    TUMOR_CELL,
    /** Elongated spindle oriented along the stroma's fibres. */
    STROMAL_CELL,
    /** Medium round or oval nucleus, in the fat-like regions. */
    OTHER
}
