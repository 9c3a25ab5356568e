package org.tessera.models.stain;

import java.util.Locale;

/**
 * A slide's H&E stains: the optical density (OD) of one unit of each stain in R, G and B (unit vectors), and how much
 * of each the stained tissue holds at most (the 99th percentile of its concentration), as Macenko's method estimates
 * them, and the optical density of the slide's glass (subtracted before unmixing; zero for clear glass).
 *
 * <p>Optical density is {@code -log10((I + 1) / 256)} for an 8-bit intensity {@code I}, as in the models' graphs.
 */
public record StainVectors(
        double[] haematoxylin, double[] eosin, double maxHaematoxylin, double maxEosin, double[] background) {

    /** Stains on clear glass. */
    public StainVectors(double[] haematoxylin, double[] eosin, double maxHaematoxylin, double maxEosin) {
        this(haematoxylin, eosin, maxHaematoxylin, maxEosin, new double[3]);
    }

    public StainVectors {
        if (background == null || background.length != 3) {
            throw new IllegalArgumentException("background needs three optical densities (R, G, B)");
        }
        background = background.clone();
        haematoxylin = unit(haematoxylin, "haematoxylin");
        eosin = unit(eosin, "eosin");
        if (!(maxHaematoxylin > 0) || !(maxEosin > 0)) {
            throw new IllegalArgumentException(
                    "maximum stain concentrations must be positive: " + maxHaematoxylin + ", " + maxEosin);
        }
    }

    @Override
    public double[] haematoxylin() {
        return haematoxylin.clone();
    }

    @Override
    public double[] background() {
        return background.clone();
    }

    @Override
    public double[] eosin() {
        return eosin.clone();
    }

    /** Angle between the haematoxylin vectors of this and another estimate, degrees. */
    public double haematoxylinAngleTo(StainVectors other) {
        return angle(haematoxylin, other.haematoxylin);
    }

    public double eosinAngleTo(StainVectors other) {
        return angle(eosin, other.eosin);
    }

    /** Angle between haematoxylin and eosin, degrees: small when the two cannot be told apart. */
    public double separation() {
        return angle(haematoxylin, eosin);
    }

    static double angle(double[] a, double[] b) {
        double dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, dot))));
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "H (%.3f, %.3f, %.3f) max %.3f, E (%.3f, %.3f, %.3f) max %.3f, glass (%.3f, %.3f, %.3f)",
                haematoxylin[0],
                haematoxylin[1],
                haematoxylin[2],
                maxHaematoxylin,
                eosin[0],
                eosin[1],
                eosin[2],
                maxEosin,
                background[0],
                background[1],
                background[2]);
    }

    private static double[] unit(double[] v, String name) {
        if (v == null || v.length != 3) {
            throw new IllegalArgumentException(name + " needs three optical densities (R, G, B)");
        }
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        if (!(n > 0) || Double.isInfinite(n)) {
            throw new IllegalArgumentException(name + " vector has no length");
        }
        return new double[] {v[0] / n, v[1] / n, v[2] / n};
    }
}
