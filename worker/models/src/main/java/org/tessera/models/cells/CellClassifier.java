package org.tessera.models.cells;

import org.tessera.models.classes.CellClass;

/**
 * A small decision rule over nucleus morphology and stain: spindle-shaped nuclei are stromal (fibroblast-like), large
 * ones tumour cells, small dark round ones lymphocytes, the rest other. Thresholds are chosen between the class
 * distributions measured on generated slides ({@code CellDetectionAccuracyTest} prints them).
 *
 * @param spindleElongation elongation from which a nucleus is stromal
 * @param tumourAreaUm2 area from which a round nucleus is a tumour cell
 * @param lymphocyteHaematoxylin mean haematoxylin from which a small round nucleus is a lymphocyte
 */
public record CellClassifier(double spindleElongation, double tumourAreaUm2, double lymphocyteHaematoxylin) {

    public static CellClassifier defaults() {
        return new CellClassifier(2.0, 60, 0.75);
    }

    public CellClass classify(double areaUm2, double elongation, double meanHaematoxylin) {
        if (elongation >= spindleElongation) {
            return CellClass.STROMAL_CELL;
        }
        if (areaUm2 >= tumourAreaUm2) {
            return CellClass.TUMOR_CELL;
        }
        if (meanHaematoxylin >= lymphocyteHaematoxylin) {
            return CellClass.LYMPHOCYTE;
        }
        return CellClass.OTHER;
    }
}
