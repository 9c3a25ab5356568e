package org.tessera.imaging.synthetic;

import java.util.Locale;

/**
 * What a slide's colours go through after rendering, as differences between staining runs and scanners would do:
 * a stain change (each RGB channel's optical density scaled, which moves both stain vectors and their strength), a
 * brightness change (transmitted light scaled and offset) and scanner noise (per pixel and channel, a pure function of
 * the seed and position, so tiles stay reproducible). {@link #NONE} leaves the pixels alone.
 *
 * @param name short name for tables and file names
 * @param odGain optical density multiplier per channel (R, G, B); 1 leaves the stain alone
 * @param brightness transmitted light multiplier
 * @param offset added to transmitted light (0..255 units)
 * @param noiseSigma standard deviation of the scanner noise (0..255 units)
 */
public record Perturbation(String name, double[] odGain, double brightness, double offset, double noiseSigma) {

    public static final Perturbation NONE = new Perturbation("none", new double[] {1, 1, 1}, 1, 0, 0);

    /** Heavier, bluer haematoxylin and weaker eosin: a stronger OD in red, a weaker one in green. */
    public static final Perturbation STAIN = new Perturbation("stain", new double[] {1.30, 0.85, 1.15}, 1, 0, 0);

    /** A brighter, washed-out scan. */
    public static final Perturbation BRIGHTNESS = new Perturbation("brightness", new double[] {1, 1, 1}, 1.06, 10, 0);

    /** Sensor noise of a fast, high-gain scan. */
    public static final Perturbation SCANNER_NOISE = new Perturbation("scanner-noise", new double[] {1, 1, 1}, 1, 0, 7);

    /** All three at once. */
    public static final Perturbation ALL = new Perturbation("all", new double[] {1.30, 0.85, 1.15}, 1.06, 10, 7);

    public Perturbation {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a perturbation needs a name");
        }
        if (odGain == null || odGain.length != 3) {
            throw new IllegalArgumentException("odGain needs one value per RGB channel");
        }
        for (double g : odGain) {
            if (!(g > 0 && g < 5)) {
                throw new IllegalArgumentException("odGain values must be in (0, 5): " + g);
            }
        }
        if (!(brightness > 0) || !(noiseSigma >= 0)) {
            throw new IllegalArgumentException("brightness must be positive and noise non-negative");
        }
        odGain = odGain.clone();
    }

    @Override
    public double[] odGain() {
        return odGain.clone();
    }

    /** The named preset: none, stain, brightness, scanner-noise or all. */
    public static Perturbation named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "stain" -> STAIN;
            case "brightness" -> BRIGHTNESS;
            case "scanner-noise" -> SCANNER_NOISE;
            case "all" -> ALL;
            default ->
                throw new IllegalArgumentException(
                        "unknown perturbation '" + name + "': use none, stain, brightness, scanner-noise or all");
        };
    }

    public boolean isNone() {
        return odGain[0] == 1 && odGain[1] == 1 && odGain[2] == 1 && brightness == 1 && offset == 0 && noiseSigma == 0;
    }

    /** A renderer whose pixels go through this perturbation; {@code source} itself when there is none. */
    SlideRenderer applyTo(SlideRenderer source, long seed) {
        if (isNone()) {
            return source;
        }
        // Stain and brightness act on each channel's value alone: one lookup table per channel.
        byte[][] tables = new byte[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                double od = -Math.log10((v + 0.5) / 256.0);
                double transmitted = 256 * Math.pow(10, -od * odGain[c]) - 0.5;
                tables[c][v] = (byte) clamp(transmitted * brightness + offset);
            }
        }
        long noiseSeed = GroundTruth.mix(seed, 0x9015EL, 13);
        return (x, y, width, height, out) -> {
            boolean content = source.render(x, y, width, height, out);
            for (int row = 0; row < height; row++) {
                for (int column = 0; column < width; column++) {
                    int o = 3 * (row * width + column);
                    long h = noiseSigma > 0 ? GroundTruth.mix(noiseSeed, x + column, y + row) : 0;
                    for (int c = 0; c < 3; c++) {
                        int v = tables[c][out[o + c] & 0xFF] & 0xFF;
                        if (noiseSigma > 0) {
                            // The sum of three uniforms is close to normal; scaled to unit variance.
                            double g = (GroundTruth.unit(h, 3 * c)
                                            + GroundTruth.unit(h, 3 * c + 1)
                                            + GroundTruth.unit(h, 3 * c + 2)
                                            - 1.5)
                                    * 2;
                            v = clamp(v + g * noiseSigma);
                        }
                        out[o + c] = (byte) v;
                    }
                }
            }
            return content;
        };
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
