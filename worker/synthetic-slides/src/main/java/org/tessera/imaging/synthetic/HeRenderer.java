package org.tessera.imaging.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tessera.models.classes.CellClass;
import org.tessera.models.classes.TissueClass;

/**
 * Renders an H&E-looking slide procedurally, any region on demand, from a {@link GroundTruth}: near-white glass;
 * inside tissue, stain concentrations per tissue class (haematoxylin and eosin, turned into RGB by Beer-Lambert with
 * fixed stain vectors, so colour deconvolution recovers them); the nuclei, debris and artefacts the ground truth
 * lists. Everything is a pure function of the seed and the pixel position, so tiles render independently, in any
 * order and on any thread, and the same seed gives the same pixels.
 */
final class HeRenderer implements SlideRenderer {

    private static final int NOISE_SIZE = 512;
    private static final int NOISE_MASK = NOISE_SIZE - 1;
    private static final int NOISE_SHIFT = 9;

    /** Optical density per unit of stain (RGB): haematoxylin (blue-purple) and eosin (pink). */
    static final float[] HAEMATOXYLIN = {0.650f, 0.704f, 0.286f};

    static final float[] EOSIN = {0.10f, 0.86f, 0.50f};
    /** Glass and mounting medium: a faint, nearly neutral density everywhere. */
    static final float GLASS_OD = 0.026f;

    private static final int OD_STEPS = 1024;
    private static final int OD_MAX = 8;
    /** 255 * 10^-od, for od in steps of 1/1024. */
    private static final byte[] TRANSMITTED = transmittedTable();

    private static final int CLASS_BACKGROUND = TissueClass.BACKGROUND.ordinal();
    private static final int CLASS_TUMOR = TissueClass.TUMOR.ordinal();
    private static final int CLASS_STROMA = TissueClass.STROMA.ordinal();
    private static final int CLASS_NECROSIS = TissueClass.NECROSIS.ordinal();
    private static final int CLASS_OTHER = TissueClass.OTHER.ordinal();

    private final GroundTruth truth;
    private final List<TissueRegion> regions;
    private final long seed;
    private final float[] noise;
    /** Texture coordinates scale with the pixel size so that textures keep their physical size. */
    private final double textureScale;

    private final double fatCell;
    private final double membrane;
    private final double debrisCell;

    HeRenderer(GroundTruth truth) {
        this.truth = truth;
        this.regions = truth.tissueRegions();
        this.seed = truth.seed();
        this.noise = valueNoise(new SplittableRandom(seed ^ 0x5DEECE66DL));
        double mpp = truth.mpp();
        this.textureScale = 0.25 / mpp;
        this.fatCell = 55 / mpp;
        this.membrane = Math.max(0.6, 0.8 / mpp);
        this.debrisCell = 6 / mpp;
    }

    /** A few tissue pieces at seeded positions, leaving background around and between them. */
    static List<TissueRegion> layout(int width, int height, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int count = 2 + random.nextInt(3);
        List<TissueRegion> regions = new ArrayList<>();
        double minSide = Math.min(width, height);
        // Regions sit in cells of a coarse grid so that they never overlap and leave background between them.
        int columns = 2;
        int rows = count <= 2 ? 1 : 2;
        double cellWidth = (double) width / columns;
        double cellHeight = (double) height / rows;
        for (int i = 0; i < count; i++) {
            int column = i % columns;
            int row = i / columns;
            double maxRadius = Math.min(cellWidth, cellHeight) * 0.42;
            double radiusX = Math.max(maxRadius * (0.6 + 0.35 * random.nextDouble()), minSide * 0.02);
            double radiusY = Math.max(radiusX * (0.55 + 0.4 * random.nextDouble()), minSide * 0.015);
            double slackX = Math.max(0, cellWidth / 2 - radiusX);
            double slackY = Math.max(0, cellHeight / 2 - radiusX);
            double centerX = cellWidth * (column + 0.5) + slackX * (2 * random.nextDouble() - 1);
            double centerY = cellHeight * (row + 0.5) + slackY * (2 * random.nextDouble() - 1);
            double rotation = random.nextDouble() * Math.PI;
            double density = 0.35 + 0.5 * random.nextDouble();
            regions.add(new TissueRegion(centerX, centerY, radiusX, radiusY, rotation, density));
        }
        return List.copyOf(regions);
    }

    @Override
    public boolean render(int x, int y, int width, int height, byte[] out) {
        List<BlurRegion> blurs = new ArrayList<>();
        for (BlurRegion blur : truth.blurRegions()) {
            int margin = blurMargin(blur);
            if (intersects(blur.area().bounds(), x - margin, y - margin, width + 2 * margin, height + 2 * margin)) {
                blurs.add(blur);
            }
        }
        boolean content;
        if (blurs.isEmpty()) {
            content = renderSharp(x, y, width, height, out);
        } else {
            content = renderBlurred(x, y, width, height, out, blurs);
        }
        return applyInk(x, y, width, height, out) | content;
    }

    private int blurMargin(BlurRegion blur) {
        return 2 * blurRadius(blur) + 1;
    }

    private int blurRadius(BlurRegion blur) {
        return Math.max(1, (int) Math.round(blur.radiusUm() / truth.mpp()));
    }

    private boolean renderSharp(int x, int y, int width, int height, byte[] out) {
        int n = width * height;
        float[] od = new float[3 * n];
        byte[] classes = new byte[n];
        for (int row = 0; row < height; row++) {
            int py = y + row;
            for (int column = 0; column < width; column++) {
                int px = x + column;
                float g = GLASS_OD + 0.010f * noise(px * 7, py * 7);
                int o = 3 * (row * width + column);
                od[o] = g;
                od[o + 1] = g;
                od[o + 2] = g * 0.9f;
            }
        }
        List<TissueRegion> near = regionsNear(x, y, width, height, 0);
        boolean tissue = false;
        if (!near.isEmpty()) {
            tissue = paintTissue(x, y, width, height, od, classes, near);
        }
        if (tissue) {
            paintDebris(x, y, width, height, od, classes);
            paintNuclei(x, y, width, height, od, classes);
            paintFolds(x, y, width, height, od, classes);
        }
        for (int i = 0; i < od.length; i++) {
            int index = (int) (od[i] * OD_STEPS + 0.5f);
            out[i] = TRANSMITTED[Math.min(index, TRANSMITTED.length - 1)];
        }
        return tissue;
    }

    /** Tissue pixels: class from the ground truth's fields, stain from the class's texture. */
    private boolean paintTissue(
            int x, int y, int width, int height, float[] od, byte[] classes, List<TissueRegion> near) {
        int step = GroundTruth.CONTROL_STEP;
        long cx0 = (long) Math.floor((x + 0.5) / step);
        long cy0 = (long) Math.floor((y + 0.5) / step);
        int cw = (int) ((long) Math.floor((x + width - 0.5) / step) - cx0 + 2);
        int ch = (int) ((long) Math.floor((y + height - 0.5) / step) - cy0 + 2);
        double[] tumorField = new double[cw * ch];
        double[] fatField = new double[cw * ch];
        double[] cos2 = new double[cw * ch];
        double[] sin2 = new double[cw * ch];
        for (int j = 0; j < ch; j++) {
            for (int i = 0; i < cw; i++) {
                int k = j * cw + i;
                tumorField[k] = truth.controlValue(GroundTruth.FIELD_TUMOR, cx0 + i, cy0 + j);
                fatField[k] = truth.controlValue(GroundTruth.FIELD_FAT, cx0 + i, cy0 + j);
                double theta =
                        GroundTruth.orientation(truth.controlValue(GroundTruth.FIELD_ORIENTATION, cx0 + i, cy0 + j));
                cos2[k] = Math.cos(2 * theta);
                sin2[k] = Math.sin(2 * theta);
            }
        }
        int[] columnCell = new int[width];
        double[] columnFraction = new double[width];
        for (int column = 0; column < width; column++) {
            double u = (x + column + 0.5) / step;
            long cx = (long) Math.floor(u);
            columnCell[column] = (int) (cx - cx0);
            columnFraction[column] = u - cx;
        }
        FatCells fat = null;
        boolean any = false;
        double k = textureScale;
        for (int row = 0; row < height; row++) {
            int py = y + row;
            double v = (py + 0.5) / step;
            long cy = (long) Math.floor(v);
            int cj = (int) (cy - cy0);
            double fy = v - cy;
            int rowOffset = row * width;
            double sy = py * k;
            for (TissueRegion region : near) {
                double[] span = region.span(py + 0.5);
                if (span == null) {
                    continue;
                }
                // Pixel px is inside when its centre px + 0.5 lies within [from, to].
                int from = Math.max(x, (int) Math.ceil(span[0] - 0.5));
                int to = Math.min(x + width - 1, (int) Math.floor(span[1] - 0.5));
                for (int px = from; px <= to; px++) {
                    int column = px - x;
                    int ci = columnCell[column];
                    double fx = columnFraction[column];
                    int c00 = cj * cw + ci;
                    double tumor = GroundTruth.bilerp(
                            tumorField[c00],
                            tumorField[c00 + 1],
                            tumorField[c00 + cw],
                            tumorField[c00 + cw + 1],
                            fx,
                            fy);
                    double fatValue = GroundTruth.bilerp(
                            fatField[c00], fatField[c00 + 1], fatField[c00 + cw], fatField[c00 + cw + 1], fx, fy);
                    int tissueClass = truth.classify(tumor, fatValue).ordinal();
                    classes[rowOffset + column] = (byte) tissueClass;
                    any = true;
                    double sx = px * k;
                    float h;
                    float e;
                    if (tissueClass == CLASS_STROMA) {
                        double c = GroundTruth.bilerp(
                                cos2[c00], cos2[c00 + 1], cos2[c00 + cw], cos2[c00 + cw + 1], fx, fy);
                        double s = GroundTruth.bilerp(
                                sin2[c00], sin2[c00 + 1], sin2[c00 + cw], sin2[c00 + cw + 1], fx, fy);
                        float fibre = fibre(sx, sy, c, s);
                        float patch = noise((int) (sx * 0.25) + 311, (int) (sy * 0.25) + 173);
                        e = 0.12f + 0.32f * fibre + 0.06f * patch;
                        h = 0.03f + 0.035f * patch;
                    } else if (tissueClass == CLASS_TUMOR) {
                        float mottle = noise((int) (sx * 1.5) + 50, (int) (sy * 1.5) + 20);
                        float tint = noise((int) (sx * 0.5) + 200, (int) (sy * 0.5) + 300);
                        e = 0.15f + 0.10f * mottle;
                        h = 0.14f + 0.09f * tint;
                    } else if (tissueClass == CLASS_NECROSIS) {
                        float grain = noise((int) (sx * 4) + 7, (int) (sy * 4) + 11);
                        float dither = (GroundTruth.mix(seed, px, py) & 0xFF) / 255f;
                        float cloud = noise((int) (sx * 0.6) + 77, (int) (sy * 0.6) + 91);
                        e = 0.09f + 0.13f * grain + 0.06f * dither + 0.03f * cloud;
                        h = 0.025f + 0.04f * cloud;
                    } else {
                        if (fat == null) {
                            fat = new FatCells(x, y, width, height);
                        }
                        double wall = fat.membrane(px + 0.5, py + 0.5);
                        float n = noise((int) (sx * 0.8) + 400, (int) (sy * 0.8) + 5);
                        float m = (float) Math.max(0, Math.min(1, 1 - (wall - membrane)));
                        e = (0.11f + 0.03f * n) * (1 - m) + (0.36f + 0.05f * n) * m;
                        h = 0.02f * (1 - m) + 0.05f * m;
                    }
                    int o = 3 * (rowOffset + column);
                    od[o] += h * HAEMATOXYLIN[0] + e * EOSIN[0];
                    od[o + 1] += h * HAEMATOXYLIN[1] + e * EOSIN[1];
                    od[o + 2] += h * HAEMATOXYLIN[2] + e * EOSIN[2];
                }
            }
        }
        return any;
    }

    /**
     * Collagen fibres: three streaky layers at fixed angles (0, 60 and 120 degrees), mixed by how well each matches
     * the local fibre direction. Fixed-angle layers keep the streaks continuous where the direction bends; rotating
     * the coordinates themselves would tear the texture far from the origin.
     */
    private float fibre(double sx, double sy, double cos2, double sin2) {
        double wave = 6 * noise((int) (sx * 0.25) + 97, (int) (sy * 0.25) + 41);
        // cos(2 (theta - phi)) for phi = 0, 60, 120 degrees.
        double w0 = Math.max(0, cos2);
        double w1 = Math.max(0, -0.5 * cos2 + 0.8660254 * sin2);
        double w2 = Math.max(0, -0.5 * cos2 - 0.8660254 * sin2);
        w0 *= w0;
        w1 *= w1;
        w2 *= w2;
        double total = w0 + w1 + w2 + 1e-6;
        float f0 = streak(sx, sy + wave);
        float f1 = streak(0.5 * sx + 0.8660254 * sy, -0.8660254 * sx + 0.5 * sy + wave);
        float f2 = streak(-0.5 * sx + 0.8660254 * sy, -0.8660254 * sx - 0.5 * sy + wave);
        double f = (w0 * f0 + w1 * f1 + w2 * f2) / total;
        return (float) Math.max(0, Math.min(1, (f - 0.3) * 2.5));
    }

    private float streak(double along, double across) {
        return noise((int) Math.floor(along * 0.2), (int) Math.floor(across * 1.6));
    }

    /** Adipocyte-like cells: a jittered grid of seeds; membranes are where two seeds are about equally near. */
    private final class FatCells {
        private final long gx0;
        private final long gy0;
        private final int columns;
        private final double[] sx;
        private final double[] sy;

        FatCells(int x, int y, int width, int height) {
            gx0 = (long) Math.floor(x / fatCell) - 2;
            gy0 = (long) Math.floor(y / fatCell) - 2;
            columns = (int) ((long) Math.floor((x + width) / fatCell) + 2 - gx0 + 1);
            int rows = (int) ((long) Math.floor((y + height) / fatCell) + 2 - gy0 + 1);
            sx = new double[columns * rows];
            sy = new double[columns * rows];
            long fatSeed = GroundTruth.mix(seed, 0xFA7, 5);
            for (int j = 0; j < rows; j++) {
                for (int i = 0; i < columns; i++) {
                    long h = GroundTruth.mix(fatSeed, gx0 + i, gy0 + j);
                    sx[j * columns + i] = (gx0 + i + 0.15 + 0.7 * GroundTruth.unit(h, 0)) * fatCell;
                    sy[j * columns + i] = (gy0 + j + 0.15 + 0.7 * GroundTruth.unit(h, 1)) * fatCell;
                }
            }
        }

        /** Distance from the point to the nearest cell wall (the bisector of the two nearest seeds). */
        double membrane(double px, double py) {
            int ci = (int) ((long) Math.floor(px / fatCell) - gx0);
            int cj = (int) ((long) Math.floor(py / fatCell) - gy0);
            double best = Double.MAX_VALUE;
            double second = Double.MAX_VALUE;
            int bestIndex = -1;
            int secondIndex = -1;
            for (int j = cj - 1; j <= cj + 1; j++) {
                for (int i = ci - 1; i <= ci + 1; i++) {
                    int index = j * columns + i;
                    double dx = sx[index] - px;
                    double dy = sy[index] - py;
                    double d = dx * dx + dy * dy;
                    if (d < best) {
                        second = best;
                        secondIndex = bestIndex;
                        best = d;
                        bestIndex = index;
                    } else if (d < second) {
                        second = d;
                        secondIndex = index;
                    }
                }
            }
            double dx = sx[bestIndex] - sx[secondIndex];
            double dy = sy[bestIndex] - sy[secondIndex];
            return (second - best) / (2 * Math.sqrt(dx * dx + dy * dy));
        }
    }

    /** Necrosis: small dark fragments of broken-down nuclei, drawn only on necrotic pixels (not ground-truth nuclei). */
    private void paintDebris(int x, int y, int width, int height, float[] od, byte[] classes) {
        double cell = debrisCell;
        double reach = 2 / truth.mpp() + 1;
        long firstColumn = (long) Math.floor((x - reach) / cell);
        long lastColumn = (long) Math.floor((x + width + reach) / cell);
        long firstRow = (long) Math.floor((y - reach) / cell);
        long lastRow = (long) Math.floor((y + height + reach) / cell);
        long debrisSeed = GroundTruth.mix(seed, 0xDEB, 6);
        for (long gy = firstRow; gy <= lastRow; gy++) {
            for (long gx = firstColumn; gx <= lastColumn; gx++) {
                long h = GroundTruth.mix(debrisSeed, gx, gy);
                if (GroundTruth.unit(h, 0) >= 0.55) {
                    continue;
                }
                double cx = (gx + GroundTruth.unit(h, 1)) * cell;
                double cy = (gy + GroundTruth.unit(h, 2)) * cell;
                double radius = (0.5 + 1.0 * GroundTruth.unit(h, 3)) / truth.mpp();
                float stain = (float) (0.8 + 0.5 * GroundTruth.unit(h, 4));
                blob(x, y, width, height, od, classes, cx, cy, radius, stain);
                if (GroundTruth.unit(h, 5) < 0.6) {
                    double angle = 2 * Math.PI * GroundTruth.unit(h, 6);
                    blob(
                            x,
                            y,
                            width,
                            height,
                            od,
                            classes,
                            cx + 0.9 * radius * Math.cos(angle),
                            cy + 0.9 * radius * Math.sin(angle),
                            0.7 * radius,
                            stain);
                }
            }
        }
    }

    private static void blob(
            int x,
            int y,
            int width,
            int height,
            float[] od,
            byte[] classes,
            double cx,
            double cy,
            double radius,
            float stain) {
        int minX = Math.max(x, (int) Math.floor(cx - radius));
        int maxX = Math.min(x + width - 1, (int) Math.ceil(cx + radius));
        int minY = Math.max(y, (int) Math.floor(cy - radius));
        int maxY = Math.min(y + height - 1, (int) Math.ceil(cy + radius));
        double r2 = radius * radius;
        for (int py = minY; py <= maxY; py++) {
            for (int px = minX; px <= maxX; px++) {
                int index = (py - y) * width + (px - x);
                if (classes[index] != CLASS_NECROSIS) {
                    continue;
                }
                double dx = px + 0.5 - cx;
                double dy = py + 0.5 - cy;
                if (dx * dx + dy * dy > r2) {
                    continue;
                }
                replaceStain(od, 3 * index, 0.5f, stain, 0.15f);
            }
        }
    }

    /** Keeps {@code keep} of the existing stain and adds the given haematoxylin and eosin. */
    private static void replaceStain(float[] od, int o, float keep, float h, float e) {
        float rest = (1 - keep) * GLASS_OD;
        od[o] = od[o] * keep + rest + h * HAEMATOXYLIN[0] + e * EOSIN[0];
        od[o + 1] = od[o + 1] * keep + rest + h * HAEMATOXYLIN[1] + e * EOSIN[1];
        od[o + 2] = od[o + 2] * keep + rest + h * HAEMATOXYLIN[2] + e * EOSIN[2];
    }

    private void paintNuclei(int x, int y, int width, int height, float[] od, byte[] classes) {
        double reach = truth.maxNucleusExtent();
        truth.forEachPlaced(
                x - reach,
                y - reach,
                x + width + reach,
                y + height + reach,
                nucleus -> paintNucleus(x, y, width, height, od, classes, nucleus));
    }

    private void paintNucleus(
            int x, int y, int width, int height, float[] od, byte[] classes, GroundTruth.Placed nucleus) {
        double extent = nucleus.extent() + 1;
        int minX = Math.max(x, (int) Math.floor(nucleus.x() - extent));
        int maxX = Math.min(x + width - 1, (int) Math.ceil(nucleus.x() + extent));
        int minY = Math.max(y, (int) Math.floor(nucleus.y() - extent));
        int maxY = Math.min(y + height - 1, (int) Math.ceil(nucleus.y() + extent));
        if (minX > maxX || minY > maxY) {
            return;
        }
        double cos = Math.cos(nucleus.angle());
        double sin = Math.sin(nucleus.angle());
        double a = nucleus.semiMajor();
        double b = nucleus.semiMinor();
        long bits = nucleus.shapeBits();
        double darkness = GroundTruth.unit(bits, 0);
        double p1 = 2 * Math.PI * GroundTruth.unit(bits, 1);
        double p2 = 2 * Math.PI * GroundTruth.unit(bits, 2);
        double p3 = 2 * Math.PI * GroundTruth.unit(bits, 3);
        double nucleolusAngle = 2 * Math.PI * GroundTruth.unit(bits, 4);
        double nucleolusX = 0.3 * Math.cos(nucleolusAngle);
        double nucleolusY = 0.3 * Math.sin(nucleolusAngle);
        int chromatinOffset = (int) (GroundTruth.unit(bits, 5) * NOISE_SIZE);
        CellClass kind = nucleus.nucleusClass();
        double k = textureScale;
        for (int py = minY; py <= maxY; py++) {
            for (int px = minX; px <= maxX; px++) {
                int index = (py - y) * width + (px - x);
                if (classes[index] == CLASS_BACKGROUND) {
                    continue;
                }
                double u = px + 0.5 - nucleus.x();
                double v = py + 0.5 - nucleus.y();
                double along = (u * cos + v * sin) / a;
                double across = (-u * sin + v * cos) / b;
                double r2 = along * along + across * across;
                float grain = noise((int) (px * k * 3) + chromatinOffset, (int) (py * k * 3) + chromatinOffset);
                float h;
                float e = 0.05f;
                switch (kind) {
                    case LYMPHOCYTE -> {
                        if (r2 > 1) {
                            continue;
                        }
                        h = (float) (1.05 + 0.15 * darkness + 0.10 * grain);
                    }
                    case TUMOR_CELL -> {
                        double rho = Math.sqrt(r2);
                        if (rho > 1.25) {
                            continue;
                        }
                        double theta = Math.atan2(across, along);
                        double outline = 1
                                + 0.10 * Math.cos(2 * theta + p1)
                                + 0.07 * Math.cos(3 * theta + p2)
                                + 0.04 * Math.cos(5 * theta + p3);
                        if (rho > outline) {
                            continue;
                        }
                        double t = rho / outline;
                        double nx = along - nucleolusX;
                        double ny = across - nucleolusY;
                        if (t > 0.8) {
                            // Nuclear membrane: a dark rim around the pale, open (vesicular) chromatin.
                            h = (float) (0.72 + 0.2 * darkness);
                        } else if (nx * nx + ny * ny < 0.03) {
                            h = 0.5f;
                            e = 0.55f;
                        } else {
                            float clump = Math.max(0, Math.min(1, (grain - 0.45f) * 3));
                            h = (float) (0.2 + 0.1 * darkness) + 0.5f * clump;
                        }
                    }
                    case STROMAL_CELL -> {
                        if (Math.abs(along) > 1) {
                            continue;
                        }
                        double taper = Math.max(0.25, 1 - 0.6 * along * along);
                        double narrowed = across / taper;
                        if (along * along + narrowed * narrowed > 1) {
                            continue;
                        }
                        h = (float) (0.9 + 0.1 * darkness + 0.12 * grain);
                    }
                    default -> {
                        if (r2 > 1) {
                            continue;
                        }
                        h = (float) (0.55 + 0.1 * darkness + 0.15 * grain);
                    }
                }
                replaceStain(od, 3 * index, 0.3f, h, e);
            }
        }
    }

    /** Folded tissue: two layers, so about twice the density, and a little extra where the crease traps stain. */
    private void paintFolds(int x, int y, int width, int height, float[] od, byte[] classes) {
        for (Fold fold : truth.folds()) {
            double[] b = fold.bounds();
            if (!intersects(b, x, y, width, height)) {
                continue;
            }
            int[] covered = covered(b, x, y, width, height);
            for (int py = covered[2]; py <= covered[3]; py++) {
                for (int px = covered[0]; px <= covered[1]; px++) {
                    int index = (py - y) * width + (px - x);
                    if (classes[index] == CLASS_BACKGROUND) {
                        continue;
                    }
                    double d =
                            PenStroke.segmentDistance(px + 0.5, py + 0.5, fold.x0(), fold.y0(), fold.x1(), fold.y1());
                    if (d > fold.halfWidth()) {
                        continue;
                    }
                    float crease = d > 0.75 * fold.halfWidth() ? 0.12f : 0;
                    int o = 3 * index;
                    for (int c = 0; c < 3; c++) {
                        od[o + c] = od[o + c] * 2.1f + 0.18f + crease;
                    }
                }
            }
        }
    }

    /**
     * Renders with a margin, low-passes the whole block (a box filter applied twice, close to a Gaussian) and uses
     * the blurred pixels inside the blur ellipses, fading in over their outer tenth.
     */
    private boolean renderBlurred(int x, int y, int width, int height, byte[] out, List<BlurRegion> blurs) {
        int margin = 0;
        int radius = 1;
        for (BlurRegion blur : blurs) {
            margin = Math.max(margin, blurMargin(blur));
            radius = Math.max(radius, blurRadius(blur));
        }
        int bigWidth = width + 2 * margin;
        int bigHeight = height + 2 * margin;
        byte[] sharp = new byte[3 * bigWidth * bigHeight];
        renderSharp(x - margin, y - margin, bigWidth, bigHeight, sharp);
        byte[] blurred = boxBlur(boxBlur(sharp, bigWidth, bigHeight, radius), bigWidth, bigHeight, radius);
        boolean tissue = false;
        for (int row = 0; row < height; row++) {
            int py = y + row;
            for (int column = 0; column < width; column++) {
                int px = x + column;
                tissue |= truth.inTissue(px + 0.5, py + 0.5);
                double weight = 0;
                for (BlurRegion blur : blurs) {
                    double r = blur.area().normalizedRadius(px + 0.5, py + 0.5);
                    weight = Math.max(weight, Math.min(1, (1 - r) / 0.1));
                }
                int from = 3 * ((row + margin) * bigWidth + column + margin);
                int to = 3 * (row * width + column);
                for (int c = 0; c < 3; c++) {
                    int s = sharp[from + c] & 0xFF;
                    int bl = blurred[from + c] & 0xFF;
                    out[to + c] = (byte) (weight <= 0 ? s : (int) Math.round(s + (bl - s) * weight));
                }
            }
        }
        return tissue;
    }

    private static byte[] boxBlur(byte[] in, int width, int height, int radius) {
        int[] horizontal = new int[in.length];
        int span = 2 * radius + 1;
        for (int row = 0; row < height; row++) {
            for (int c = 0; c < 3; c++) {
                int sum = 0;
                for (int i = -radius; i <= radius; i++) {
                    sum += in[3 * (row * width + clampIndex(i, width)) + c] & 0xFF;
                }
                for (int column = 0; column < width; column++) {
                    horizontal[3 * (row * width + column) + c] = sum;
                    int leaving = clampIndex(column - radius, width);
                    int entering = clampIndex(column + radius + 1, width);
                    sum += (in[3 * (row * width + entering) + c] & 0xFF) - (in[3 * (row * width + leaving) + c] & 0xFF);
                }
            }
        }
        byte[] out = new byte[in.length];
        int divisor = span * span;
        for (int column = 0; column < width; column++) {
            for (int c = 0; c < 3; c++) {
                int sum = 0;
                for (int i = -radius; i <= radius; i++) {
                    sum += horizontal[3 * (clampIndex(i, height) * width + column) + c];
                }
                for (int row = 0; row < height; row++) {
                    out[3 * (row * width + column) + c] = (byte) ((sum + divisor / 2) / divisor);
                    int leaving = clampIndex(row - radius, height);
                    int entering = clampIndex(row + radius + 1, height);
                    sum += horizontal[3 * (entering * width + column) + c]
                            - horizontal[3 * (leaving * width + column) + c];
                }
            }
        }
        return out;
    }

    private static int clampIndex(int i, int size) {
        return Math.max(0, Math.min(size - 1, i));
    }

    /** Marker ink on top of everything (it sits on the coverslip): transmittance multiplies, blotchy density. */
    boolean applyInk(int x, int y, int width, int height, byte[] out) {
        boolean any = false;
        for (PenStroke stroke : truth.penStrokes()) {
            double[] b = stroke.bounds();
            if (!intersects(b, x, y, width, height)) {
                continue;
            }
            double hw = stroke.halfWidth();
            double[] points = stroke.points();
            List<double[]> segments = new ArrayList<>();
            for (int i = 0; i + 3 < points.length; i += 2) {
                double[] s = {points[i], points[i + 1], points[i + 2], points[i + 3]};
                double[] sb = {
                    Math.min(s[0], s[2]) - hw,
                    Math.min(s[1], s[3]) - hw,
                    Math.max(s[0], s[2]) + hw,
                    Math.max(s[1], s[3]) + hw
                };
                if (intersects(sb, x, y, width, height)) {
                    segments.add(s);
                }
            }
            if (segments.isEmpty()) {
                continue;
            }
            int[] covered = covered(b, x, y, width, height);
            // Segment order and the min over them are exactly what PenStroke.distance computes for these segments,
            // and segments that miss the tile cannot be nearer than hw to a pixel in it.
            for (int py = covered[2]; py <= covered[3]; py++) {
                for (int px = covered[0]; px <= covered[1]; px++) {
                    double d = Double.MAX_VALUE;
                    for (double[] s : segments) {
                        d = Math.min(d, PenStroke.segmentDistance(px + 0.5, py + 0.5, s[0], s[1], s[2], s[3]));
                    }
                    if (d > hw) {
                        continue;
                    }
                    any = true;
                    double k = textureScale;
                    float blotch = noise((int) (px * k * 0.7) + 133, (int) (py * k * 0.7) + 71);
                    double density = (0.75 + 0.4 * blotch) * (d > 0.85 * hw ? 0.7 : 1);
                    int o = 3 * ((py - y) * width + (px - x));
                    for (int c = 0; c < 3; c++) {
                        int index = (int) (stroke.colour().opticalDensity(c) * density * OD_STEPS + 0.5);
                        int t = TRANSMITTED[Math.min(index, TRANSMITTED.length - 1)] & 0xFF;
                        out[o + c] = (byte) (((out[o + c] & 0xFF) * t + 127) / 255);
                    }
                }
            }
        }
        return any;
    }

    /** The pixels of the tile at (x, y) that bounds {@code b} covers: {minX, maxX, minY, maxY}, inclusive. */
    private static int[] covered(double[] b, int x, int y, int width, int height) {
        return new int[] {
            Math.max(x, (int) Math.floor(b[0])),
            Math.min(x + width - 1, (int) Math.ceil(b[2])),
            Math.max(y, (int) Math.floor(b[1])),
            Math.min(y + height - 1, (int) Math.ceil(b[3]))
        };
    }

    private static boolean intersects(double[] b, int x, int y, int width, int height) {
        return b[2] >= x && b[0] <= x + width && b[3] >= y && b[1] <= y + height;
    }

    private List<TissueRegion> regionsNear(int x, int y, int width, int height, int margin) {
        List<TissueRegion> near = new ArrayList<>(regions.size());
        for (TissueRegion region : regions) {
            double[] b = region.bounds();
            if (b[2] >= x - margin && b[0] <= x + width + margin && b[3] >= y - margin && b[1] <= y + height + margin) {
                near.add(region);
            }
        }
        return near;
    }

    private float noise(int ix, int iy) {
        return noise[((iy & NOISE_MASK) << NOISE_SHIFT) | (ix & NOISE_MASK)];
    }

    private static byte[] transmittedTable() {
        byte[] table = new byte[OD_MAX * OD_STEPS + 1];
        for (int i = 0; i < table.length; i++) {
            table[i] = (byte) Math.round(255 * Math.pow(10, -(double) i / OD_STEPS));
        }
        return table;
    }

    /** Periodic multi-octave value noise in [0, 1], so lookups can wrap without seams. */
    private static float[] valueNoise(SplittableRandom random) {
        float[] result = new float[NOISE_SIZE * NOISE_SIZE];
        float amplitude = 1;
        float total = 0;
        for (int lattice = 16; lattice <= 128; lattice *= 2) {
            float[] grid = new float[lattice * lattice];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = (float) random.nextDouble();
            }
            int cell = NOISE_SIZE / lattice;
            for (int y = 0; y < NOISE_SIZE; y++) {
                int gy = y / cell;
                float fy = smooth((y % cell) / (float) cell);
                for (int x = 0; x < NOISE_SIZE; x++) {
                    int gx = x / cell;
                    float fx = smooth((x % cell) / (float) cell);
                    float a = grid[gy * lattice + gx];
                    float b = grid[gy * lattice + (gx + 1) % lattice];
                    float c = grid[((gy + 1) % lattice) * lattice + gx];
                    float d = grid[((gy + 1) % lattice) * lattice + (gx + 1) % lattice];
                    float top = a + (b - a) * fx;
                    float bottom = c + (d - c) * fx;
                    result[y * NOISE_SIZE + x] += amplitude * (top + (bottom - top) * fy);
                }
            }
            total += amplitude;
            amplitude *= 0.5f;
        }
        for (int i = 0; i < result.length; i++) {
            result[i] /= total;
        }
        return result;
    }

    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }
}
