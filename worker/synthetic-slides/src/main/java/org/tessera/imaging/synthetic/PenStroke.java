package org.tessera.imaging.synthetic;

import java.util.Arrays;

/**
 * Ground truth: a marker stroke. A pixel is ink when its centre lies within {@code halfWidth} of the polyline.
 *
 * @param colour ink colour
 * @param points polyline vertices {x0, y0, x1, y1, ...}, level-0 pixels
 * @param halfWidth half the stroke width, pixels
 */
public record PenStroke(Colour colour, double[] points, double halfWidth) {

    /** Marker colours found on slides. */
    public enum Colour {
        GREEN(0.85, 0.16, 0.70),
        BLUE(0.95, 0.62, 0.10),
        BLACK(1.05, 1.02, 0.98);

        private final double[] opticalDensity;

        Colour(double red, double green, double blue) {
            this.opticalDensity = new double[] {red, green, blue};
        }

        /** Optical density of a full layer of ink per RGB channel (log10 attenuation). */
        public double opticalDensity(int channel) {
            return opticalDensity[channel];
        }
    }

    public PenStroke {
        if (points.length < 4 || points.length % 2 != 0) {
            throw new IllegalArgumentException("a stroke needs at least two points");
        }
        points = points.clone();
    }

    @Override
    public double[] points() {
        return points.clone();
    }

    /** Axis-aligned bounds {minX, minY, maxX, maxY} of the inked area. */
    public double[] bounds() {
        double[] b = {Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int i = 0; i < points.length; i += 2) {
            b[0] = Math.min(b[0], points[i]);
            b[1] = Math.min(b[1], points[i + 1]);
            b[2] = Math.max(b[2], points[i]);
            b[3] = Math.max(b[3], points[i + 1]);
        }
        return new double[] {b[0] - halfWidth, b[1] - halfWidth, b[2] + halfWidth, b[3] + halfWidth};
    }

    /** Distance from a point to the polyline, pixels. */
    public double distance(double px, double py) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i + 3 < points.length; i += 2) {
            best = Math.min(best, segmentDistance(px, py, points[i], points[i + 1], points[i + 2], points[i + 3]));
        }
        return best;
    }

    /** Whether level-0 pixel (x, y) is inked. */
    public boolean containsPixel(int x, int y) {
        return distance(x + 0.5, y + 0.5) <= halfWidth;
    }

    static double segmentDistance(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / lengthSquared;
        t = Math.max(0, Math.min(1, t));
        double ex = ax + t * dx - px;
        double ey = ay + t * dy - py;
        return Math.sqrt(ex * ex + ey * ey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PenStroke that
                && colour == that.colour
                && Double.compare(halfWidth, that.halfWidth) == 0
                && Arrays.equals(points, that.points);
    }

    @Override
    public int hashCode() {
        return colour.hashCode() * 31 + Arrays.hashCode(points) + Double.hashCode(halfWidth);
    }

    @Override
    public String toString() {
        return "PenStroke[" + colour + ", " + points.length / 2 + " points, half width " + halfWidth + "]";
    }
}
