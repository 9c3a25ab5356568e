package org.tessera.worker.analysis;

import java.util.ArrayDeque;

/** Threshold selection and binary morphology on small row-major masks (1 = set, 0 = clear). */
public final class MaskOps {

    private MaskOps() {}

    /**
     * Otsu's threshold of values in [0, 1]: the cut that maximises between-class variance over a 256-bin histogram.
     * Returns the upper edge of the last bin of the lower class.
     */
    public static double otsu(float[] values) {
        int bins = 256;
        long[] histogram = new long[bins];
        for (float v : values) {
            int bin = Math.min(bins - 1, Math.max(0, (int) (v * bins)));
            histogram[bin]++;
        }
        long total = values.length;
        double sumAll = 0;
        for (int i = 0; i < bins; i++) {
            sumAll += (double) i * histogram[i];
        }
        double sumBelow = 0;
        long countBelow = 0;
        double bestVariance = -1;
        int bestBin = 0;
        for (int i = 0; i < bins; i++) {
            countBelow += histogram[i];
            if (countBelow == 0) {
                continue;
            }
            long countAbove = total - countBelow;
            if (countAbove == 0) {
                break;
            }
            sumBelow += (double) i * histogram[i];
            double meanBelow = sumBelow / countBelow;
            double meanAbove = (sumAll - sumBelow) / countAbove;
            double variance = (double) countBelow * countAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (variance > bestVariance) {
                bestVariance = variance;
                bestBin = i;
            }
        }
        return (bestBin + 1) / (double) bins;
    }

    /** Dilation with a (2r+1)^2 square. */
    public static byte[] dilate(byte[] mask, int width, int height, int radius) {
        return morph(mask, width, height, radius, true);
    }

    /** Erosion with a (2r+1)^2 square; outside the map counts as clear. */
    public static byte[] erode(byte[] mask, int width, int height, int radius) {
        return morph(mask, width, height, radius, false);
    }

    public static byte[] close(byte[] mask, int width, int height, int radius) {
        return erode(dilate(mask, width, height, radius), width, height, radius);
    }

    public static byte[] open(byte[] mask, int width, int height, int radius) {
        return dilate(erode(mask, width, height, radius), width, height, radius);
    }

    // Separable: a square structuring element is a horizontal pass followed by a vertical one.
    private static byte[] morph(byte[] mask, int width, int height, int radius, boolean dilate) {
        byte[] horizontal = new byte[mask.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                horizontal[y * width + x] = extreme(mask, y * width, 1, x, width, radius, dilate);
            }
        }
        byte[] result = new byte[mask.length];
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                result[y * width + x] = extreme(horizontal, x, width, y, height, radius, dilate);
            }
        }
        return result;
    }

    private static byte extreme(byte[] data, int base, int step, int at, int length, int radius, boolean dilate) {
        for (int d = -radius; d <= radius; d++) {
            int i = at + d;
            boolean set = i >= 0 && i < length && data[base + i * step] != 0;
            if (dilate && set) {
                return 1;
            }
            if (!dilate && !set) {
                return 0;
            }
        }
        return (byte) (dilate ? 0 : 1);
    }

    /** Clears set components (4-connected) smaller than {@code minPixels}. */
    public static byte[] removeSmallComponents(byte[] mask, int width, int height, int minPixels) {
        return filterComponents(mask, width, height, minPixels, (byte) 1);
    }

    /**
     * Fills holes (clear components, 8-connected, that do not touch the border) smaller than {@code maxPixels}.
     */
    public static byte[] fillSmallHoles(byte[] mask, int width, int height, int maxPixels) {
        byte[] inverted = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            inverted[i] = (byte) (mask[i] == 0 ? 1 : 0);
        }
        byte[] keptClear = filterHoles(inverted, width, height, maxPixels);
        byte[] result = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            result[i] = (byte) (keptClear[i] == 0 ? 1 : 0);
        }
        return result;
    }

    private static byte[] filterComponents(byte[] mask, int width, int height, int minPixels, byte value) {
        byte[] result = mask.clone();
        boolean[] seen = new boolean[mask.length];
        int[] component = new int[mask.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] != value || seen[start]) {
                continue;
            }
            int size = 0;
            queue.add(start);
            seen[start] = true;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                component[size++] = p;
                int x = p % width;
                int y = p / width;
                if (x > 0) visit(mask, seen, queue, p - 1, value);
                if (x < width - 1) visit(mask, seen, queue, p + 1, value);
                if (y > 0) visit(mask, seen, queue, p - width, value);
                if (y < height - 1) visit(mask, seen, queue, p + width, value);
            }
            if (size < minPixels) {
                for (int i = 0; i < size; i++) {
                    result[component[i]] = 0;
                }
            }
        }
        return result;
    }

    /** Keeps set (=hole candidate) components that touch the border or are large; clears the small inner ones. */
    private static byte[] filterHoles(byte[] mask, int width, int height, int maxPixels) {
        byte[] result = mask.clone();
        boolean[] seen = new boolean[mask.length];
        int[] component = new int[mask.length];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] == 0 || seen[start]) {
                continue;
            }
            int size = 0;
            boolean border = false;
            queue.add(start);
            seen[start] = true;
            while (!queue.isEmpty()) {
                int p = queue.poll();
                component[size++] = p;
                int x = p % width;
                int y = p / width;
                border |= x == 0 || y == 0 || x == width - 1 || y == height - 1;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int ny = y + dy;
                        if ((dx != 0 || dy != 0) && nx >= 0 && ny >= 0 && nx < width && ny < height) {
                            visit(mask, seen, queue, ny * width + nx, (byte) 1);
                        }
                    }
                }
            }
            if (!border && size < maxPixels) {
                for (int i = 0; i < size; i++) {
                    result[component[i]] = 0;
                }
            }
        }
        return result;
    }

    private static void visit(byte[] mask, boolean[] seen, ArrayDeque<Integer> queue, int p, byte value) {
        if (!seen[p] && mask[p] == value) {
            seen[p] = true;
            queue.add(p);
        }
    }
}
