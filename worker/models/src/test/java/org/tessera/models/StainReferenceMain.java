package org.tessera.models;

import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.stain.StainVectors;

/** Prints the mean stain estimate over the primary renderer's fitting slides: the values of {@code StainReference}. */
public final class StainReferenceMain {

    static final long[] SEEDS = {101, 202, 303, 404};

    private StainReferenceMain() {}

    public static void main(String[] args) throws Exception {
        double[] h = new double[3];
        double[] e = new double[3];
        double maxH = 0;
        double maxE = 0;
        double[] glass = new double[3];
        for (long seed : SEEDS) {
            SyntheticSlide slide = GeneratedSlides.slide(StainNormalizationTest.SIZE, seed);
            StainVectors v = StainNormalizationTest.estimate(slide);
            System.out.println(seed + ": " + v);
            for (int c = 0; c < 3; c++) {
                h[c] += v.haematoxylin()[c] / SEEDS.length;
                e[c] += v.eosin()[c] / SEEDS.length;
                glass[c] += v.background()[c] / SEEDS.length;
            }
            maxH += v.maxHaematoxylin() / SEEDS.length;
            maxE += v.maxEosin() / SEEDS.length;
        }
        System.out.println("mean: " + new StainVectors(h, e, maxH, maxE, glass));
    }
}
