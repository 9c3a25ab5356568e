package org.tessera.imaging.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.tessera.imaging.tiff.TiffPyramidWriter;

/**
 * Renders an H&E-looking slide procedurally, any region on demand: white background, pink fibrous stroma inside the
 * tissue regions, purple nuclei on a jittered grid. Everything is a pure function of the seed and the pixel position,
 * so tiles can be rendered independently and in any order.
 */
final class HeRenderer implements TiffPyramidWriter.RegionSource {

    private static final int NOISE_SIZE = 512;
    private static final int NOISE_MASK = NOISE_SIZE - 1;
    private static final double NUCLEUS_SPACING_UM = 11;
    private static final double NUCLEUS_RADIUS_UM = 3.2;

    private final long seed;
    private final List<TissueRegion> regions;
    private final float[] noise;
    private final int nucleusSpacing;
    private final double nucleusRadius;

    HeRenderer(long seed, double mpp, List<TissueRegion> regions) {
        this.seed = seed;
        this.regions = List.copyOf(regions);
        this.noise = valueNoise(new SplittableRandom(seed ^ 0x5DEECE66DL));
        this.nucleusSpacing = Math.max(6, (int) Math.round(NUCLEUS_SPACING_UM / mpp));
        this.nucleusRadius = Math.max(1.5, NUCLEUS_RADIUS_UM / mpp);
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
    public void read(int x, int y, int width, int height, byte[] out) {
        byte[] tissue = new byte[width * height];
        List<TissueRegion> near = regionsNear(x, y, width, height, 0);
        for (int row = 0; row < height; row++) {
            int py = y + row;
            int rowOffset = row * width;
            for (int column = 0; column < width; column++) {
                int px = x + column;
                // Background: glass is near-white with a faint grain.
                int grain = (int) (noise[((py * 7) & NOISE_MASK) * NOISE_SIZE + ((px * 7) & NOISE_MASK)] * 4);
                int o = 3 * (rowOffset + column);
                out[o] = (byte) (240 + grain);
                out[o + 1] = (byte) (240 + grain);
                out[o + 2] = (byte) (242 + grain);
            }
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
                    tissue[rowOffset + column] = 1;
                    float fibres = noise[((py * 2) & NOISE_MASK) * NOISE_SIZE + ((px >> 1) & NOISE_MASK)];
                    float patches =
                            noise[(((py >> 2) + 173) & NOISE_MASK) * NOISE_SIZE + (((px >> 2) + 311) & NOISE_MASK)];
                    float n = 0.6f * fibres + 0.4f * patches;
                    int o = 3 * (rowOffset + column);
                    out[o] = (byte) (236 - 42 * n);
                    out[o + 1] = (byte) (178 - 92 * n);
                    out[o + 2] = (byte) (212 - 52 * n);
                }
            }
        }
        drawNuclei(x, y, width, height, out, tissue);
    }

    private void drawNuclei(int x, int y, int width, int height, byte[] out, byte[] tissue) {
        int spacing = nucleusSpacing;
        int reach = (int) Math.ceil(nucleusRadius * 1.4) + 1;
        int firstColumn = Math.floorDiv(x - reach, spacing);
        int lastColumn = Math.floorDiv(x + width + reach, spacing);
        int firstRow = Math.floorDiv(y - reach, spacing);
        int lastRow = Math.floorDiv(y + height + reach, spacing);
        List<TissueRegion> near = regionsNear(x, y, width, height, reach);
        if (near.isEmpty()) {
            return;
        }
        for (int gy = firstRow; gy <= lastRow; gy++) {
            for (int gx = firstColumn; gx <= lastColumn; gx++) {
                long h = mix(seed, gx, gy);
                double centerX = (gx + 0.15 + 0.7 * unit(h)) * spacing;
                double centerY = (gy + 0.15 + 0.7 * unit(h >>> 16)) * spacing;
                TissueRegion home = null;
                for (TissueRegion region : near) {
                    if (region.containsPoint(centerX, centerY)) {
                        home = region;
                        break;
                    }
                }
                if (home == null || unit(h >>> 32) >= home.nucleusDensity()) {
                    continue;
                }
                long h2 = mix(h, gx * 31L, gy * 17L);
                double radiusA = nucleusRadius * (0.75 + 0.5 * unit(h2));
                double radiusB = radiusA * (0.6 + 0.4 * unit(h2 >>> 16));
                double angle = Math.PI * unit(h2 >>> 32);
                double darkness = unit(h2 >>> 48);
                fillNucleus(x, y, width, height, out, tissue, centerX, centerY, radiusA, radiusB, angle, darkness);
            }
        }
    }

    private void fillNucleus(
            int x,
            int y,
            int width,
            int height,
            byte[] out,
            byte[] tissue,
            double centerX,
            double centerY,
            double radiusA,
            double radiusB,
            double angle,
            double darkness) {
        int minX = Math.max(x, (int) Math.floor(centerX - radiusA));
        int maxX = Math.min(x + width - 1, (int) Math.ceil(centerX + radiusA));
        int minY = Math.max(y, (int) Math.floor(centerY - radiusA));
        int maxY = Math.min(y + height - 1, (int) Math.ceil(centerY + radiusA));
        double cos = Math.cos(angle);
        double sin = Math.sin(angle);
        for (int py = minY; py <= maxY; py++) {
            for (int px = minX; px <= maxX; px++) {
                int index = (py - y) * width + (px - x);
                if (tissue[index] == 0) {
                    continue;
                }
                double u = px + 0.5 - centerX;
                double v = py + 0.5 - centerY;
                double along = (u * cos + v * sin) / radiusA;
                double across = (-u * sin + v * cos) / radiusB;
                double r2 = along * along + across * across;
                if (r2 > 1) {
                    continue;
                }
                float grain = noise[((py * 3) & NOISE_MASK) * NOISE_SIZE + ((px * 3) & NOISE_MASK)];
                // Chromatin is darker at the rim (nuclear membrane) and grainy inside.
                double shade = darkness * 0.6 + grain * 0.4 + (r2 > 0.7 ? 0.25 : 0);
                int o = 3 * index;
                out[o] = (byte) clamp(118 - 55 * shade);
                out[o + 1] = (byte) clamp(78 - 45 * shade);
                out[o + 2] = (byte) clamp(168 - 40 * shade);
            }
        }
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

    private static int clamp(double value) {
        return (int) Math.max(0, Math.min(255, value));
    }

    private static double unit(long bits) {
        return (bits & 0xFFFF) / 65536.0;
    }

    private static long mix(long seed, long a, long b) {
        long z = seed + a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
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
