package org.tessera.models.classes;

/**
 * Tissue classes of the tissue segmentation model, in output channel order (the pixel values of the segmentation map),
 * and the ground-truth tissue class of a pixel of a synthetic slide.
 */
public enum TissueClass implements MapClass {
    /** Glass: not tissue. */
    BACKGROUND("Background", 0xFFFFFF),
    /** Tumour epithelium: dense clusters of large, pleomorphic, vesicular nuclei in slightly basophilic cytoplasm. */
    TUMOR("Tumor", 0xC81E1E),
    /** Pink fibrous stroma with sparse spindle nuclei and scattered lymphocytes. */
    STROMA("Stroma", 0xF08CB4),
    /** Pale, grainy eosinophilic debris with small dark fragments and no intact nuclei. */
    NECROSIS("Necrosis", 0x8C6E50),
    /** Anything else, e.g. fat-like pale lobules: thin pink membranes around nearly empty cells. */
    OTHER("Other", 0xF0E6A0);

    private final Display display;

    TissueClass(String name, int rgb) {
        this.display = new Display(name, rgb);
    }

    @Override
    public Display display() {
        return display;
    }

    /** The class of a segmentation map value. */
    public static TissueClass of(int value) {
        return values()[value];
    }
}
