package org.tessera.imaging.synthetic;

/** Ground-truth tissue class of a level-0 pixel of a synthetic slide. */
public enum TissueClass {
    /** Glass: not tissue. */
    BACKGROUND,
    /** Tumour epithelium: dense clusters of large, pleomorphic, vesicular nuclei in slightly basophilic cytoplasm. */
    TUMOR,
    /** Pink fibrous stroma with sparse spindle nuclei and scattered lymphocytes. */
    STROMA,
    /** Pale, grainy eosinophilic debris with small dark fragments and no intact nuclei. */
    NECROSIS,
    /** Fat-like pale lobules: thin pink membranes around nearly empty cells, few medium round nuclei. */
    OTHER
}
