package org.tessera.models.cells;

import org.tessera.models.classes.CellClass;

/**
 * One detected cell (its nucleus), in the pixel coordinates of the image it was found in.
 *
 * @param x centroid x
 * @param y centroid y
 * @param polygon outline vertices {@code x0, y0, x1, y1, ...}, not closed
 * @param areaUm2 area in µm²
 * @param perimeterUm perimeter in µm
 * @param eccentricity of the ellipse with the outline's second moments, 0 (circle) .. 1 (line)
 * @param elongation major over minor axis of that ellipse
 * @param meanHaematoxylin mean haematoxylin optical density inside
 * @param meanEosin mean eosin optical density inside
 * @param cellClass the class the rule gives
 */
public record Cell(
        double x,
        double y,
        double[] polygon,
        double areaUm2,
        double perimeterUm,
        double eccentricity,
        double elongation,
        double meanHaematoxylin,
        double meanEosin,
        CellClass cellClass) {}
