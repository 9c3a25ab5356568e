package org.tessera.imaging.synthetic;

import java.util.Random;

/**
 * Tiles of H&E-coloured noise for speed measurements, where what a model sees does not matter, only that its inputs
 * are not constant: one pixel in twenty nucleus-blue, the rest pink, the same for every call with the same arguments.
 */
public final class NoiseTiles {

    private NoiseTiles() {}

    /** {@code n} tiles of {@code size}², float32 CHW RGB 0..255, one after the other. */
    public static float[] hematoxylinAndEosin(int n, int size) {
        Random random = new Random(1);
        float[] rgb = new float[n * 3 * size * size];
        int plane = size * size;
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < plane; i++) {
                boolean nucleus = random.nextInt(20) == 0;
                int base = b * 3 * plane + i;
                rgb[base] = nucleus ? 90 + random.nextInt(30) : 210 + random.nextInt(30);
                rgb[base + plane] = nucleus ? 60 + random.nextInt(30) : 140 + random.nextInt(40);
                rgb[base + 2 * plane] = nucleus ? 150 + random.nextInt(30) : 200 + random.nextInt(30);
            }
        }
        return rgb;
    }
}
