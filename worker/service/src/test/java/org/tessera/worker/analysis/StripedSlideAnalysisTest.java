package org.tessera.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.synthetic.StripedTiffWriter;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.models.ModelRegistry;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.pipeline.SlidePipeline;
import org.tessera.worker.testing.AnalysisFixtures;

/**
 * test-app end to end on a plain striped JPEG TIFF (one 2048² image at 0.5 µm/px, no pyramid): the coarse plan reads a
 * level the reader built, and the tissue it finds is the ground truth's.
 */
class StripedSlideAnalysisTest {

    @TempDir
    Path dir;

    @Test
    void testAppFindsTheTissueOfAStripedSlide() throws Exception {
        SyntheticSlide slide = SyntheticSlideGenerator.generateStriped(
                dir.resolve("striped.tiff"),
                2048,
                2048,
                909,
                StripedTiffWriter.Options.of(StripedTiffWriter.Compression.JPEG, 0.5));
        SlideAnalyzer analyzer = new SlideAnalyzer(AnalysisFixtures.cpu(4, 2), ModelRegistry.withBuiltInModels());
        SlideAnalyzer.Result result;
        try (SlideReader reader = SlideReaders.builtIn().open(slide.path(), "striped")) {
            assertThat(reader.info().properties()).containsEntry("tessera.generated-levels", "3");
            result = analyzer.analyze(reader, 0.5, "test-app", "1.0.0", null, ProgressSink.NONE);
        }
        assertThat(TissueDice.of(slide, result.segmentation()))
                .as("tissue Dice")
                .isGreaterThanOrEqualTo(0.85);

        Map<String, Path> outputs = SlidePipeline.analyzeLocalFile(
                AnalysisFixtures.cpu(4, 2),
                SlideReaders.builtIn(),
                slide.path(),
                "test-app",
                "1.0.0",
                dir.resolve("outputs"),
                ProgressSink.NONE);
        assertThat(outputs).containsKeys("tissue_qc:segmentation_map_image", "tissue_segmentation:geojson_polygons");
        assertThat(outputs.values())
                .allSatisfy(file -> assertThat(Files.size(file)).isPositive());
    }
}
