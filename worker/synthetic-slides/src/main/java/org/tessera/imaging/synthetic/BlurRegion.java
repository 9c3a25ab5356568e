package org.tessera.imaging.synthetic;

/**
 * Ground truth: an out-of-focus area, an ellipse; only its tissue pixels count as blurred.
 *
 * @param area the ellipse (its nucleus density is unused)
 * @param radiusUm radius of the box filter applied twice, micrometres
 */
public record BlurRegion(TissueRegion area, double radiusUm) {

    public boolean containsPixel(int x, int y) {
        return area.containsPixel(x, y);
    }
}
