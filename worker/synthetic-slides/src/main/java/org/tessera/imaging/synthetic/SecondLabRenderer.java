package org.tessera.imaging.synthetic;

import java.util.ArrayList;
import java.util.List;
import org.tessera.models.classes.TissueClass;

/**
 * A second, independent way to draw the same ground truth, as another laboratory and scanner would show it: other
 * stain vectors (Macenko's published H&E reference, bluer haematoxylin and a more purple eosin) and a yellowish glass,
 * other tissue textures (tumour as sheets of cells with visible borders, stroma as wavy sinusoidal fibres, grainy
 * necrosis with nuclear dust, larger fat cells with thin walls), nuclei of other shapes and sizes (smaller, lobulated,
 * evenly dark tumour nuclei without a nucleolus; larger soft-edged lymphocytes; longer, thinner, lens-shaped stromal
 * nuclei), and the optics of a softer scanner (a 3 × 3 blur over everything). Models fitted on {@link HeRenderer}'s
 * slides are measured on these to see how far they carry.
 *
 * <p>Tissue regions, classes and nucleus centres and classes are the {@link GroundTruth}'s, so the same accuracy
 * measures apply; the nuclei's drawn sizes differ from the sizes the ground truth records. Artefacts (pen, blur
 * patches, folds) are not drawn by this family. Pure function of seed and position, like {@link HeRenderer}.
 */
final class SecondLabRenderer implements SlideRenderer {

    /** Names this family in slide descriptions and benchmark tables. */
    static final String NAME = "tessera-synthetic-he-second-lab/1";

    static final float[] HAEMATOXYLIN = {0.5626f, 0.7201f, 0.4062f};
    static final float[] EOSIN = {0.2159f, 0.8012f, 0.5581f};
    private static final float[] GLASS = {0.030f, 0.040f, 0.075f};

    /** Drawn nucleus size relative to the ground truth's, per cell class (lymphocyte, tumour, stromal, other). */
    private static final double[] MAJOR_SCALE = {1.12, 0.82, 1.25, 1.0};

    private static final double[] MINOR_SCALE = {1.12, 0.82, 0.72, 0.9};

    private static final int CLASS_BACKGROUND = TissueClass.BACKGROUND.ordinal();
    private static final int CLASS_TUMOR = TissueClass.TUMOR.ordinal();
    private static final int CLASS_STROMA = TissueClass.STROMA.ordinal();
    private static final int CLASS_NECROSIS = TissueClass.NECROSIS.ordinal();

    private final GroundTruth truth;
    private final long seed;
    private final double mpp;

    SecondLabRenderer(GroundTruth truth) {
        this.truth = truth;
        this.seed = GroundTruth.mix(truth.seed(), 0x5EC0DL, 11);
        this.mpp = truth.mpp();
    }

    @Override
    public boolean render(int x, int y, int width, int height, byte[] out) {
        // The scanner's blur needs one pixel around the region.
        int bigWidth = width + 2;
        int bigHeight = height + 2;
        float[] od = new float[3 * bigWidth * bigHeight];
        byte[] classes = new byte[bigWidth * bigHeight];
        boolean tissue = paint(x - 1, y - 1, bigWidth, bigHeight, od, classes);
        for (int i = 0; i < od.length; i++) {
            od[i] = (float) (255 * Math.pow(10, -od[i]));
        }
        for (int row = 0; row < height; row++) {
            for (int column = 0; column < width; column++) {
                int to = 3 * (row * width + column);
                for (int c = 0; c < 3; c++) {
                    float sum = 0;
                    for (int dy = 0; dy <= 2; dy++) {
                        int from = 3 * ((row + dy) * bigWidth + column) + c;
                        sum += od[from] + od[from + 3] + od[from + 6];
                    }
                    out[to + c] = (byte) Math.round(sum / 9);
                }
            }
        }
        return tissue;
    }

    private boolean paint(int x, int y, int width, int height, float[] od, byte[] classes) {
        for (int row = 0; row < height; row++) {
            for (int column = 0; column < width; column++) {
                float n = 0.008f * (unit(x + column, y + row, 1) - 0.5f);
                int o = 3 * (row * width + column);
                od[o] = GLASS[0] + n;
                od[o + 1] = GLASS[1] + n;
                od[o + 2] = GLASS[2] + n;
            }
        }
        boolean any = false;
        List<TissueRegion> near = new ArrayList<>();
        for (TissueRegion region : truth.tissueRegions()) {
            double[] b = region.bounds();
            if (b[2] >= x && b[0] <= x + width && b[3] >= y && b[1] <= y + height) {
                near.add(region);
            }
        }
        for (int row = 0; row < height; row++) {
            int py = y + row;
            for (TissueRegion region : near) {
                double[] span = region.span(py + 0.5);
                if (span == null) {
                    continue;
                }
                int from = Math.max(x, (int) Math.ceil(span[0] - 0.5));
                int to = Math.min(x + width - 1, (int) Math.floor(span[1] - 0.5));
                for (int px = from; px <= to; px++) {
                    int index = row * width + (px - x);
                    if (classes[index] != CLASS_BACKGROUND) {
                        continue;
                    }
                    int tissueClass = truth.tissueClassAt(px, py).ordinal();
                    classes[index] = (byte) tissueClass;
                    any = true;
                    float[] he = stain(tissueClass, px, py);
                    add(od, 3 * index, he[0], he[1]);
                }
            }
        }
        if (any) {
            paintNuclei(x, y, width, height, od, classes);
        }
        return any;
    }

    /** Haematoxylin and eosin of the tissue itself (no nuclei) at a pixel of the given class. */
    private float[] stain(int tissueClass, int px, int py) {
        double ux = (px + 0.5) * mpp;
        double uy = (py + 0.5) * mpp;
        if (tissueClass == CLASS_TUMOR) {
            // Sheets of polygonal cells about 14 µm across: eosinophilic cytoplasm, darker borders.
            double border = cellBorder(ux, uy, 14, 3);
            float mottle = smoothNoise(ux / 20, uy / 20, 21);
            float wall = (float) Math.max(0, 1 - border / 0.9);
            return new float[] {0.16f + 0.05f * mottle + 0.08f * wall, 0.26f + 0.10f * mottle + 0.10f * wall};
        }
        if (tissueClass == CLASS_STROMA) {
            double theta = GroundTruth.orientation(truth.fieldAt(GroundTruth.FIELD_ORIENTATION, px + 0.5, py + 0.5));
            double across = -ux * Math.sin(theta) + uy * Math.cos(theta);
            double wobble = 4 * smoothNoise(ux / 25, uy / 25, 33);
            double fibre = 0.5 + 0.5 * Math.sin(2 * Math.PI * (across + wobble) / 4.5);
            float f = (float) (fibre * fibre * fibre);
            return new float[] {0.06f + 0.02f * smoothNoise(ux / 8, uy / 8, 34), 0.14f + 0.30f * f};
        }
        if (tissueClass == CLASS_NECROSIS) {
            float grain = unit(px >> 1, py >> 1, 41);
            float cloud = smoothNoise(ux / 15, uy / 15, 42);
            float dust = unit(px, py, 43) < 0.025f ? 0.55f : 0;
            return new float[] {0.08f + 0.05f * cloud + dust, 0.20f + 0.14f * grain};
        }
        // Fat: large empty cells with thin eosinophilic walls.
        double border = cellBorder(ux, uy, 75, 51);
        float wall = (float) Math.max(0, 1 - border / 1.0);
        return new float[] {0.015f + 0.04f * wall, 0.03f + 0.34f * wall};
    }

    private void paintNuclei(int x, int y, int width, int height, float[] od, byte[] classes) {
        double reach = truth.maxNucleusExtent() * 1.3 + 1;
        truth.forEachPlaced(x - reach, y - reach, x + width + reach, y + height + reach, nucleus -> {
            int kind = nucleus.nucleusClass().ordinal();
            double a = nucleus.semiMajor() * MAJOR_SCALE[kind];
            double b = nucleus.semiMinor() * MINOR_SCALE[kind];
            double extent = a * 1.25 + 1;
            int minX = Math.max(x, (int) Math.floor(nucleus.x() - extent));
            int maxX = Math.min(x + width - 1, (int) Math.ceil(nucleus.x() + extent));
            int minY = Math.max(y, (int) Math.floor(nucleus.y() - extent));
            int maxY = Math.min(y + height - 1, (int) Math.ceil(nucleus.y() + extent));
            double cos = Math.cos(nucleus.angle());
            double sin = Math.sin(nucleus.angle());
            long bits = nucleus.shapeBits();
            double darkness = GroundTruth.unit(bits, 7);
            double p1 = 2 * Math.PI * GroundTruth.unit(bits, 8);
            double p2 = 2 * Math.PI * GroundTruth.unit(bits, 9);
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
                    float speckle = unit(px, py, 61);
                    float h;
                    switch (nucleus.nucleusClass()) {
                        case LYMPHOCYTE -> {
                            if (r2 > 1) {
                                continue;
                            }
                            // Soft edge: density falls off over the outer third.
                            h = (float) ((0.85 + 0.15 * darkness) * Math.min(1, 3 * (1 - r2)) + 0.1 * speckle);
                        }
                        case TUMOR_CELL -> {
                            double theta = Math.atan2(across, along);
                            double outline = 1 + 0.16 * Math.cos(3 * theta + p1) + 0.09 * Math.cos(4 * theta + p2);
                            if (Math.sqrt(r2) > outline) {
                                continue;
                            }
                            h = (float) (0.62 + 0.15 * darkness + 0.25 * speckle);
                        }
                        case STROMAL_CELL -> {
                            if (Math.abs(along) > 1 || Math.abs(across) > 1 - along * along) {
                                continue;
                            }
                            h = (float) (0.75 + 0.15 * darkness + 0.1 * speckle);
                        }
                        default -> {
                            if (r2 > 1) {
                                continue;
                            }
                            h = (float) (0.42 + 0.1 * darkness + 0.2 * r2 + 0.1 * speckle);
                        }
                    }
                    int o = 3 * index;
                    for (int c = 0; c < 3; c++) {
                        od[o + c] = 0.35f * od[o + c] + 0.65f * GLASS[c];
                    }
                    add(od, o, h, 0.08f);
                }
            }
        });
    }

    private static void add(float[] od, int o, float h, float e) {
        od[o] += h * HAEMATOXYLIN[0] + e * EOSIN[0];
        od[o + 1] += h * HAEMATOXYLIN[1] + e * EOSIN[1];
        od[o + 2] += h * HAEMATOXYLIN[2] + e * EOSIN[2];
    }

    /** Distance (µm) to the nearest wall of a jittered-grid cell pattern of the given cell size. */
    private double cellBorder(double ux, double uy, double cell, int salt) {
        long ci = (long) Math.floor(ux / cell);
        long cj = (long) Math.floor(uy / cell);
        double best = Double.MAX_VALUE;
        double second = Double.MAX_VALUE;
        double bx = 0;
        double by = 0;
        double sx2 = 0;
        double sy2 = 0;
        for (long j = cj - 1; j <= cj + 1; j++) {
            for (long i = ci - 1; i <= ci + 1; i++) {
                long h = GroundTruth.mix(seed + salt, i, j);
                double sx = (i + 0.2 + 0.6 * GroundTruth.unit(h, 0)) * cell;
                double sy = (j + 0.2 + 0.6 * GroundTruth.unit(h, 1)) * cell;
                double d = (sx - ux) * (sx - ux) + (sy - uy) * (sy - uy);
                if (d < best) {
                    second = best;
                    sx2 = bx;
                    sy2 = by;
                    best = d;
                    bx = sx;
                    by = sy;
                } else if (d < second) {
                    second = d;
                    sx2 = sx;
                    sy2 = sy;
                }
            }
        }
        return (second - best) / (2 * Math.hypot(bx - sx2, by - sy2));
    }

    /** Value noise in [0, 1] on a unit lattice, smoothly interpolated. */
    private float smoothNoise(double u, double v, int salt) {
        long i = (long) Math.floor(u);
        long j = (long) Math.floor(v);
        double fu = u - i;
        double fv = v - j;
        fu = fu * fu * (3 - 2 * fu);
        fv = fv * fv * (3 - 2 * fv);
        double a = lattice(i, j, salt);
        double b = lattice(i + 1, j, salt);
        double c = lattice(i, j + 1, salt);
        double d = lattice(i + 1, j + 1, salt);
        return (float) GroundTruth.bilerp(a, b, c, d, fu, fv);
    }

    private double lattice(long i, long j, int salt) {
        return GroundTruth.unit(GroundTruth.mix(seed + salt, i, j), 0);
    }

    /** A uniform value in [0, 1) per pixel. */
    private float unit(long px, long py, int salt) {
        return (float) GroundTruth.unit(GroundTruth.mix(seed + salt, px, py), 0);
    }
}
