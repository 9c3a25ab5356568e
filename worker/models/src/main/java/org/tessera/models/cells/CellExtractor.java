package org.tessera.models.cells;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Turns the nucleus detection model's outputs into cells: from each seed, a star-convex outline (rays cast outwards
 * until the haematoxylin falls back towards the seed's surroundings, never past the half-way line to a neighbouring
 * seed, so each pixel belongs to at most one cell), shape and stain measurements, and a class from
 * {@link CellClassifier}. Outlines that are marker ink, not nuclei, are dropped ({@link #screen}). Pure and
 * thread-safe.
 */
public final class CellExtractor {

    private static final int RAYS = 32;
    /** Direction of each ray, computed once (the same doubles as computing them per sample). */
    private static final double[] COS = new double[RAYS];

    private static final double[] SIN = new double[RAYS];

    static {
        for (int k = 0; k < RAYS; k++) {
            double a = 2 * Math.PI * k / RAYS;
            COS[k] = Math.cos(a);
            SIN[k] = Math.sin(a);
        }
    }

    private static final double MAX_RADIUS_UM = 9;
    /** A run of pale pixels this long ends a ray: vesicular nuclei are pale inside but not across their rim. */
    private static final double GAP_UM = 2.5;
    /** The outline sits where haematoxylin has fallen this share of the way from the seed to its surroundings. */
    private static final double EDGE_LEVEL = 0.4;

    /**
     * Eosin per unit of haematoxylin inside a nucleus on the stains the models were fitted on (0.12 to 0.26 is the
     * median of a 1024² region on the primary renderer's slides): the tile's reference when it holds too few outlines
     * to measure its own.
     */
    static final double TYPICAL_EOSIN_RATIO = 0.15;

    /** Outlines a tile needs for the median of their eosin ratio to be its reference. */
    static final int MIN_OUTLINES_FOR_REFERENCE = 10;

    /** Tiles of a slide whose outlines give its reference ({@link #referenceTiles}). */
    public static final int REFERENCE_TILES = 12;

    /** Outlines the reference tiles need to hold, together, for their median to be the slide's reference. */
    static final int MIN_OUTLINES_FOR_SLIDE_REFERENCE = 40;

    /**
     * An outline is ink when its eosin ratio is negative and this far under the tile's median. Set on the primary
     * renderer's slides: there ink sits at least 0.15 under the median of a 1024² region, nuclei at most 0.19, and
     * those are then at zero; on slides whose stains normalization maps imperfectly every nucleus's ratio moves down
     * together.
     */
    public static final double INK_MARGIN = 0.15;

    private final double mpp;
    private final CellClassifier classifier;
    private final double inkMargin;
    /** The slide's eosin ratio ({@link #withSlideReference}); NaN while each tile measures its own. */
    private final double slideReference;

    public CellExtractor(double mpp, CellClassifier classifier) {
        this(mpp, classifier, INK_MARGIN);
    }

    /**
     * @param inkMargin how far under the tile's median eosin ratio a negative one must be for the outline to count as
     *     ink ({@link #INK_MARGIN}); negative infinity drops every outline with negative eosin (the rule before
     *     the tile's median was taken into account), positive infinity none
     */
    public CellExtractor(double mpp, CellClassifier classifier, double inkMargin) {
        if (Double.isNaN(inkMargin)) {
            throw new IllegalArgumentException("inkMargin must be a number or an infinity, not NaN");
        }
        this(mpp, classifier, inkMargin, Double.NaN);
    }

    private CellExtractor(double mpp, CellClassifier classifier, double inkMargin, double slideReference) {
        this.mpp = mpp;
        this.classifier = classifier;
        this.inkMargin = inkMargin;
        this.slideReference = slideReference;
    }

    /**
     * This extractor judging every tile's outlines against the slide's eosin ratio instead of the tile's own median.
     * A tile holds few outlines, and not always a fair mix: a stroke of ink can give most of them (the median moves
     * towards the ink), dark lymphocytes among paler nuclei sit under the median when the stains are mapped
     * imperfectly, and a tile with under {@value #MIN_OUTLINES_FOR_REFERENCE} outlines has no median at all. The
     * slide's ratio, measured once on {@link #referenceTiles} spread over its tissue, has none of these faults.
     *
     * @param reference the slide's ratio ({@link #slideReference}); empty leaves each tile measuring its own
     */
    public CellExtractor withSlideReference(OptionalDouble reference) {
        return reference.isPresent() ? new CellExtractor(mpp, classifier, inkMargin, reference.getAsDouble()) : this;
    }

    /**
     * The tiles whose outlines measure a slide's eosin ratio: {@value #REFERENCE_TILES} spread evenly over the tiles
     * of its plan (all of them when there are fewer), the same ones on every attempt.
     */
    public static <T> List<T> referenceTiles(List<T> tiles) {
        if (tiles.size() <= REFERENCE_TILES) {
            return List.copyOf(tiles);
        }
        List<T> chosen = new ArrayList<>(REFERENCE_TILES);
        for (int i = 0; i < REFERENCE_TILES; i++) {
            // The middle of each of REFERENCE_TILES equal stretches of the plan.
            chosen.add(tiles.get((int) ((2L * i + 1) * tiles.size() / (2L * REFERENCE_TILES))));
        }
        return chosen;
    }

    /**
     * A slide's eosin ratio: the median over the outlines of its {@link #referenceTiles} ({@link #outlines}), or
     * empty when they hold under {@value #MIN_OUTLINES_FOR_SLIDE_REFERENCE} together (little tissue, few nuclei), and
     * each tile then measures its own.
     */
    public static OptionalDouble slideReference(List<Cell> outlines) {
        double[] ratios = ratios(outlines);
        return ratios.length < MIN_OUTLINES_FOR_SLIDE_REFERENCE
                ? OptionalDouble.empty()
                : OptionalDouble.of(median(ratios));
    }

    /**
     * @param seeds {@code width × height}, non-zero at seeds
     * @param stains haematoxylin plane then eosin plane, each {@code width × height}
     * @param keep region (x0, y0, x1, y1, half-open) in which a cell's centroid must lie to be reported
     */
    public List<Cell> extract(float[] seeds, float[] stains, int width, int height, int[] keep) {
        return screen(outlines(seeds, stains, width, height), keep, classifier, inkMargin, slideReference);
    }

    /**
     * Every outline of a tile, ink not screened out and not classified: what {@link #slideReference} measures.
     *
     * @param seeds {@code width × height}, non-zero at seeds
     * @param stains haematoxylin plane then eosin plane, each {@code width × height}
     */
    public List<Cell> outlines(float[] seeds, float[] stains, int width, int height) {
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
        double reach = 4 * maxRadius * maxRadius;
        for (int[] p : points) {
            List<int[]> neighbours = new ArrayList<>();
            int gx = p[0] / cell;
            int gy = p[1] / cell;
            for (int j = Math.max(0, gy - 1); j <= Math.min(gh - 1, gy + 1); j++) {
                for (int i = Math.max(0, gx - 1); i <= Math.min(gw - 1, gx + 1); i++) {
                    for (int[] q : grid.get(j * gw + i)) {
                        // A seed more than 2 maxRadius away is never closer than this seed to a point within
                        // maxRadius of it, so it cannot stop a ray: leaving it out changes no outline.
                        long dx = q[0] - p[0];
                        long dy = q[1] - p[1];
                        if (q != p && dx * dx + dy * dy <= reach) {
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
        return cells;
    }

    /**
     * Drops the outlines that are ink, keeps those whose centroid lies in {@code keep} and classifies them.
     * {@code outlines} are every outline of the tile (their class is not read), inside {@code keep} or not.
     *
     * <p>No mix of haematoxylin and eosin needs a negative amount of eosin; marker ink does, and a dark stroke of it
     * breaks up into dots that look like nuclei to the haematoxylin channel. But a slide whose stains the normalization
     * maps imperfectly (estimated at low resolution, where nuclei blend into their surroundings) can give all its
     * nuclei a little negative eosin too. So an outline is ink when its eosin per unit of haematoxylin is negative and
     * {@code inkMargin} under the median of the tile's outlines: what matters is that it differs from the nuclei
     * around it, whose median it cannot move while they outnumber it. With a {@code slideReference} (not NaN) that
     * ratio stands in for the tile's median.
     */
    static List<Cell> screen(
            List<Cell> outlines, int[] keep, CellClassifier classifier, double inkMargin, double slideReference) {
        double reference = slideReference;
        if (Double.isNaN(reference)) {
            double[] ratios = ratios(outlines);
            reference = ratios.length >= MIN_OUTLINES_FOR_REFERENCE ? median(ratios) : TYPICAL_EOSIN_RATIO;
        }
        double inkBelow = Math.min(0, reference - inkMargin);
        List<Cell> cells = new ArrayList<>();
        for (Cell c : outlines) {
            boolean ink =
                    c.meanEosin() < 0 && (c.meanHaematoxylin() <= 0 || c.meanEosin() / c.meanHaematoxylin() < inkBelow);
            if (ink || c.x() < keep[0] || c.x() >= keep[2] || c.y() < keep[1] || c.y() >= keep[3]) {
                continue;
            }
            cells.add(new Cell(
                    c.x(),
                    c.y(),
                    c.polygon(),
                    c.areaUm2(),
                    c.perimeterUm(),
                    c.eccentricity(),
                    c.elongation(),
                    c.meanHaematoxylin(),
                    c.meanEosin(),
                    classifier.classify(c.areaUm2(), c.elongation(), c.meanHaematoxylin())));
        }
        return cells;
    }

    /** Eosin per unit of haematoxylin of each outline with some haematoxylin. */
    private static double[] ratios(List<Cell> outlines) {
        double[] ratios = new double[outlines.size()];
        int n = 0;
        for (Cell c : outlines) {
            if (c.meanHaematoxylin() > 0) {
                ratios[n++] = c.meanEosin() / c.meanHaematoxylin();
            }
        }
        return Arrays.copyOf(ratios, n);
    }

    /** Sorts {@code values} in place. */
    private static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private Cell outline(
            int sx, int sy, List<int[]> neighbours, float[] stains, int plane, int width, int height, double maxR) {
        double cx = sx + 0.5;
        double cy = sy + 0.5;
        double peak = stains[sy * width + sx];
        double surround = 0;
        for (int k = 0; k < RAYS; k++) {
            surround += sample(stains, 0, width, height, cx + maxR * COS[k], cy + maxR * SIN[k]);
        }
        surround /= RAYS;
        double threshold = surround + EDGE_LEVEL * Math.max(0, peak - surround);
        double gap = GAP_UM / mpp;
        double[] radius = new double[RAYS];
        double hSum = 0;
        double eSum = 0;
        double weight = 0;
        for (int k = 0; k < RAYS; k++) {
            double dx = COS[k];
            double dy = SIN[k];
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
            double cos = COS[k];
            double sin = SIN[k];
            polygon[2 * k] = cx + smooth[k] * cos;
            polygon[2 * k + 1] = cy + smooth[k] * sin;
            for (double r = 0; r <= smooth[k]; r += 0.5) {
                // Ray samples stand for rings of area proportional to r.
                double wgt = Math.max(0.25, r);
                hSum += wgt * sample(stains, 0, width, height, cx + r * cos, cy + r * sin);
                eSum += wgt * sample(stains, plane, width, height, cx + r * cos, cy + r * sin);
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
        // The class is given by screen(), once the tile's outlines are known.
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
