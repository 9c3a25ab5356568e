package org.tessera.models.cells;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The ink screen: an outline is ink when its eosin ratio is negative and well under that of the tile's outlines, or
 * under the slide's reference when the worker measured one.
 */
class CellExtractorInkTest {

    private static final int SIZE = 256;

    /** A 4 × 4 grid of round blobs (13 px radius, peak haematoxylin h, eosin e × the haematoxylin). */
    private static float[][] tile(double[] h, double[] ratio) {
        float[] seeds = new float[SIZE * SIZE];
        float[] stains = new float[2 * SIZE * SIZE];
        for (int i = 0; i < 16; i++) {
            int cx = 32 + 64 * (i % 4);
            int cy = 32 + 64 * (i / 4);
            seeds[cy * SIZE + cx] = 1;
            for (int y = cy - 13; y <= cy + 13; y++) {
                for (int x = cx - 13; x <= cx + 13; x++) {
                    double d = Math.hypot(x - cx, y - cy) / 13;
                    if (d < 1) {
                        double value = h[i] * (1 - d * d);
                        stains[y * SIZE + x] = (float) value;
                        stains[SIZE * SIZE + y * SIZE + x] = (float) (ratio[i] * value);
                    }
                }
            }
        }
        return new float[][] {seeds, stains};
    }

    private static List<Cell> extract(float[][] tile, CellExtractor extractor) {
        return extractor.extract(tile[0], tile[1], SIZE, SIZE, new int[] {0, 0, SIZE, SIZE});
    }

    private static double[] filled(double value) {
        double[] v = new double[16];
        Arrays.fill(v, value);
        return v;
    }

    @Test
    void nucleiThatAllLeanToNegativeEosinAreKeptAndInkAmongThemIsNot() {
        double[] ratio = filled(-0.2);
        ratio[5] = -0.6;
        ratio[10] = -0.6;
        List<Cell> cells = extract(tile(filled(1.2), ratio), new CellExtractor(0.5, CellClassifier.defaults()));
        assertThat(cells).hasSize(14);
        assertThat(cells).allMatch(c -> c.meanEosin() / c.meanHaematoxylin() > -0.3);
        // Dropping every outline with negative eosin, as before, would have left nothing.
        assertThat(extract(
                        tile(filled(1.2), ratio),
                        new CellExtractor(0.5, CellClassifier.defaults(), Double.NEGATIVE_INFINITY)))
                .isEmpty();
    }

    @Test
    void inkWithLittleNegativeEosinAmongOrdinaryNucleiIsDropped() {
        double[] ratio = filled(0.12);
        ratio[0] = -0.04;
        ratio[15] = -0.04;
        List<Cell> cells = extract(tile(filled(1.0), ratio), new CellExtractor(0.5, CellClassifier.defaults()));
        assertThat(cells).hasSize(14);
        assertThat(cells).allMatch(c -> c.meanEosin() > 0);
    }

    @Test
    void aTileWithTooFewOutlinesFallsBackToTheFittedStainsRatio() {
        double[] h = filled(1.0);
        double[] ratio = filled(-0.2);
        // Only 6 seeds, so 6 outlines.
        float[][] tile = tile(h, ratio);
        for (int i = 6; i < 16; i++) {
            tile[0][(32 + 64 * (i / 4)) * SIZE + 32 + 64 * (i % 4)] = 0;
        }
        assertThat(extract(tile, new CellExtractor(0.5, CellClassifier.defaults())))
                .as("under %d outlines every negative eosin ratio is ink", CellExtractor.MIN_OUTLINES_FOR_REFERENCE)
                .isEmpty();
        assertThat(extract(tile, new CellExtractor(0.5, CellClassifier.defaults(), Double.POSITIVE_INFINITY)))
                .hasSize(6);
    }

    @Test
    void aTileOfFewOutlinesIsJudgedAgainstTheSlidesReferenceWhenThereIsOne() {
        float[][] tile = tile(filled(1.0), filled(-0.2));
        for (int i = 6; i < 16; i++) {
            tile[0][(32 + 64 * (i / 4)) * SIZE + 32 + 64 * (i % 4)] = 0;
        }
        CellExtractor extractor = new CellExtractor(0.5, CellClassifier.defaults());
        assertThat(extract(tile, extractor)).isEmpty();
        assertThat(extract(tile, extractor.withSlideReference(OptionalDouble.of(-0.2))))
                .as("the slide's nuclei all lean to negative eosin, so these six are nuclei")
                .hasSize(6);
    }

    @Test
    void inkThatGivesMostOfATilesOutlinesIsDroppedAgainstTheSlidesReference() {
        double[] ratio = filled(-0.5);
        for (int i = 0; i < 6; i++) {
            ratio[i] = 0.12;
        }
        float[][] tile = tile(filled(1.0), ratio);
        CellExtractor extractor = new CellExtractor(0.5, CellClassifier.defaults());
        assertThat(extract(tile, extractor))
                .as("ten ink outlines are the tile's median, so the tile alone keeps them")
                .hasSize(16);
        List<Cell> cells = extract(tile, extractor.withSlideReference(OptionalDouble.of(0.12)));
        assertThat(cells).hasSize(6).allMatch(c -> c.meanEosin() > 0);
    }

    @Test
    void theSlidesReferenceIsTheMedianOfTheOutlinesOfADozenTilesSpreadOverThePlan() {
        List<Integer> plan = IntStream.range(0, 100).boxed().toList();
        List<Integer> chosen = CellExtractor.referenceTiles(plan);
        assertThat(chosen)
                .hasSize(CellExtractor.REFERENCE_TILES)
                .doesNotHaveDuplicates()
                .isSorted();
        assertThat(chosen.getFirst()).isLessThan(10);
        assertThat(chosen.getLast()).isGreaterThan(90);
        assertThat(CellExtractor.referenceTiles(plan.subList(0, 5))).containsExactly(0, 1, 2, 3, 4);

        double[] ratio = filled(-0.1);
        ratio[3] = -0.9;
        CellExtractor none = new CellExtractor(0.5, CellClassifier.defaults(), Double.POSITIVE_INFINITY);
        float[][] tile = tile(filled(1.0), ratio);
        List<Cell> outlines = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            outlines.addAll(none.outlines(tile[0], tile[1], SIZE, SIZE));
        }
        assertThat(CellExtractor.slideReference(outlines)).hasValueCloseTo(-0.1, within(0.02));
        assertThat(CellExtractor.slideReference(outlines.subList(0, 16)))
                .as("under %d outlines there is no reference", CellExtractor.MIN_OUTLINES_FOR_SLIDE_REFERENCE)
                .isEmpty();
    }

    @Test
    void anInkMarginThatIsNoNumberIsRefused() {
        assertThatThrownBy(() -> new CellExtractor(0.5, CellClassifier.defaults(), Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inkMargin");
    }
}
