package org.tessera.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.tiff.TiffPyramidWriter;
import org.tessera.slides.SlideInfo;
import org.tessera.slides.SlideLevel;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.pipeline.ProgressSink;

class TissueDetectorTest {

    @TempDir
    Path dir;

    @Test
    void planPicksTheCoarsestLevelFinerThanTheTargetThenShrinksByAWholeFactor() {
        SlideInfo info = new SlideInfo(
                "t",
                List.of(
                        new SlideLevel(40_000, 30_000, 1),
                        new SlideLevel(10_000, 7_500, 4),
                        new SlideLevel(2_500, 1_875, 16),
                        new SlideLevel(625, 469, 64)),
                OptionalDouble.of(0.25),
                Map.of());
        // 0.25 µm: level 2 is 4 µm, level 3 is 16 µm (too coarse for 8 µm) -> level 2, shrink by 2.
        assertThat(TissueDetector.plan(info, 0.25, 8)).isEqualTo(new TissueDetector.Plan(2, 2));
        // Already coarse at level 0: read level 0 as it is.
        assertThat(TissueDetector.plan(info, 10, 8)).isEqualTo(new TissueDetector.Plan(0, 1));
        // Exactly on target.
        assertThat(TissueDetector.plan(info, 0.5, 8)).isEqualTo(new TissueDetector.Plan(2, 1));
    }

    @Test
    void maskMatchesTheGroundTruth() throws Exception {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(dir.resolve("s.tiff"), 4000, 3000, 0.5, 12);
        TissueDetector.Result result;
        try (SlideReader reader = SlideReaders.builtIn().open(slide.path(), "s")) {
            result = new TissueDetector(8).detect(reader, 0.5, ProgressSink.NONE);
        }
        ClassMap qc = result.qc();
        assertThat(qc.scale()).isEqualTo(16);
        assertThat(qc.width()).isEqualTo(250);
        assertThat(qc.height()).isEqualTo(188);

        long both = 0;
        long detected = 0;
        long truth = 0;
        for (int y = 0; y < qc.height(); y++) {
            for (int x = 0; x < qc.width(); x++) {
                boolean isTissue = slide.isTissue((int) ((x + 0.5) * qc.scale()), (int) ((y + 0.5) * qc.scale()));
                boolean found = qc.valueAt(x, y) == TissueDetector.TISSUE.value();
                both += isTissue && found ? 1 : 0;
                detected += found ? 1 : 0;
                truth += isTissue ? 1 : 0;
            }
        }
        double dice = 2.0 * both / (detected + truth);
        assertThat(dice).as("Dice of tissue mask vs ground truth").isGreaterThan(0.95);
        assertThat(MaskPolygons.trace(qc, 1)).hasSameSizeAs(slide.tissueRegions());

        ClassMap segmentation = result.segmentation();
        for (int i = 0; i < qc.values().length; i++) {
            assertThat(segmentation.values()[i] != 0).isEqualTo(qc.values()[i] != 0);
        }
    }

    @Test
    void blankGlassHasNoTissue() throws Exception {
        Path file = dir.resolve("blank.tiff");
        TiffPyramidWriter.write(
                file,
                1200,
                900,
                TiffPyramidWriter.Options.jpegRgb(0.9f).withMicronsPerPixel(0.5),
                (x, y, w, h, out) -> {
                    for (int i = 0; i < out.length; i++) {
                        out[i] = (byte) (238 + ((x + y + i) % 5));
                    }
                });
        try (SlideReader reader = SlideReaders.builtIn().open(file, "blank")) {
            TissueDetector.Result result = new TissueDetector(8).detect(reader, 0.5, ProgressSink.NONE);
            assertThat(result.tissueFraction()).isZero();
        }
    }
}
