package org.tessera.models.classes;

/**
 * Cell classes the cell classification reports, with their display colours, and the ground-truth class of a nucleus
 * of a synthetic slide.
 */
public enum CellClass implements DisplayedClass {
    /** Small (about 7 µm), round, very dark and uniform. */
    LYMPHOCYTE("Lymphocyte", 0x1E64DC),
    /** Large (10-15 µm), irregular, vesicular with chromatin clumps and a nucleolus; only in tumour. */
    TUMOR_CELL("Tumor cell", 0xC81E1E),
    /** Elongated spindle oriented along the stroma's fibres. */
    STROMAL_CELL("Stromal cell", 0x32A050),
    /** Any other nucleus, e.g. medium round or oval ones in the fat-like regions. */
    OTHER("Other cell", 0x969696);

    private final Display display;

    CellClass(String name, int rgb) {
        this.display = new Display(name, rgb);
    }

    @Override
    public Display display() {
        return display;
    }
}
