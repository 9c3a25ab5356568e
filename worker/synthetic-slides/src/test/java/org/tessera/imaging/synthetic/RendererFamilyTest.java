package org.tessera.imaging.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.models.classes.TissueClass;

/** The second laboratory's renderer and the colour perturbations, on regions rendered in memory. */
class RendererFamilyTest {

    private static final int SIZE = 1200;
    private static final GroundTruth TRUTH = GroundTruth.of(SIZE, SIZE, 0.5, 31, false);

    @TempDir
    Path dir;

    @Test
    void secondLabDrawsTheSameTissueInOtherColours() {
        byte[] primary = render(new HeRenderer(TRUTH));
        byte[] second = render(new SecondLabRenderer(TRUTH));
        int tissue = 0;
        int agree = 0;
        double[] primaryMean = new double[3];
        double[] secondMean = new double[3];
        for (int y = 2; y < SIZE; y += 7) {
            for (int x = 3; x < SIZE; x += 7) {
                int i = 3 * (y * SIZE + x);
                boolean truth = TRUTH.isTissue(x, y);
                boolean stained = (second[i + 1] & 0xFF) < 205;
                agree += truth == stained ? 1 : 0;
                if (truth) {
                    tissue++;
                    for (int c = 0; c < 3; c++) {
                        primaryMean[c] += primary[i + c] & 0xFF;
                        secondMean[c] += second[i + c] & 0xFF;
                    }
                }
            }
        }
        int total = (SIZE / 7) * (SIZE / 7);
        assertThat((double) agree / total)
                .as("stained pixels agree with ground truth")
                .isGreaterThan(0.95);
        double difference = 0;
        for (int c = 0; c < 3; c++) {
            difference += Math.abs(primaryMean[c] - secondMean[c]) / tissue;
        }
        assertThat(difference).as("summed difference of the mean tissue colour").isGreaterThan(20);
    }

    @Test
    void secondLabRendersTheSamePixelsForTheSameSeedAndAnyTiling() {
        SecondLabRenderer renderer = new SecondLabRenderer(TRUTH);
        byte[] whole = new byte[3 * 200 * 200];
        renderer.render(500, 500, 200, 200, whole);
        byte[] part = new byte[3 * 100 * 100];
        new SecondLabRenderer(TRUTH).render(600, 550, 100, 100, part);
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 300; x++) {
                assertThat(part[y * 300 + x]).isEqualTo(whole[(y + 50) * 600 + 300 + x]);
            }
        }
    }

    @Test
    void perturbationsChangeColoursReproducibly() {
        byte[] plain = render(new HeRenderer(TRUTH));
        byte[] stained = render(Perturbation.STAIN.applyTo(new HeRenderer(TRUTH), 31));
        byte[] noisy = render(Perturbation.SCANNER_NOISE.applyTo(new HeRenderer(TRUTH), 31));
        byte[] noisyAgain = render(Perturbation.SCANNER_NOISE.applyTo(new HeRenderer(TRUTH), 31));
        assertThat(noisy).isEqualTo(noisyAgain);
        double stainShift = 0;
        double noise = 0;
        for (int i = 0; i < plain.length; i++) {
            stainShift += Math.abs((plain[i] & 0xFF) - (stained[i] & 0xFF));
            double d = (plain[i] & 0xFF) - (noisy[i] & 0xFF);
            noise += d * d;
        }
        assertThat(stainShift / plain.length).isGreaterThan(3);
        assertThat(Math.sqrt(noise / plain.length)).isBetween(4.0, 9.0);
        assertThat(Perturbation.named("all")).isEqualTo(Perturbation.ALL);
        assertThatThrownBy(() -> Perturbation.named("sepia")).hasMessageContaining("unknown perturbation 'sepia'");
    }

    @Test
    void secondLabSlidesAreWrittenWithoutArtefactsAndSayHowTheyWereDrawn() throws Exception {
        SyntheticSlideOptions options = SyntheticSlideOptions.tiff()
                .withRendererFamily(RendererFamily.SECOND_LAB)
                .withPerturbation(Perturbation.BRIGHTNESS);
        assertThat(options.jpegQuality()).isEqualTo(0.70f);
        SyntheticSlide slide = SyntheticSlideGenerator.generate(dir.resolve("b.tif"), 600, 400, 0.5, 5, options);
        assertThat(Files.size(slide.path())).isPositive();
        String head = new String(Files.readAllBytes(slide.path()), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(head).contains("renderer=" + SecondLabRenderer.NAME + " perturbation=brightness");
        assertThatThrownBy(() -> options.withArtefacts(true)).hasMessageContaining("draws no artefacts");
        assertThat(TRUTH.tissueClassAt(0, 0)).isEqualTo(TissueClass.BACKGROUND);
    }

    private static byte[] render(SlideRenderer renderer) {
        byte[] out = new byte[3 * SIZE * SIZE];
        for (int y = 0; y < SIZE; y += 300) {
            for (int x = 0; x < SIZE; x += 300) {
                byte[] tile = new byte[3 * 300 * 300];
                renderer.render(x, y, 300, 300, tile);
                for (int row = 0; row < 300; row++) {
                    System.arraycopy(tile, 3 * row * 300, out, 3 * ((y + row) * SIZE + x), 3 * 300);
                }
            }
        }
        return out;
    }
}
