package org.tessera.models.stain;

/**
 * Maps a slide's colours onto the reference stains, pixel by pixel: optical density less the slide's glass →
 * haematoxylin, eosin and residual (what is neither, such as marker ink) under the slide's own stain vectors → the
 * stains scaled so the slide's 99th percentile becomes the reference's → optical density under the reference
 * vectors, the residual along the reference's own residual direction, plus the reference's glass → RGB. The steps
 * fold into one 3 × 3 matrix and an offset on optical density. Keeping the residual (Macenko's method drops it)
 * keeps ink and folds visible to the QC model. Immutable and thread-safe.
 */
public final class StainNormalizer {

    private static final int OD_STEPS = 4096;
    private static final int OD_MAX = 6;
    private static final float[] OD = new float[256];
    /** 256 · 10^-od − 1 for od in steps of 1/{@value #OD_STEPS}, clamped to 0..255. */
    private static final float[] INTENSITY = new float[OD_MAX * OD_STEPS + 1];

    static {
        for (int i = 0; i < 256; i++) {
            OD[i] = (float) -Math.log10((i + 1) / 256.0);
        }
        for (int i = 0; i < INTENSITY.length; i++) {
            INTENSITY[i] = (float) Math.max(0, 256 * Math.pow(10, -(double) i / OD_STEPS) - 1);
        }
    }

    private final StainVectors source;
    private final StainVectors reference;
    /** od_out[j] = Σ_i od_in[i] · matrix[i][j]. */
    private final float[][] matrix = new float[3][3];
    /** The reference's glass plus the slide's glass mapped through the matrix and taken off. */
    private final float[] offset = new float[3];

    public StainNormalizer(StainVectors source, StainVectors reference) {
        this.source = source;
        this.reference = reference;
        double[][] from = basis(source);
        double[][] to = basis(reference);
        double[][] unmix = Linear.inverse(from);
        double[] scale = {
            reference.maxHaematoxylin() / source.maxHaematoxylin(), reference.maxEosin() / source.maxEosin(), 1
        };
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += unmix[i][k] * scale[k] * to[k][j];
                }
                matrix[i][j] = (float) sum;
            }
        }
        double[] glass = source.background();
        double[] target = reference.background();
        for (int j = 0; j < 3; j++) {
            offset[j] =
                    (float) (target[j] - glass[0] * matrix[0][j] - glass[1] * matrix[1][j] - glass[2] * matrix[2][j]);
        }
    }

    /** Rows: haematoxylin, eosin and the unit direction orthogonal to both (what is neither stain). */
    private static double[][] basis(StainVectors stains) {
        double[] h = stains.haematoxylin();
        double[] e = stains.eosin();
        double[] r = {h[1] * e[2] - h[2] * e[1], h[2] * e[0] - h[0] * e[2], h[0] * e[1] - h[1] * e[0]};
        return new double[][] {h, e, Linear.scale(r, 1 / Math.sqrt(Linear.dot(r, r)))};
    }

    public StainVectors source() {
        return source;
    }

    public StainVectors reference() {
        return reference;
    }

    /**
     * Normalizes images in place: {@code rgb} holds one or more planar RGB images ({@code [n, 3, plane]}), values
     * 0..255 (fractions are rounded down).
     */
    public void apply(float[] rgb, int plane) {
        if (plane < 1 || rgb.length % (3 * plane) != 0) {
            throw new IllegalArgumentException(
                    "expected whole RGB planes of " + plane + " pixels, got " + rgb.length + " values");
        }
        float m00 = matrix[0][0];
        float m01 = matrix[0][1];
        float m02 = matrix[0][2];
        float m10 = matrix[1][0];
        float m11 = matrix[1][1];
        float m12 = matrix[1][2];
        float m20 = matrix[2][0];
        float m21 = matrix[2][1];
        float m22 = matrix[2][2];
        float o0 = offset[0];
        float o1 = offset[1];
        float o2 = offset[2];
        for (int base = 0; base < rgb.length; base += 3 * plane) {
            int g0 = base + plane;
            int b0 = base + 2 * plane;
            for (int i = 0; i < plane; i++) {
                float r = OD[clamp(rgb[base + i])];
                float g = OD[clamp(rgb[g0 + i])];
                float b = OD[clamp(rgb[b0 + i])];
                rgb[base + i] = intensity(o0 + r * m00 + g * m10 + b * m20);
                rgb[g0 + i] = intensity(o1 + r * m01 + g * m11 + b * m21);
                rgb[b0 + i] = intensity(o2 + r * m02 + g * m12 + b * m22);
            }
        }
    }

    private static int clamp(float v) {
        return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
    }

    private static float intensity(float od) {
        if (od <= 0) {
            return 255;
        }
        int index = (int) (od * OD_STEPS + 0.5f);
        return INTENSITY[Math.min(index, INTENSITY.length - 1)];
    }
}
