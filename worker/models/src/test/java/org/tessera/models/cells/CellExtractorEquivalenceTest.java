package org.tessera.models.cells;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CellExtractorEquivalenceTest {

    /**
     * Crowded and sparse seeds on smooth stain fields with blobs around the seeds: the extractor gives exactly the
     * cells (centroids, outlines, measurements, classes) the former one gave.
     */
    @Test
    void sameCellsAsBefore() {
        SplittableRandom random = new SplittableRandom(3);
        int size = 192;
        int found = 0;
        for (int round = 0; round < 12; round++) {
            float[] seeds = new float[size * size];
            float[] stains = new float[2 * size * size];
            int count = 5 + random.nextInt(round % 2 == 0 ? 40 : 400);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    stains[y * size + x] = (float) (0.1 + 0.05 * Math.sin(x / 9.0 + round) * Math.cos(y / 7.0));
                    stains[size * size + y * size + x] = (float) (0.2 * Math.cos(x / 11.0) - 0.02 * round);
                }
            }
            for (int i = 0; i < count; i++) {
                int sx = random.nextInt(size);
                int sy = random.nextInt(size);
                seeds[sy * size + sx] = 1;
                double r = 2 + random.nextDouble() * 8;
                for (int y = Math.max(0, (int) (sy - r)); y < Math.min(size, sy + r + 1); y++) {
                    for (int x = Math.max(0, (int) (sx - r)); x < Math.min(size, sx + r + 1); x++) {
                        double d = Math.hypot(x - sx, y - sy) / r;
                        if (d < 1) {
                            stains[y * size + x] += (float) (0.8 * (1 - d * d));
                        }
                    }
                }
            }
            int[] keep = {16, 16, size - 16, size - 16};
            double mpp = round % 3 == 0 ? 0.25 : 0.5;
            List<Cell> cells =
                    new CellExtractor(mpp, CellClassifier.defaults()).extract(seeds, stains, size, size, keep);
            List<Cell> expected =
                    new CellExtractorReference(mpp, CellClassifier.defaults()).extract(seeds, stains, size, size, keep);
            assertThat(cells).hasSameSizeAs(expected);
            found += cells.size();
            for (int i = 0; i < cells.size(); i++) {
                Cell a = cells.get(i);
                Cell b = expected.get(i);
                assertThat(a.polygon()).containsExactly(b.polygon());
                assertThat(List.of(
                                a.x(),
                                a.y(),
                                a.areaUm2(),
                                a.perimeterUm(),
                                a.eccentricity(),
                                a.elongation(),
                                a.meanHaematoxylin(),
                                a.meanEosin()))
                        .containsExactly(
                                b.x(),
                                b.y(),
                                b.areaUm2(),
                                b.perimeterUm(),
                                b.eccentricity(),
                                b.elongation(),
                                b.meanHaematoxylin(),
                                b.meanEosin());
                assertThat(a.cellClass()).isEqualTo(b.cellClass());
            }
        }
        assertThat(found).as("cells compared").isGreaterThan(100);
    }
}
