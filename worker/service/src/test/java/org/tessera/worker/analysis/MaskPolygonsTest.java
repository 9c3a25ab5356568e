package org.tessera.worker.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskPolygonsTest {

    private static ClassMap map(String... rows) {
        int width = rows[0].length();
        byte[] values = new byte[width * rows.length];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < width; x++) {
                values[y * width + x] = (byte) (rows[y].charAt(x) - '0');
            }
        }
        return new ClassMap(width, rows.length, values, 1, width, rows.length, 1, SlideAnalyzer.QC_CLASSES);
    }

    @Test
    void squareBecomesFourCorners() {
        List<MaskPolygons.Polygon> polygons = MaskPolygons.trace(map("000", "011", "011"), 1);
        assertThat(polygons).hasSize(1);
        MaskPolygons.Polygon square = polygons.getFirst();
        assertThat(square.exterior().coordinates()).containsExactly(1, 1, 3, 1, 3, 3, 1, 3, 1, 1);
        assertThat(square.holes()).isEmpty();
        assertThat(square.area()).isEqualTo(4);
    }

    @Test
    void ringKeepsItsHoleWithOppositeOrientation() {
        List<MaskPolygons.Polygon> polygons = MaskPolygons.trace(map("11111", "10001", "10001", "11111"), 1);
        assertThat(polygons).hasSize(1);
        MaskPolygons.Polygon ring = polygons.getFirst();
        assertThat(ring.exterior().signedArea()).isEqualTo(20);
        assertThat(ring.holes()).hasSize(1);
        assertThat(ring.holes().getFirst().signedArea()).isEqualTo(-6);
        assertThat(ring.area()).isEqualTo(14);
    }

    @Test
    void diagonalNeighboursStaySeparatePieces() {
        List<MaskPolygons.Polygon> polygons = MaskPolygons.trace(map("10", "01"), 1);
        assertThat(polygons).hasSize(2);
        assertThat(polygons).allSatisfy(p -> {
            assertThat(p.area()).isEqualTo(1);
            assertThat(p.exterior().points()).isEqualTo(5);
        });
    }

    @Test
    void areaOfEveryPieceAddsUpToThePixelCount() {
        ClassMap map = map("0110110", "1111010", "0101110", "1100011", "0111110");
        int pixels = 0;
        for (byte b : map.values()) {
            pixels += b;
        }
        double area = MaskPolygons.trace(map, 1).stream()
                .mapToDouble(MaskPolygons.Polygon::area)
                .sum();
        assertThat(area).isEqualTo(pixels);
    }

    @Test
    void otherClassesAreIgnored() {
        assertThat(MaskPolygons.trace(map("000", "000"), 1)).isEmpty();
        assertThat(MaskPolygons.trace(map("220", "000"), 1)).isEmpty();
    }

    /**
     * The tracer walks pixel edges in place; it must return exactly what the edge-list tracer it replaced returned:
     * the same pieces in the same order, the same rings starting at the same corner. Maps of scattered pixels (many
     * diagonal contacts), blobs with holes, and several classes side by side.
     */
    @Test
    void sameRingsAsTheEdgeListTracer() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 60; round++) {
            int width = 1 + random.nextInt(70);
            int height = 1 + random.nextInt(70);
            byte[] values = new byte[width * height];
            int classes = 1 + random.nextInt(4);
            double smooth = random.nextDouble();
            for (int i = 0; i < values.length; i++) {
                boolean keep = i > 0 && random.nextDouble() < smooth;
                values[i] = keep
                        ? values[i - (i >= width && random.nextBoolean() ? width : 1)]
                        : (byte) random.nextInt(classes + 1);
            }
            ClassMap map =
                    new ClassMap(width, height, values, 8, width * 8, height * 8, 0.25, SlideAnalyzer.QC_CLASSES);
            for (int c = 0; c <= classes; c++) {
                List<MaskPolygons.Polygon> traced = MaskPolygons.trace(map, c);
                List<MaskPolygonsReference.Polygon> expected = MaskPolygonsReference.trace(map, c);
                assertThat(traced).hasSameSizeAs(expected);
                for (int p = 0; p < traced.size(); p++) {
                    assertThat(traced.get(p).exterior().coordinates())
                            .as("round %d class %d piece %d", round, c, p)
                            .containsExactly(expected.get(p).exterior().coordinates());
                    assertThat(traced.get(p).holes())
                            .hasSameSizeAs(expected.get(p).holes());
                    for (int h = 0; h < traced.get(p).holes().size(); h++) {
                        assertThat(traced.get(p).holes().get(h).coordinates())
                                .containsExactly(expected.get(p).holes().get(h).coordinates());
                    }
                }
            }
        }
    }
}
