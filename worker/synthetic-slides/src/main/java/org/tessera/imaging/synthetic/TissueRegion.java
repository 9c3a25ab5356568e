package org.tessera.imaging.synthetic;

/**
 * Ground truth: one piece of tissue on a synthetic slide, a rotated ellipse in level-0 pixel coordinates. A pixel
 * {@code (x, y)} is tissue when its centre {@code (x + 0.5, y + 0.5)} lies inside.
 *
 * @param centerX ellipse centre, level-0 pixels
 * @param centerY ellipse centre, level-0 pixels
 * @param radiusX semi-axis along the rotated x direction, pixels
 * @param radiusY semi-axis along the rotated y direction, pixels
 * @param rotation rotation of the x semi-axis, radians
 * @param nucleusDensity probability (0..1) that a nucleus sits in a grid cell of this region
 */
public record TissueRegion(
        double centerX, double centerY, double radiusX, double radiusY, double rotation, double nucleusDensity) {

    public TissueRegion {
        if (!(radiusX > 0) || !(radiusY > 0)) {
            throw new IllegalArgumentException("radii must be positive");
        }
    }

    /** Whether the point (in pixel units, not pixel indices) lies inside the ellipse. */
    public boolean containsPoint(double px, double py) {
        return squaredRadius(px, py) <= 1;
    }

    /** The point's elliptical radius: below 1 inside, 1 on the outline. */
    double normalizedRadius(double px, double py) {
        return Math.sqrt(squaredRadius(px, py));
    }

    private double squaredRadius(double px, double py) {
        double u = px - centerX;
        double v = py - centerY;
        double cos = Math.cos(rotation);
        double sin = Math.sin(rotation);
        double along = (u * cos + v * sin) / radiusX;
        double across = (-u * sin + v * cos) / radiusY;
        return along * along + across * across;
    }

    /** Whether level-0 pixel (x, y) is tissue. */
    public boolean containsPixel(int x, int y) {
        return containsPoint(x + 0.5, y + 0.5);
    }

    /** Area in square pixels. */
    public double area() {
        return Math.PI * radiusX * radiusY;
    }

    /** Axis-aligned bounds {minX, minY, maxX, maxY} in pixel units. */
    public double[] bounds() {
        double cos = Math.cos(rotation);
        double sin = Math.sin(rotation);
        double halfWidth = Math.hypot(radiusX * cos, radiusY * sin);
        double halfHeight = Math.hypot(radiusX * sin, radiusY * cos);
        return new double[] {centerX - halfWidth, centerY - halfHeight, centerX + halfWidth, centerY + halfHeight};
    }

    /**
     * The x interval {from, to} (pixel units) of the ellipse on the horizontal line at {@code py}, or null when the
     * line misses it.
     */
    double[] span(double py) {
        double cos = Math.cos(rotation);
        double sin = Math.sin(rotation);
        double ia = 1 / (radiusX * radiusX);
        double ib = 1 / (radiusY * radiusY);
        double v = py - centerY;
        double a = cos * cos * ia + sin * sin * ib;
        double b = 2 * v * sin * cos * (ia - ib);
        double c = v * v * (sin * sin * ia + cos * cos * ib) - 1;
        double discriminant = b * b - 4 * a * c;
        if (discriminant < 0) {
            return null;
        }
        double root = Math.sqrt(discriminant);
        return new double[] {centerX + (-b - root) / (2 * a), centerX + (-b + root) / (2 * a)};
    }
}
