package org.tessera.models.cells;

/** Cell classes the cell classification reports, with their display colours. */
public enum CellClass {
    LYMPHOCYTE("Lymphocyte", 0x1E64DC),
    TUMOR_CELL("Tumor cell", 0xC81E1E),
    STROMAL_CELL("Stromal cell", 0x32A050),
    OTHER("Other cell", 0x969696);

    private final String displayName;
    private final int rgb;

    CellClass(String displayName, int rgb) {
        this.displayName = displayName;
        this.rgb = rgb;
    }

    public String displayName() {
        return displayName;
    }

    public int rgb() {
        return rgb;
    }
}
