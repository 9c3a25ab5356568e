package org.tessera.worker.tiling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tessera.slides.SlideLevel;

class TilePlanTest {

    /** A 40x-like pyramid: 0.25 µm/px at level 0, then 4x and 16x downsamples. */
    private static final List<SlideLevel> PYRAMID =
            List.of(new SlideLevel(10_000, 8_000, 1), new SlideLevel(2_500, 2_000, 4), new SlideLevel(625, 500, 16));

    private static TilePlan plan(double targetMpp, int tileSize, int overlap) {
        return TilePlan.of(new TilePlan.Request(PYRAMID, 0.25, targetMpp, tileSize, overlap, null, 0));
    }

    @ParameterizedTest(name = "target {0} µm/px reads level {1} with scale {2}")
    @CsvSource({
        "0.25, 0, 1.0, 0.25", // exactly level 0
        "0.20, 0, 1.0, 0.25", // finer than the scan: never upsample
        "0.50, 0, 2.0, 0.50", // between levels 0 and 1: downsample level 0
        "1.00, 1, 1.0, 1.00", // exactly level 1
        "1.01, 1, 1.0, 1.00", // within tolerance of level 1: read it as is
        "1.10, 1, 1.1, 1.10", // just coarser than level 1: resample it
        "8.00, 2, 2.0, 8.00", // beyond the last level: downsample the last level
    })
    void choosesTheCoarsestLevelAtLeastAsFineAsTheTarget(double target, int level, double scale, double analysisMpp) {
        TilePlan plan = plan(target, 256, 0);

        assertThat(plan.level()).isEqualTo(level);
        assertThat(plan.scale()).isCloseTo(scale, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plan.analysisMpp()).isCloseTo(analysisMpp, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void analysisSizeFollowsTheScale() {
        TilePlan plan = plan(0.5, 256, 0);

        assertThat(plan.analysisWidth()).isEqualTo(5_000);
        assertThat(plan.analysisHeight()).isEqualTo(4_000);
        assertThat(plan.columns()).isEqualTo(20); // 19 full tiles and one of 136 px
        assertThat(plan.rows()).isEqualTo(16); // 15 full tiles and one of 160 px
        assertThat(plan.tiles()).hasSize(320);
    }

    @Test
    void edgeTilesHoldOnlyTheSlideDataThatIsThere() {
        TilePlan plan = plan(0.5, 256, 0);
        Tile corner = plan.tiles().getLast();

        assertThat(corner.column()).isEqualTo(19);
        assertThat(corner.row()).isEqualTo(15);
        assertThat(corner.width()).isEqualTo(5_000 - 19 * 256);
        assertThat(corner.height()).isEqualTo(4_000 - 15 * 256);
        assertThat(corner.isEdge(256)).isTrue();
        assertThat(plan.tiles().getFirst().isEdge(256)).isFalse();
        // The read region ends exactly at the level's edge.
        assertThat(corner.read().x() + corner.read().width()).isEqualTo(10_000);
        assertThat(corner.read().y() + corner.read().height()).isEqualTo(8_000);
    }

    @Test
    void aSlideSmallerThanATileIsOneTile() {
        TilePlan plan =
                TilePlan.of(new TilePlan.Request(List.of(new SlideLevel(100, 60, 1)), 0.5, 0.5, 256, 32, null, 0));

        assertThat(plan.tiles()).singleElement().satisfies(tile -> {
            assertThat(tile.width()).isEqualTo(100);
            assertThat(tile.height()).isEqualTo(60);
            assertThat(tile.read()).isEqualTo(new Tile.Region(0, 0, 0, 100, 60));
        });
    }

    @Test
    void overlappingTilesShareExactlyTheOverlap() {
        TilePlan plan = plan(1.0, 256, 32);
        Tile first = plan.tiles().get(0);
        Tile second = plan.tiles().get(1);

        assertThat(second.x() - first.x()).isEqualTo(224);
        assertThat(first.x() + first.width() - second.x()).isEqualTo(32);
    }

    /** Invariants over many random pyramids, resolutions, tile sizes and overlaps. */
    @Test
    void everyAnalysisPixelIsCoveredAndEveryReadStaysOnTheLevel() {
        SplittableRandom random = new SplittableRandom(42);
        for (int trial = 0; trial < 300; trial++) {
            int width = 1 + random.nextInt(5_000);
            int height = 1 + random.nextInt(5_000);
            List<SlideLevel> levels = List.of(
                    new SlideLevel(width, height, 1),
                    new SlideLevel(Math.max(1, width / 2), Math.max(1, height / 2), 2),
                    new SlideLevel(Math.max(1, width / 8), Math.max(1, height / 8), 8));
            double mpp0 = 0.2 + random.nextDouble();
            double target = mpp0 * (0.5 + random.nextDouble() * 12);
            int tileSize = 16 + random.nextInt(300);
            int overlap = random.nextInt(tileSize);
            TilePlan plan = TilePlan.of(new TilePlan.Request(levels, mpp0, target, tileSize, overlap, null, 0));
            SlideLevel source = levels.get(plan.level());

            assertThat(plan.scale()).isGreaterThanOrEqualTo(1);
            assertThat(plan.tiles()).hasSize(plan.columns() * plan.rows());
            long coveredX = 0;
            long coveredY = 0;
            for (Tile tile : plan.tiles()) {
                Tile.Region read = tile.read();
                // Plain checks: assertion objects per tile would make this test slow.
                boolean ok = tile.width() >= 1
                        && tile.width() <= tileSize
                        && tile.height() >= 1
                        && tile.height() <= tileSize
                        && tile.x() + tile.width() <= plan.analysisWidth()
                        && tile.y() + tile.height() <= plan.analysisHeight()
                        && read.x() >= 0
                        && read.y() >= 0
                        && read.width() > 0
                        && read.height() > 0
                        && read.x() + read.width() <= source.width()
                        && read.y() + read.height() <= source.height()
                        // The read box covers the tile's footprint on the level.
                        && read.x() <= tile.x() * plan.scale() + 1e-6
                        && read.x() + read.width()
                                >= Math.min(source.width(), (long) Math.floor((tile.x() + tile.width()) * plan.scale()))
                        && read.y() + read.height()
                                >= Math.min(
                                        source.height(), (long) Math.floor((tile.y() + tile.height()) * plan.scale()));
                if (!ok) {
                    throw new AssertionError("trial " + trial + ": bad " + tile + " in " + plan.level() + "/"
                            + plan.scale() + " of " + source);
                }
                if (tile.row() == 0) {
                    if (tile.x() > coveredX) {
                        throw new AssertionError("trial " + trial + ": gap before " + tile);
                    }
                    coveredX = Math.max(coveredX, tile.x() + tile.width());
                }
                if (tile.column() == 0) {
                    if (tile.y() > coveredY) {
                        throw new AssertionError("trial " + trial + ": gap above " + tile);
                    }
                    coveredY = Math.max(coveredY, tile.y() + tile.height());
                }
            }
            assertThat(coveredX).as("trial %d", trial).isEqualTo(plan.analysisWidth());
            assertThat(coveredY).as("trial %d", trial).isEqualTo(plan.analysisHeight());
        }
    }

    @Test
    void theMaskKeepsOnlyTilesOnTissue() {
        // Tissue only in the top-left quarter of a 10,000 x 8,000 slide; mask cells of 100 level-0 pixels.
        boolean[] cells = new boolean[100 * 80];
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 50; x++) {
                cells[y * 100 + x] = true;
            }
        }
        TissueMask mask = new TissueMask(100, 80, 100, cells);
        TilePlan all = plan(1.0, 250, 0);
        TilePlan onTissue = TilePlan.of(new TilePlan.Request(PYRAMID, 0.25, 1.0, 250, 0, mask, 0));

        // Level 1 (1 µm/px) is 2,500 x 2,000: 10 x 8 tiles of 250; tissue covers 5 x 4 of them.
        assertThat(all.tiles()).hasSize(80);
        assertThat(onTissue.tiles()).hasSize(20);
        assertThat(onTissue.gridSize()).isEqualTo(80);
        assertThat(onTissue.tiles()).allSatisfy(tile -> {
            assertThat(tile.column()).isLessThan(5);
            assertThat(tile.row()).isLessThan(4);
        });
    }

    @Test
    void theTissueFractionThresholdDropsTilesThatBarelyTouchTissue() {
        // A single tissue cell at the corner of the first tile.
        boolean[] cells = new boolean[100 * 80];
        cells[0] = true;
        TissueMask mask = new TissueMask(100, 80, 100, cells);

        assertThat(TilePlan.of(new TilePlan.Request(PYRAMID, 0.25, 1.0, 250, 0, mask, 0))
                        .tiles())
                .hasSize(1);
        assertThat(TilePlan.of(new TilePlan.Request(PYRAMID, 0.25, 1.0, 250, 0, mask, 0.5))
                        .tiles())
                .isEmpty();
    }

    @Test
    void invalidRequestsNameWhatIsWrong() {
        assertThatThrownBy(() -> new TilePlan.Request(List.of(), 0.25, 0.5, 256, 0, null, 0))
                .hasMessageContaining("at least one level");
        assertThatThrownBy(() -> new TilePlan.Request(PYRAMID, 0, 0.5, 256, 0, null, 0))
                .hasMessageContaining("resolutions must be positive");
        assertThatThrownBy(() -> new TilePlan.Request(PYRAMID, 0.25, 0.5, 256, 256, null, 0))
                .hasMessageContaining("overlap < tileSize");
        assertThatThrownBy(() -> new TilePlan.Request(PYRAMID, 0.25, 0.5, 256, 0, null, 1.5))
                .hasMessageContaining("minTissueFraction");
        assertThatThrownBy(() -> new TissueMask(2, 2, 1, new boolean[3])).hasMessageContaining("needs 4 cells");
    }

    @Test
    void tissueFractionCountsCellsUnderARectangle() {
        boolean[] cells = {true, false, true, true};
        TissueMask mask = new TissueMask(2, 2, 10, cells);

        assertThat(mask.tissueFraction(0, 0, 20, 20)).isEqualTo(0.75);
        assertThat(mask.tissueFraction(10, 0, 10, 10)).isZero();
        assertThat(mask.tissueFraction(0, 10, 20, 10)).isEqualTo(1.0);
        assertThat(mask.tissueFraction(5, 5, 1, 1)).isEqualTo(1.0);
        assertThat(mask.tissueFraction(100, 100, 10, 10)).isZero();
    }
}
