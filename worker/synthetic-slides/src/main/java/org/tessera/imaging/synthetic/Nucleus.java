package org.tessera.imaging.synthetic;

import org.tessera.models.classes.CellClass;
import org.tessera.models.classes.TissueClass;

/**
 * Ground truth: one nucleus drawn on a synthetic slide.
 *
 * @param x centre, level-0 pixels (pixel units: pixel {@code i} spans {@code [i, i+1)})
 * @param y centre, level-0 pixels
 * @param nucleusClass what it is
 * @param diameterUm diameter of the circle with the same area, micrometres
 * @param lengthUm long axis, micrometres
 * @param widthUm short axis, micrometres
 * @param angle direction of the long axis, radians from the +x axis towards +y, in [0, pi)
 * @param tissueClass the tissue class it sits in
 */
public record Nucleus(
        double x,
        double y,
        CellClass nucleusClass,
        double diameterUm,
        double lengthUm,
        double widthUm,
        double angle,
        TissueClass tissueClass) {}
