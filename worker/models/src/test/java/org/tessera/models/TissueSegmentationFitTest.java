package org.tessera.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The segmentation classifier's fitting is deterministic and the shipped weights are what it produces: a small refit
 * (one slide, a few epochs) twice gives the same weights bit for bit; the shipped file reads back to the same text;
 * and, under {@code -Dtessera.refit=true} (about a minute), the full refit reproduces the shipped file byte for byte.
 */
class TissueSegmentationFitTest {

    @Test
    void fittingTwiceGivesTheSameWeightsBitForBit() throws Exception {
        List<TissueSegmentationTrainer.Image> images = TissueSegmentationTrainer.images(new long[] {505}, 1024);
        TissueSegmentationTrainer.Samples first = TissueSegmentationTrainer.samples(images, 1, 4);
        TissueSegmentationTrainer.Samples second = TissueSegmentationTrainer.samples(images, 1, 4);
        assertThat(second.y()).isEqualTo(first.y());
        assertThat(second.x()).isDeepEqualTo(first.x());
        Mlp.Settings settings = new Mlp.Settings(8, 2, 64, 0.003, 1e-4, 7);
        Mlp.Weights a = TissueSegmentationTrainer.fit(first, settings);
        Mlp.Weights b = TissueSegmentationTrainer.fit(second, settings);
        assertThat(TissueSegmentationTrainer.text(b)).isEqualTo(TissueSegmentationTrainer.text(a));
        // A different seed gives other weights: the comparison above has teeth.
        Mlp.Weights c = TissueSegmentationTrainer.fit(first, new Mlp.Settings(8, 2, 64, 0.003, 1e-4, 8));
        assertThat(TissueSegmentationTrainer.text(c)).isNotEqualTo(TissueSegmentationTrainer.text(a));
    }

    @Test
    void shippedWeightsReadBackExactly() throws Exception {
        Mlp.Weights shipped = TissueSegmentationWeights.weights();
        assertThat(shipped.features()).isEqualTo(TissueSegmentationModel.FEATURES.size());
        assertThat(TissueSegmentationTrainer.text(shipped)).isEqualTo(shippedText());
    }

    @Test
    void weightsFittedOnOtherFeaturesAreRefusedByName() throws Exception {
        String text = shippedText().replace("features h_mean_10um ", "features h_mean_12um ");
        assertThatThrownBy(() -> TissueSegmentationWeights.parse(text, TissueSegmentationModel.FEATURES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("h_mean_12um")
                .hasMessageContaining("refit");
        assertThatThrownBy(() -> TissueSegmentationWeights.parse(
                        shippedText().replaceFirst("\nb2 [^ \n]+", "\nb2 x1"), TissueSegmentationModel.FEATURES))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 'b2' holds 'x1'");
    }

    @Test
    @EnabledIfSystemProperty(named = "tessera.refit", matches = "true")
    void fullRefitReproducesTheShippedFile() throws Exception {
        TissueSegmentationTrainer.Samples samples = TissueSegmentationTrainer.samples(
                TissueSegmentationTrainer.images(TissueSegmentationTrainer.SEEDS, TissueSegmentationTrainer.SIZE),
                TissueSegmentationTrainer.VARIANTS,
                TissueSegmentationTrainer.STRIDE);
        String refit = TissueSegmentationTrainer.text(
                TissueSegmentationTrainer.fit(samples, TissueSegmentationTrainer.SETTINGS));
        System.out.println("refit sha-256 " + TissueSegmentationTrainer.sha256(refit));
        assertThat(refit).isEqualTo(shippedText());
    }

    private static String shippedText() throws Exception {
        try (InputStream in = TissueSegmentationWeights.class.getResourceAsStream(TissueSegmentationWeights.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
