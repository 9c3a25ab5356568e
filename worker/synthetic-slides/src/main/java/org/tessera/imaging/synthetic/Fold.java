package org.tessera.imaging.synthetic;

/**
 * Ground truth: a strip where tissue folded over itself, a capsule around the segment (x0, y0)-(x1, y1). Only its
 * tissue pixels are folded.
 *
 * @param halfWidth half the strip's width, pixels
 */
public record Fold(double x0, double y0, double x1, double y1, double halfWidth) {

    public boolean containsPoint(double px, double py) {
        return PenStroke.segmentDistance(px, py, x0, y0, x1, y1) <= halfWidth;
    }

    public boolean containsPixel(int x, int y) {
        return containsPoint(x + 0.5, y + 0.5);
    }

    /** Axis-aligned bounds {minX, minY, maxX, maxY}. */
    public double[] bounds() {
        return new double[] {
            Math.min(x0, x1) - halfWidth,
            Math.min(y0, y1) - halfWidth,
            Math.max(x0, x1) + halfWidth,
            Math.max(y0, y1) + halfWidth
        };
    }
}
