package org.tessera.models.cells;

import java.util.ArrayList;
import java.util.List;

/**
 * The cell extractor as it was before its rays were precomputed and far seeds left out of the neighbour test: kept so
 * that a test can show both give the same cells.
 *
 * <p>
 * Turns the nucleus detection model's outputs into cells: from each seed, a star-convex outline (rays cast outwards
 * until the haematoxylin falls back towards the seed's surroundings, never past the half-way line to a neighbouring
 * seed, so each pixel belongs to at most one cell), shape and stain measurements, and a class from
 * {@link CellClassifier}, the ink screened out as {@link CellExtractor#screen} does. Pure and
 * thread-safe.
 */
final class CellExtractorReference {

    private static final int RAYS = 32;
    private static final double MAX_RADIUS_UM = 9;
    /** A run of pale pixels this long ends a ray: vesicular nuclei are pale inside but not across their rim. */
    private static final double GAP_UM = 2.5;
    /** The outline sits where haematoxylin has fallen this share of the way from the seed to its surroundings. */
    private static final double EDGE_LEVEL = 0.4;

    private final double mpp;
    private final CellClassifier classifier;

    CellExtractorReference(double mpp, CellClassifier classifier) {
        this.mpp = mpp;
        this.classifier = classifier;
    }

    /**
     * @param seeds {@code width × height}, non-zero at seeds
     * @param stains haematoxylin plane then eosin plane, each {@code width × height}
     * @param keep region (x0, y0, x1, y1, half-open) in which a cell's centroid must lie to be reported
     */
    public List<Cell> extract(float[] seeds, float[] stains, int width, int height, int[] keep) {
        List<int[]> points = new ArrayList<>();
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (seeds[y * width + x] != 0) {
                    points.add(new int[] {x, y});
                }
            }
        }
        double maxRadius = MAX_RADIUS_UM / mpp;
        // Neighbour lookup on a grid of cells 2 * maxRadius wide.
        int cell = (int) Math.ceil(2 * maxRadius);
        int gw = width / cell + 1;
        int gh = height / cell + 1;
        List<List<int[]>> grid = new ArrayList<>(gw * gh);
        for (int i = 0; i < gw * gh; i++) {
            grid.add(new ArrayList<>());
        }
        for (int[] p : points) {
            grid.get((p[1] / cell) * gw + p[0] / cell).add(p);
        }
        List<Cell> cells = new ArrayList<>();
        int plane = width * height;
        for (int[] p : points) {
            List<int[]> neighbours = new ArrayList<>();
            int gx = p[0] / cell;
            int gy = p[1] / cell;
            for (int j = Math.max(0, gy - 1); j <= Math.min(gh - 1, gy + 1); j++) {
                for (int i = Math.max(0, gx - 1); i <= Math.min(gw - 1, gx + 1); i++) {
                    for (int[] q : grid.get(j * gw + i)) {
                        if (q != p) {
                            neighbours.add(q);
                        }
                    }
                }
            }
            Cell c = outline(p[0], p[1], neighbours, stains, plane, width, height, maxRadius);
            if (c != null) {
                cells.add(c);
            }
        }
        return CellExtractor.screen(cells, keep, classifier, CellExtractor.INK_MARGIN, Double.NaN);
    }

    private Cell outline(
            int sx, int sy, List<int[]> neighbours, float[] stains, int plane, int width, int height, double maxR) {
        double cx = sx + 0.5;
        double cy = sy + 0.5;
        double peak = stains[sy * width + sx];
        double surround = 0;
        for (int k = 0; k < RAYS; k++) {
            double a = 2 * Math.PI * k / RAYS;
            surround += sample(stains, 0, width, height, cx + maxR * Math.cos(a), cy + maxR * Math.sin(a));
        }
        surround /= RAYS;
        double threshold = surround + EDGE_LEVEL * Math.max(0, peak - surround);
        double gap = GAP_UM / mpp;
        double[] radius = new double[RAYS];
        double hSum = 0;
        double eSum = 0;
        double weight = 0;
        for (int k = 0; k < RAYS; k++) {
            double a = 2 * Math.PI * k / RAYS;
            double dx = Math.cos(a);
            double dy = Math.sin(a);
            double last = 0.75;
            for (double r = 0.5; r <= maxR; r += 0.5) {
                double px = cx + r * dx;
                double py = cy + r * dy;
                if (px < 0 || py < 0 || px >= width || py >= height || closerToNeighbour(px, py, cx, cy, neighbours)) {
                    break;
                }
                if (sample(stains, 0, width, height, px, py) > threshold) {
                    last = r;
                } else if (r - last > gap) {
                    break;
                }
            }
            radius[k] = last;
        }
        // A median over three neighbouring rays removes single-ray spikes into touching debris.
        double[] smooth = new double[RAYS];
        for (int k = 0; k < RAYS; k++) {
            double a = radius[(k + RAYS - 1) % RAYS];
            double b = radius[k];
            double c = radius[(k + 1) % RAYS];
            smooth[k] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
        }
        double[] polygon = new double[2 * RAYS];
        for (int k = 0; k < RAYS; k++) {
            double a = 2 * Math.PI * k / RAYS;
            polygon[2 * k] = cx + smooth[k] * Math.cos(a);
            polygon[2 * k + 1] = cy + smooth[k] * Math.sin(a);
            for (double r = 0; r <= smooth[k]; r += 0.5) {
                // Ray samples stand for rings of area proportional to r.
                double wgt = Math.max(0.25, r);
                hSum += wgt * sample(stains, 0, width, height, cx + r * Math.cos(a), cy + r * Math.sin(a));
                eSum += wgt * sample(stains, plane, width, height, cx + r * Math.cos(a), cy + r * Math.sin(a));
                weight += wgt;
            }
        }
        Shape shape = Shape.of(polygon);
        if (shape.area() <= 0) {
            return null;
        }
        double area = shape.area() * mpp * mpp;
        double meanH = hSum / weight;
        double meanE = eSum / weight;
        return new Cell(
                shape.cx(),
                shape.cy(),
                polygon,
                area,
                shape.perimeter() * mpp,
                shape.eccentricity(),
                shape.elongation(),
                meanH,
                meanE,
                null);
    }

    private static boolean closerToNeighbour(double px, double py, double cx, double cy, List<int[]> neighbours) {
        double own = (px - cx) * (px - cx) + (py - cy) * (py - cy);
        for (int[] q : neighbours) {
            double qx = q[0] + 0.5 - px;
            double qy = q[1] + 0.5 - py;
            if (qx * qx + qy * qy < own) {
                return true;
            }
        }
        return false;
    }

    private static double sample(float[] plane, int offset, int width, int height, double x, double y) {
        int ix = Math.min(width - 1, Math.max(0, (int) x));
        int iy = Math.min(height - 1, Math.max(0, (int) y));
        return plane[offset + iy * width + ix];
    }

    /** Area, perimeter, centroid and second moments of a simple polygon. */
    record Shape(double area, double perimeter, double cx, double cy, double eccentricity, double elongation) {
        static Shape of(double[] p) {
            int n = p.length / 2;
            double a = 0;
            double sx = 0;
            double sy = 0;
            double perimeter = 0;
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                double cross = p[2 * i] * p[2 * j + 1] - p[2 * j] * p[2 * i + 1];
                a += cross;
                sx += (p[2 * i] + p[2 * j]) * cross;
                sy += (p[2 * i + 1] + p[2 * j + 1]) * cross;
                perimeter += Math.hypot(p[2 * j] - p[2 * i], p[2 * j + 1] - p[2 * i + 1]);
            }
            a /= 2;
            if (Math.abs(a) < 1e-9) {
                return new Shape(0, perimeter, p[0], p[1], 0, 1);
            }
            double cx = sx / (6 * a);
            double cy = sy / (6 * a);
            double xx = 0;
            double yy = 0;
            double xy = 0;
            for (int i = 0; i < n; i++) {
                int j = (i + 1) % n;
                double x0 = p[2 * i] - cx;
                double y0 = p[2 * i + 1] - cy;
                double x1 = p[2 * j] - cx;
                double y1 = p[2 * j + 1] - cy;
                double cross = x0 * y1 - x1 * y0;
                xx += (x0 * x0 + x0 * x1 + x1 * x1) * cross;
                yy += (y0 * y0 + y0 * y1 + y1 * y1) * cross;
                xy += (x0 * y1 + 2 * x0 * y0 + 2 * x1 * y1 + x1 * y0) * cross;
            }
            xx /= 12 * a;
            yy /= 12 * a;
            xy /= 24 * a;
            double mean = (xx + yy) / 2;
            double diff = Math.sqrt(Math.max(0, (xx - yy) * (xx - yy) / 4 + xy * xy));
            double major = mean + diff;
            double minor = Math.max(1e-12, mean - diff);
            return new Shape(
                    Math.abs(a),
                    perimeter,
                    cx,
                    cy,
                    Math.sqrt(Math.max(0, 1 - minor / major)),
                    Math.sqrt(major / minor));
        }
    }
}
