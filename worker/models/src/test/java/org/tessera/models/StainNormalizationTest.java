package org.tessera.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.tessera.imaging.synthetic.Perturbation;
import org.tessera.imaging.synthetic.RendererFamily;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.stain.MacenkoStainEstimator;
import org.tessera.models.stain.StainCorrection;
import org.tessera.models.stain.StainNormalizer;
import org.tessera.models.stain.StainReference;
import org.tessera.models.stain.StainVectors;

/** Macenko estimation and normalization on generated slides of both renderer families, and slides it must refuse. */
class StainNormalizationTest {

    static final int SIZE = 2048;

    @Test
    void primarySlidesHaveTheReferenceStains() throws Exception {
        StainVectors found = estimate(GeneratedSlides.slide(SIZE, StainReferenceMain.SEEDS[0]));
        assertThat(found.haematoxylinAngleTo(StainReference.HE))
                .as(found.toString())
                .isLessThan(4);
        assertThat(found.eosinAngleTo(StainReference.HE)).as(found.toString()).isLessThan(4);
    }

    @Test
    void aSecondLabSlideWithPerturbedStainsIsMappedOntoTheReference() throws Exception {
        SyntheticSlide slide = GeneratedSlides.slide(SIZE, 77, RendererFamily.SECOND_LAB, Perturbation.STAIN);
        StainCorrection correction = GeneratedSlides.stainCorrection(slide);
        assertThat(correction.warning()).isEmpty();
        StainNormalizer normalizer = correction.normalizer().orElseThrow();
        StainVectors before = normalizer.source();
        assertThat(before.haematoxylinAngleTo(StainReference.HE) + before.eosinAngleTo(StainReference.HE))
                .as("the slide's own stains differ from the reference")
                .isGreaterThan(10);

        int w = SIZE / 4;
        float[] chw = GeneratedSlides.readChw(slide, 2, 0, 0, w, w);
        normalizer.apply(chw, w * w);
        MacenkoStainEstimator again = new MacenkoStainEstimator();
        for (int i = 0; i < w * w; i++) {
            again.add(((int) chw[i] << 16) | ((int) chw[w * w + i] << 8) | (int) chw[2 * w * w + i]);
        }
        StainVectors after = again.estimate(StainReference.HE);
        System.out.printf("second lab + stain: before %s%n  after %s%n", before, after);
        assertThat(after.haematoxylinAngleTo(StainReference.HE)).isLessThan(5);
        assertThat(after.eosinAngleTo(StainReference.HE)).isLessThan(5);
        assertThat(after.maxHaematoxylin()).isCloseTo(StainReference.HE.maxHaematoxylin(), within(0.15));
        assertThat(after.maxEosin()).isCloseTo(StainReference.HE.maxEosin(), within(0.1));
    }

    @Test
    void glassOnlyIsSkippedWithAWarningThatSaysWhy() {
        MacenkoStainEstimator estimator = new MacenkoStainEstimator();
        for (int i = 0; i < 10_000; i++) {
            estimator.add(0xFFF0F0F2);
        }
        StainCorrection correction = StainCorrection.of(estimator);
        assertThat(correction.normalizer()).isEmpty();
        assertThat(correction.status()).isEqualTo("skipped");
        assertThat(correction.warning())
                .hasValue("stain normalization skipped: too little stained tissue to estimate the stains (0 of 10000"
                        + " pixels at low resolution, 500 needed); the models ran on the slide's own colours");
        float[] rgb = {10, 20, 30};
        correction.apply(rgb, 1);
        assertThat(rgb).containsExactly(10, 20, 30);
    }

    @Test
    void aSingleStainCannotBeSeparated() {
        MacenkoStainEstimator estimator = new MacenkoStainEstimator();
        // Grey of many strengths: every pixel lies on one line through the origin.
        for (int i = 0; i < 10_000; i++) {
            int v = 20 + (i % 150);
            estimator.add(0xFF000000 | v << 16 | v << 8 | v);
        }
        assertThat(StainCorrection.of(estimator).warning().orElseThrow()).contains("cannot be told apart");
    }

    static StainVectors estimate(SyntheticSlide slide) throws Exception {
        StainCorrection correction = GeneratedSlides.stainCorrection(slide);
        return correction
                .normalizer()
                .orElseThrow(() -> new AssertionError(correction.warning().orElseThrow()))
                .source();
    }

    private static org.assertj.core.data.Offset<Double> within(double v) {
        return org.assertj.core.data.Offset.offset(v);
    }
}
