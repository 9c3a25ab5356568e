package org.tessera.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.models.ModelRegistry;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.output.CellOutputWriter;
import org.tessera.worker.testing.AnalysisFixtures;

/** he-tme's analysis end to end on a generated 2048² slide (0.5 µm/px), against its ground truth. */
class SlideAnalyzerTest {

    @TempDir
    static Path dir;

    private static SyntheticSlide slide;
    private static SlideAnalyzer.Result result;
    private static final List<double[]> cells = new ArrayList<>();
    private static final List<long[]> progress = new ArrayList<>();

    @BeforeAll
    static void analyze() throws Exception {
        slide = AnalysisFixtures.slideWithArtefacts(dir);
        SlideAnalyzer analyzer = new SlideAnalyzer(AnalysisFixtures.cpu(4, 2), ModelRegistry.withBuiltInModels());
        ProgressSink sink = new ProgressSink() {
            @Override
            public void stage(Stage stage) {}

            @Override
            public void tiles(long done, long total) {
                synchronized (progress) {
                    progress.add(new long[] {done, total});
                }
            }
        };
        CellOutputWriter writer =
                new CellOutputWriter(dir.resolve("cells.geojson"), dir.resolve("cells.csv"), "item", 0.5);
        try (SlideReader reader = SlideReaders.builtIn().open(slide.path(), "slide")) {
            result = analyzer.analyze(
                    reader,
                    0.5,
                    "he-tme",
                    "1.0.0",
                    (cell, polygon, x, y, tissue) -> {
                        cells.add(new double[] {x, y});
                        writer.accept(cell, polygon, x, y, tissue);
                    },
                    sink);
        } finally {
            writer.close();
        }
        writer.writeSlideReadouts(result.segmentation(), dir.resolve("slide.csv"), result.stain());
    }

    @Test
    void theSlideIsStainNormalizedWithoutWarning() {
        assertThat(result.stain().status()).isEqualTo("applied");
        assertThat(result.stain().warning()).isEmpty();
    }

    @Test
    void qcMapAgreesWithTheGroundTruth() {
        ClassMap qc = result.qc();
        assertThat(qc.scale()).isEqualTo(4.0);
        byte[] truth = slide.groundTruth().qcClassMap(4);
        long agree = 0;
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] == qc.values()[i]) {
                agree++;
            }
        }
        double agreement = (double) agree / truth.length;
        System.out.printf("QC class agreement %.4f%n", agreement);
        assertThat(agreement).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void stitchedSegmentationFindsTheTissue() {
        assertThat(TissueDice.of(slide, result.segmentation())).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void cellsAreFoundOnceEachAcrossTileOverlaps() {
        long truth = slide.groundTruth().nucleiIn(0, 0, 2048, 2048).size();
        assertThat((double) cells.size()).isBetween(0.7 * truth, 1.4 * truth);
        cells.sort((a, b) -> Double.compare(a[0], b[0]));
        for (int i = 0; i < cells.size(); i++) {
            for (int j = i + 1; j < cells.size() && cells.get(j)[0] - cells.get(i)[0] < 4; j++) {
                assertThat(Math.hypot(cells.get(j)[0] - cells.get(i)[0], cells.get(j)[1] - cells.get(i)[1]))
                        .as("two cells at the same place")
                        .isGreaterThan(4);
            }
        }
    }

    @Test
    void progressCountsEveryTile() {
        long[] last = progress.getLast();
        assertThat(last[0]).isEqualTo(last[1]).isEqualTo(result.tiles());
    }

    @Test
    void outputsAreQuPathDetectionsAndReadouts() throws Exception {
        JsonNode geojson =
                new ObjectMapper().readTree(dir.resolve("cells.geojson").toFile());
        assertThat(geojson.path("type").asText()).isEqualTo("FeatureCollection");
        assertThat(geojson.path("features").size()).isEqualTo(cells.size());
        JsonNode first = geojson.path("features").get(0);
        assertThat(first.path("geometry").path("type").asText()).isEqualTo("Polygon");
        assertThat(first.path("properties").path("objectType").asText()).isEqualTo("detection");
        assertThat(first.path("properties").path("classification").path("name").asText())
                .isNotEmpty();
        assertThat(first.path("properties").path("classification").path("color").size())
                .isEqualTo(3);
        List<String> cellRows = Files.readAllLines(dir.resolve("cells.csv"));
        assertThat(cellRows.getFirst()).isEqualTo(CellOutputWriter.CELL_HEADER);
        assertThat(cellRows).hasSize(cells.size() + 1);
        List<String> slideRows = Files.readAllLines(dir.resolve("slide.csv"));
        assertThat(slideRows.getFirst()).isEqualTo(CellOutputWriter.SLIDE_HEADER);
        assertThat(slideRows).anyMatch(r -> r.startsWith("slide,LYMPHOCYTE,ALL,"));
        assertThat(slideRows).anyMatch(r -> r.startsWith("tissue_class,TUMOR_CELL,Tumor,"));
    }

    @Test
    void analysingTheSameSlideAgainWritesByteIdenticalCellOutputs() throws Exception {
        // Another batch size changes which tiles travel together and so the order in which tiles complete.
        SlideAnalyzer analyzer = new SlideAnalyzer(AnalysisFixtures.cpu(1, 1), ModelRegistry.withBuiltInModels());
        ProgressSink quiet = new ProgressSink() {
            @Override
            public void stage(Stage stage) {}

            @Override
            public void tiles(long done, long total) {}
        };
        CellOutputWriter again =
                new CellOutputWriter(dir.resolve("again.geojson"), dir.resolve("again.csv"), "item", 0.5);
        SlideAnalyzer.Result second;
        try (SlideReader reader = SlideReaders.builtIn().open(slide.path(), "slide")) {
            second = analyzer.analyze(reader, 0.5, "he-tme", "1.0.0", again, quiet);
        } finally {
            again.close();
        }
        again.writeSlideReadouts(second.segmentation(), dir.resolve("again-slide.csv"), second.stain());

        assertThat(Files.readAllBytes(dir.resolve("again.geojson")))
                .isEqualTo(Files.readAllBytes(dir.resolve("cells.geojson")));
        assertThat(Files.readAllBytes(dir.resolve("again.csv")))
                .isEqualTo(Files.readAllBytes(dir.resolve("cells.csv")));
        assertThat(Files.readAllBytes(dir.resolve("again-slide.csv")))
                .isEqualTo(Files.readAllBytes(dir.resolve("slide.csv")));
    }
}
