package org.tessera.models.cells;

import org.tessera.models.classes.CellClass;

/**
 * A small decision rule over nucleus morphology and stain: large nuclei are tumour cells, spindle-shaped ones stromal
 * (fibroblast-like), small dark round ones lymphocytes, the rest other. Size comes first: it is what separates tumour
 * from stromal and lymphocyte nuclei on every renderer, while how dark a tumour nucleus is depends on the laboratory.
 * The thresholds of {@link #defaults()} are fitted on the primary renderer's slides only, by {@code
 * CellClassifierFit} in the test sources (docs/benchmarks.md, "Cell classes").
 *
 * @param spindleElongation elongation from which a nucleus under the tumour area is stromal
 * @param tumourAreaUm2 area from which a nucleus is a tumour cell
 * @param lymphocyteHaematoxylin mean haematoxylin from which a small round nucleus is a lymphocyte
 */
public record CellClassifier(double spindleElongation, double tumourAreaUm2, double lymphocyteHaematoxylin) {

    public static CellClassifier defaults() {
        return new CellClassifier(1.90, 53.5, 0.80);
    }

    public CellClass classify(double areaUm2, double elongation, double meanHaematoxylin) {
        if (areaUm2 >= tumourAreaUm2) {
            return CellClass.TUMOR_CELL;
        }
        if (elongation >= spindleElongation) {
            return CellClass.STROMAL_CELL;
        }
        if (meanHaematoxylin >= lymphocyteHaematoxylin) {
            return CellClass.LYMPHOCYTE;
        }
        return CellClass.OTHER;
    }
}
