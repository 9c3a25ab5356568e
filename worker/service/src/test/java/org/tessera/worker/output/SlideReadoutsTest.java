package org.tessera.worker.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.common.ProgressSink;
import org.tessera.worker.pipeline.SlidePipeline;
import org.tessera.worker.testing.AnalysisFixtures;

/**
 * he-tme's slide readouts recomputed from its cell readouts: every row of {@code readout_generation:slide_readouts}
 * must say what the cells of {@code readout_generation:cell_readouts} say. The slide has a pen stroke over tissue, a
 * fold and blur, so ink and artefacts are in play.
 */
class SlideReadoutsTest {

    /** Cell optical densities are written to 4 decimals and so are the means: they differ by at most 1e-4. */
    private static final double OD_TOLERANCE = 1e-4;
    /** Cell areas are written to 2 decimals and so are the mean areas. */
    private static final double AREA_TOLERANCE = 1e-2;

    @TempDir
    static Path dir;

    private static List<String[]> cellRows;
    private static List<String[]> slideRows;

    @BeforeAll
    static void analyze() throws Exception {
        Map<String, Path> outputs = SlidePipeline.analyzeLocalFile(
                AnalysisFixtures.cpu(4, 2),
                SlideReaders.builtIn(),
                AnalysisFixtures.slideWithArtefacts(dir).path(),
                "he-tme",
                "1.0.0",
                dir.resolve("outputs"),
                ProgressSink.NONE);
        cellRows = rows(outputs.get("readout_generation:cell_readouts"), CellOutputWriter.CELL_HEADER);
        slideRows = rows(outputs.get("readout_generation:slide_readouts"), CellOutputWriter.SLIDE_HEADER);
        assertThat(cellRows).hasSizeGreaterThan(100);
    }

    private static List<String[]> rows(Path csv, String header) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.getFirst()).isEqualTo(header);
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
    }

    /** Count and sums of area, haematoxylin and eosin of the cells a slide-readout row speaks of. */
    private static final class Recomputed {
        long count;
        double area;
        double haematoxylin;
        double eosin;

        void add(String[] cell) {
            count++;
            area += Double.parseDouble(cell[5]);
            haematoxylin += Double.parseDouble(cell[8]);
            eosin += Double.parseDouble(cell[9]);
        }
    }

    /** Keys as the slide readouts name their rows: scope, cell class, tissue class. */
    private static Map<String, Recomputed> recomputeFromCells() {
        Map<String, Recomputed> rows = new HashMap<>();
        for (String[] cell : cellRows) {
            String cellClass = cell[3];
            String tissueClass = cell[4];
            for (String key : List.of(
                    "slide/" + cellClass + "/ALL",
                    "tissue_class/ALL/" + tissueClass,
                    "tissue_class/" + cellClass + "/" + tissueClass)) {
                rows.computeIfAbsent(key, k -> new Recomputed()).add(cell);
            }
        }
        return rows;
    }

    @Test
    void everyRowCountsAndAveragesTheCellsOfTheCellReadouts() {
        Map<String, Recomputed> recomputed = recomputeFromCells();
        for (String[] row : slideRows) {
            String key = row[0] + "/" + row[1] + "/" + row[2];
            Recomputed cells = recomputed.getOrDefault(key, new Recomputed());
            long count = Long.parseLong(row[3]);
            assertThat(count).as("cell_count of %s", key).isEqualTo(cells.count);
            if (count > 0) {
                assertThat(Double.parseDouble(row[6]))
                        .as("mean_cell_area_um2 of %s", key)
                        .isCloseTo(cells.area / count, within(AREA_TOLERANCE));
                assertThat(Double.parseDouble(row[7]))
                        .as("mean_hematoxylin of %s", key)
                        .isCloseTo(cells.haematoxylin / count, within(OD_TOLERANCE));
                assertThat(Double.parseDouble(row[8]))
                        .as("mean_eosin of %s", key)
                        .isCloseTo(cells.eosin / count, within(OD_TOLERANCE));
            }
        }
        long tissueClassRows = slideRows.stream()
                .filter(r -> r[0].equals("tissue_class") && r[1].equals("ALL"))
                .mapToLong(r -> Long.parseLong(r[3]))
                .sum();
        long slideRowsTotal = slideRows.stream()
                .filter(r -> r[0].equals("slide"))
                .mapToLong(r -> Long.parseLong(r[3]))
                .sum();
        assertThat(tissueClassRows).isEqualTo(slideRowsTotal).isEqualTo(cellRows.size());
    }

    @Test
    void opticalDensitiesAreNeverNegative() {
        assertThat(slideRows).allSatisfy(row -> {
            assertThat(Double.parseDouble(row[7]))
                    .as("mean_hematoxylin of %s", String.join(",", row))
                    .isNotNegative();
            assertThat(Double.parseDouble(row[8]))
                    .as("mean_eosin of %s", String.join(",", row))
                    .isNotNegative();
        });
        assertThat(cellRows)
                .allSatisfy(cell -> assertThat(Double.parseDouble(cell[9]))
                        .as("mean_eosin of cell %s", cell[0])
                        .isNotNegative());
    }

    @Test
    void densityIsTheCountPerSquareMillimetreOfItsArea() {
        for (String[] row : slideRows) {
            double area = Double.parseDouble(row[4]);
            double expected = area > 0 ? Long.parseLong(row[3]) / area : 0;
            // Written to 2 decimals, from an area written to 6.
            assertThat(Double.parseDouble(row[5]))
                    .as("density_per_mm2 of %s", String.join(",", row))
                    .isCloseTo(expected, within(0.01 + expected * 1e-4));
        }
    }
}
