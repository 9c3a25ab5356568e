package org.tessera.models.stain;

import java.util.Arrays;
import java.util.Locale;

/**
 * Estimates a slide's stain vectors from its tissue pixels by Macenko's method (Macenko et al., ISBI 2009), with the
 * glass subtracted first: the glass's optical density is the per-channel median of the pixels that are nearly white
 * (a scanner's white balance or a tinted mounting medium would otherwise tilt both stains towards it); stained pixels
 * are those whose remaining optical density sums to more than {@link #MIN_OD}; the plane of their two main directions;
 * the extreme directions in that plane (the 1st and 99th percentiles of the angle) are the two stains, the redder one
 * haematoxylin. Pixels are fed one by one ({@link #add}); at most {@link #MAX_SAMPLES} stained pixels are kept, evenly
 * spread, so memory is bounded whatever the slide's size. Not thread-safe.
 */
public final class MacenkoStainEstimator {

    /** A pixel counts as stained when its optical density above the glass, summed over R, G and B, exceeds this. */
    public static final double MIN_OD = 0.3;

    /**
     * Pixels denser than this (summed over R, G and B, above the glass) are left out: at the low resolution stains are
     * estimated at, only marker ink and folded tissue get this dark, and their neutral grey would tilt the stains.
     */
    public static final double MAX_OD = 1.5;

    /** A pixel counts as glass when its optical density, summed over R, G and B, is below this. */
    static final double MAX_GLASS_OD = 0.25;

    /** Fewer stained pixels than this and the estimate is refused. */
    public static final int MIN_TISSUE_PIXELS = 500;

    /** Percentile of the angle distribution taken as each stain's direction (Macenko's alpha). */
    static final double ALPHA = 1;

    /** Haematoxylin and eosin closer than this (degrees) cannot be separated. */
    public static final double MIN_SEPARATION_DEGREES = 5;

    /**
     * Pixels whose colour lies further than this (degrees) out of the reference stains' plane are left out: green and
     * black marker ink, for instance, whose few dense pixels would otherwise become the extremes the method takes.
     */
    public static final double MAX_OUT_OF_PLANE_DEGREES = 20;

    /**
     * Within the plane, pixels more than this (degrees) beyond the reference haematoxylin or eosin are left out too:
     * blue ink lies in the plane, past haematoxylin.
     */
    public static final double MAX_BEYOND_STAIN_DEGREES = 10;

    /** Each estimated stain must lie within this angle (degrees) of the reference's, or the slide is no H&E. */
    public static final double MAX_DEVIATION_DEGREES = 35;

    static final int MAX_SAMPLES = 1 << 20;

    private static final double[] OD = new double[256];

    static {
        for (int i = 0; i < 256; i++) {
            OD[i] = -Math.log10((i + 1) / 256.0);
        }
    }

    private final long[][] glassHistogram = new long[3][256];
    private long glass;
    private float[] samples = new float[3 * 4096];
    private int count;
    private long seen;
    private long stained;
    private int keepEvery = 1;

    /** Adds one pixel, packed {@code 0xAARRGGBB} (alpha ignored). */
    public void add(int argb) {
        seen++;
        int ri = (argb >> 16) & 0xFF;
        int gi = (argb >> 8) & 0xFF;
        int bi = argb & 0xFF;
        double r = OD[ri];
        double g = OD[gi];
        double b = OD[bi];
        if (r + g + b < MAX_GLASS_OD) {
            glass++;
            glassHistogram[0][ri]++;
            glassHistogram[1][gi]++;
            glassHistogram[2][bi]++;
        }
        // Stained against clear glass (OD 0); the glass's own density is subtracted when estimating.
        if (r + g + b <= MIN_OD) {
            return;
        }
        stained++;
        if (stained % keepEvery != 0) {
            return;
        }
        if (count == MAX_SAMPLES) {
            // Keep every second sample and from now on every second pixel more: an even spread over the slide.
            for (int i = 0; i < count / 2; i++) {
                System.arraycopy(samples, 3 * (2 * i), samples, 3 * i, 3);
            }
            count /= 2;
            keepEvery *= 2;
            if (stained % keepEvery != 0) {
                return;
            }
        }
        if (3 * count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[3 * count] = (float) r;
        samples[3 * count + 1] = (float) g;
        samples[3 * count + 2] = (float) b;
        count++;
    }

    /** Pixels seen so far, stained or not. */
    public long pixelsSeen() {
        return seen;
    }

    /** Stained pixels seen so far. */
    public long stainedPixels() {
        return stained;
    }

    /**
     * The stains of the pixels added, checked against {@code reference}.
     *
     * @throws StainEstimationException too little tissue, stains that cannot be separated, or stains that are not
     *     H&E-like; the message says which, with the figures
     */
    public StainVectors estimate(StainVectors reference) throws StainEstimationException {
        if (stained < MIN_TISSUE_PIXELS) {
            throw new StainEstimationException(String.format(
                    Locale.ROOT,
                    "too little stained tissue to estimate the stains (%d of %d pixels at low resolution, %d needed)",
                    stained,
                    seen,
                    MIN_TISSUE_PIXELS));
        }
        double[] background = background();
        double[] rh = reference.haematoxylin();
        double[] re = reference.eosin();
        double[] normal = new double[] {
            rh[1] * re[2] - rh[2] * re[1], rh[2] * re[0] - rh[0] * re[2], rh[0] * re[1] - rh[1] * re[0]
        };
        normal = Linear.scale(normal, 1 / Math.sqrt(Linear.dot(normal, normal)));
        double maxOutOfPlane = Math.sin(Math.toRadians(MAX_OUT_OF_PLANE_DEGREES));
        double[] u2 = Linear.add(re, Linear.scale(rh, -Linear.dot(re, rh)));
        u2 = Linear.scale(u2, 1 / Math.sqrt(Linear.dot(u2, u2)));
        double lowest = -Math.toRadians(MAX_BEYOND_STAIN_DEGREES);
        double highest = Math.atan2(Linear.dot(re, u2), Linear.dot(re, rh)) + Math.toRadians(MAX_BEYOND_STAIN_DEGREES);
        float[] samples = new float[3 * count];
        int kept = 0;
        for (int i = 0; i < count; i++) {
            double r = this.samples[3 * i] - background[0];
            double g = this.samples[3 * i + 1] - background[1];
            double b = this.samples[3 * i + 2] - background[2];
            double length = Math.sqrt(r * r + g * g + b * b);
            double inPlane = Math.atan2(r * u2[0] + g * u2[1] + b * u2[2], r * rh[0] + g * rh[1] + b * rh[2]);
            if (r + g + b > MIN_OD
                    && r + g + b < MAX_OD
                    && Math.abs(r * normal[0] + g * normal[1] + b * normal[2]) <= maxOutOfPlane * length
                    && inPlane >= lowest
                    && inPlane <= highest) {
                samples[3 * kept] = (float) Math.max(0, r);
                samples[3 * kept + 1] = (float) Math.max(0, g);
                samples[3 * kept + 2] = (float) Math.max(0, b);
                kept++;
            }
        }
        if (kept < MIN_TISSUE_PIXELS) {
            throw new StainEstimationException(String.format(
                    Locale.ROOT,
                    "too little stained tissue to estimate the stains (%d of %d pixels at low resolution, %d needed)",
                    kept,
                    seen,
                    MIN_TISSUE_PIXELS));
        }
        int count = kept;
        double[] mean = new double[3];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < 3; c++) {
                mean[c] += samples[3 * i + c];
            }
        }
        for (int c = 0; c < 3; c++) {
            mean[c] /= count;
        }
        double[][] cov = new double[3][3];
        for (int i = 0; i < count; i++) {
            for (int a = 0; a < 3; a++) {
                double da = samples[3 * i + a] - mean[a];
                for (int b = a; b < 3; b++) {
                    cov[a][b] += da * (samples[3 * i + b] - mean[b]);
                }
            }
        }
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < a; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        double[][] vectors = Linear.symmetricEigenvectors(cov);
        double[] v1 = vectors[0];
        double[] v2 = vectors[1];
        // Optical densities are positive: point the main direction into the positive octant.
        if (v1[0] + v1[1] + v1[2] < 0) {
            v1 = Linear.scale(v1, -1);
        }
        double[] angles = new double[count];
        for (int i = 0; i < count; i++) {
            double t1 = samples[3 * i] * v1[0] + samples[3 * i + 1] * v1[1] + samples[3 * i + 2] * v1[2];
            double t2 = samples[3 * i] * v2[0] + samples[3 * i + 1] * v2[1] + samples[3 * i + 2] * v2[2];
            angles[i] = Math.atan2(t2, t1);
        }
        Arrays.sort(angles);
        double low = percentile(angles, ALPHA);
        double high = percentile(angles, 100 - ALPHA);
        double[] a = positive(Linear.add(Linear.scale(v1, Math.cos(low)), Linear.scale(v2, Math.sin(low))));
        double[] b = positive(Linear.add(Linear.scale(v1, Math.cos(high)), Linear.scale(v2, Math.sin(high))));
        double[] h = a[0] > b[0] ? a : b;
        double[] e = a[0] > b[0] ? b : a;
        StainVectors directions = new StainVectors(h, e, 1, 1, new double[3]);
        if (directions.separation() < MIN_SEPARATION_DEGREES) {
            throw new StainEstimationException(String.format(
                    Locale.ROOT,
                    "haematoxylin and eosin cannot be told apart (their colours are %.1f degrees apart, %.0f needed)",
                    directions.separation(),
                    MIN_SEPARATION_DEGREES));
        }
        double hOff = directions.haematoxylinAngleTo(reference);
        double eOff = directions.eosinAngleTo(reference);
        if (hOff > MAX_DEVIATION_DEGREES || eOff > MAX_DEVIATION_DEGREES) {
            throw new StainEstimationException(String.format(
                    Locale.ROOT,
                    "the stains found do not look like H&E (haematoxylin %.0f and eosin %.0f degrees from the"
                            + " reference, at most %.0f allowed)",
                    hOff,
                    eOff,
                    MAX_DEVIATION_DEGREES));
        }
        double[][] unmix = Linear.pseudoInverse(directions.haematoxylin(), directions.eosin());
        double[] hConc = new double[count];
        double[] eConc = new double[count];
        for (int i = 0; i < count; i++) {
            double r = samples[3 * i];
            double g = samples[3 * i + 1];
            double bl = samples[3 * i + 2];
            hConc[i] = r * unmix[0][0] + g * unmix[1][0] + bl * unmix[2][0];
            eConc[i] = r * unmix[0][1] + g * unmix[1][1] + bl * unmix[2][1];
        }
        Arrays.sort(hConc);
        Arrays.sort(eConc);
        double maxH = percentile(hConc, 99);
        double maxE = percentile(eConc, 99);
        if (!(maxH > 0.05) || !(maxE > 0.05)) {
            throw new StainEstimationException(String.format(
                    Locale.ROOT,
                    "one stain is missing (99th percentile concentration: haematoxylin %.3f, eosin %.3f; 0.05 needed)",
                    maxH,
                    maxE));
        }
        return new StainVectors(directions.haematoxylin(), directions.eosin(), maxH, maxE, background);
    }

    /** The glass's optical density per channel: the median over nearly white pixels, or none without glass. */
    private double[] background() {
        double[] od = new double[3];
        if (glass < MIN_TISSUE_PIXELS) {
            return od;
        }
        for (int c = 0; c < 3; c++) {
            long seenSoFar = 0;
            for (int v = 0; v < 256; v++) {
                seenSoFar += glassHistogram[c][v];
                if (2 * seenSoFar >= glass) {
                    od[c] = OD[v];
                    break;
                }
            }
        }
        return od;
    }

    private static double[] positive(double[] v) {
        return v[0] + v[1] + v[2] < 0 ? Linear.scale(v, -1) : v;
    }

    /** Linear interpolation between closest ranks of a sorted array. */
    static double percentile(double[] sorted, double p) {
        double position = p / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }
}
