package org.tessera.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.tiff.TiffPyramidWriter;
import org.tessera.models.stain.MacenkoStainEstimator;
import org.tessera.models.stain.StainCorrection;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.testing.AnalysisFixtures;

/** A slide whose stains cannot be estimated is analysed on its own colours, and its outputs say so. */
class StainWarningTest {

    @TempDir
    Path dir;

    @Test
    void aSlideOfGlassSucceedsAndItsOutputsCarryTheWarning() throws Exception {
        Path slide = dir.resolve("glass.tiff");
        TiffPyramidWriter.write(
                slide,
                1024,
                1024,
                TiffPyramidWriter.Options.jpegRgb(0.9f).withMicronsPerPixel(0.5),
                (x, y, w, h, out) -> Arrays.fill(out, (byte) 0xF2));

        Map<String, Path> outputs = SlidePipeline.analyzeLocalFile(
                AnalysisFixtures.cpu(2, 1),
                SlideReaders.builtIn(),
                slide,
                "he-tme",
                "1.0.0",
                dir.resolve("out"),
                ProgressSink.NONE);

        List<String> readouts = Files.readAllLines(outputs.get("readout_generation:slide_readouts"));
        assertThat(readouts.getFirst()).endsWith(",stain_normalization");
        assertThat(readouts.subList(1, readouts.size()))
                .isNotEmpty()
                .allSatisfy(row -> assertThat(row).endsWith(",skipped"));
    }

    @Test
    void outputMetadataNamesTheStatusAndTheReason() {
        MacenkoStainEstimator glass = new MacenkoStainEstimator();
        for (int i = 0; i < 1000; i++) {
            glass.add(0xFFF2F2F2);
        }
        ObjectNode skipped = SlidePipeline.stainMetadata(StainCorrection.of(glass));
        assertThat(skipped.get("stain_normalization").asText()).isEqualTo("skipped");
        assertThat(skipped.get("stain_normalization_warning").asText())
                .isEqualTo("stain normalization skipped: too little stained tissue to estimate the stains (0 of 1000"
                        + " pixels at low resolution, 500 needed); the models ran on the slide's own colours");
    }
}
