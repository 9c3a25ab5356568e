package org.tessera.dicom;

import static org.assertj.core.api.Assertions.assertThat;

/** A smooth colour pattern, different at every level and position, that JPEG reproduces closely. */
final class TestPattern {

    /** Mean absolute error per channel a JPEG tile at quality 0.9 stays under on this pattern. */
    static final double MEAN_TOLERANCE = 3.0;
    /** Largest error on any single channel of any pixel. */
    static final int MAX_TOLERANCE = 24;

    private TestPattern() {}

    static int rgb(int level, int x, int y) {
        int r = triangle(x + 37 * level);
        int g = triangle(2 * y + 50 + 11 * level);
        int b = triangle(x + y + 90);
        return r << 16 | g << 8 | b;
    }

    private static int triangle(int v) {
        int m = Math.floorMod(v, 512);
        return Math.min(255, Math.abs(m - 256));
    }

    /** A source for a slide of the given level-0 size; tiles {@code skip} says are empty come back null. */
    static DicomTileSource source(int tileSize, TileFilter skip) {
        return DicomTileSource.ofRgb(tileSize, (level, tx, ty) -> {
            if (skip.test(level, tx, ty)) {
                return null;
            }
            int[] pixels = new int[tileSize * tileSize];
            for (int y = 0; y < tileSize; y++) {
                for (int x = 0; x < tileSize; x++) {
                    pixels[y * tileSize + x] = rgb(level, tx * tileSize + x, ty * tileSize + y);
                }
            }
            return pixels;
        });
    }

    @FunctionalInterface
    interface TileFilter {
        boolean test(int level, int tx, int ty);
    }

    /** Asserts that a region read back matches the pattern within JPEG tolerance. */
    static void assertMatches(int[] actual, int level, int x0, int y0, int width, int height) {
        long sum = 0;
        int worst = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int a = actual[y * width + x];
                int e = rgb(level, x0 + x, y0 + y);
                if (a >>> 24 != 0xFF) {
                    throw new AssertionError("alpha at (" + (x0 + x) + "," + (y0 + y) + ") is " + (a >>> 24));
                }
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = Math.abs(((a >> shift) & 0xFF) - ((e >> shift) & 0xFF));
                    sum += d;
                    worst = Math.max(worst, d);
                }
            }
        }
        double mean = (double) sum / (3.0 * width * height);
        assertThat(mean).as("mean channel error").isLessThan(MEAN_TOLERANCE);
        assertThat(worst).as("worst channel error").isLessThanOrEqualTo(MAX_TOLERANCE);
    }

    static void assertWhite(int[] pixels, int from, int to) {
        for (int i = from; i < to; i++) {
            if (pixels[i] != 0xFFFFFFFF) {
                throw new AssertionError("pixel " + i + " is " + Integer.toHexString(pixels[i]) + ", not white");
            }
        }
    }
}
