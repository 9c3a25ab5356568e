package org.tessera.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DicomWsiRoundTripTest {

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 700;
    private static final double MPP = 0.25;

    @TempDir
    Path dir;

    static DicomWsiWriter.Options options() {
        AtomicInteger counter = new AtomicInteger();
        return DicomWsiWriter.Options.defaults(MPP)
                .withJpegQuality(0.9f)
                .withUids(() -> "1.2.826.0.1.3680043.10.1." + counter.incrementAndGet())
                .withClock(Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"), ZoneOffset.UTC));
    }

    private DicomWsiWriter.WrittenSeries writeFull(Path target) throws IOException {
        return DicomWsiWriter.write(target, WIDTH, HEIGHT, options(), TestPattern.source(256, (l, x, y) -> false));
    }

    @Test
    void tiledFullSeriesReadsBackLevelsPixelSizeAndPixels() throws IOException {
        DicomWsiWriter.WrittenSeries written = writeFull(dir.resolve("series"));

        assertThat(written.files()).hasSize(3);
        assertThat(written.levels())
                .extracting(DicomWsiWriter.WrittenLevel::width, DicomWsiWriter.WrittenLevel::height)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1000, 700),
                        org.assertj.core.groups.Tuple.tuple(500, 350),
                        org.assertj.core.groups.Tuple.tuple(250, 175));
        try (DicomWsiReader reader = DicomWsiReader.open(dir.resolve("series"))) {
            assertThat(reader.seriesInstanceUid()).isEqualTo(written.seriesUid());
            assertThat(reader.studyInstanceUid()).isEqualTo(written.studyUid());
            assertThat(reader.associatedImages()).isEmpty();
            List<DicomLevel> levels = reader.levels();
            assertThat(levels).hasSize(3);
            DicomLevel base = levels.getFirst();
            assertThat(base.width()).isEqualTo(1000);
            assertThat(base.height()).isEqualTo(700);
            assertThat(base.tileWidth()).isEqualTo(256);
            assertThat(base.tileHeight()).isEqualTo(256);
            assertThat(base.tilesAcross()).isEqualTo(4);
            assertThat(base.tilesDown()).isEqualTo(3);
            assertThat(base.frames()).isEqualTo(12);
            assertThat(base.organization()).isEqualTo(DimensionOrganization.TILED_FULL);
            assertThat(base.transferSyntaxUid()).isEqualTo(DicomUids.JPEG_BASELINE);
            assertThat(base.micronsPerPixelX()).isCloseTo(0.25, within(1e-9));
            assertThat(base.micronsPerPixelY()).isCloseTo(0.25, within(1e-9));
            assertThat(levels.get(1).downsample()).isCloseTo(2.0, within(1e-9));
            assertThat(levels.get(1).micronsPerPixelX()).isCloseTo(0.5, within(1e-9));
            assertThat(levels.get(2).width()).isEqualTo(250);
            assertThat(levels.get(2).downsample()).isCloseTo(4.0, within(1e-9));
            assertThat(levels.get(2).tilesAcross()).isEqualTo(1);

            for (int level = 0; level < 3; level++) {
                DicomLevel info = levels.get(level);
                for (int ty = 0; ty < info.tilesDown(); ty++) {
                    for (int tx = 0; tx < info.tilesAcross(); tx++) {
                        int[] tile = reader.readTile(level, tx, ty);
                        assertThat(tile).hasSize(256 * 256);
                        TestPattern.assertMatches(tile, level, tx * 256, ty * 256, 256, 256);
                    }
                }
            }
        }
    }

    @Test
    void regionReadsSpanTileBordersAndEdges() throws IOException {
        writeFull(dir);
        try (DicomWsiReader reader = DicomWsiReader.open(dir)) {
            int[] region = new int[400 * 300];
            reader.readRegion(0, 200, 200, 400, 300, region);
            TestPattern.assertMatches(region, 0, 200, 200, 400, 300);

            // Crosses the right and bottom edges: inside matches the image, outside is white.
            int[] edge = new int[200 * 100];
            reader.readRegion(0, 900, 650, 200, 100, edge);
            int[] inside = new int[100 * 50];
            for (int y = 0; y < 50; y++) {
                System.arraycopy(edge, y * 200, inside, y * 100, 100);
                TestPattern.assertWhite(edge, y * 200 + 100, y * 200 + 200);
            }
            TestPattern.assertMatches(inside, 0, 900, 650, 100, 50);
            TestPattern.assertWhite(edge, 50 * 200, 100 * 200);

            int[] level1 = new int[120 * 90];
            reader.readRegion(1, 200, 200, 120, 90, level1);
            TestPattern.assertMatches(level1, 1, 200, 200, 120, 90);

            int[] outside = new int[10 * 10];
            reader.readRegion(0, -50, -50, 10, 10, outside);
            TestPattern.assertWhite(outside, 0, 100);
        }
    }

    @Test
    void singleFileListOfFilesAndZipOpenTheSameSeries() throws IOException {
        DicomWsiWriter.WrittenSeries written = writeFull(dir.resolve("series"));

        try (DicomWsiReader single = DicomWsiReader.open(written.files().get(1))) {
            assertThat(single.levels()).hasSize(1);
            assertThat(single.level(0).width()).isEqualTo(500);
            assertThat(single.level(0).downsample()).isEqualTo(1.0);
            assertThat(single.level(0).micronsPerPixelX()).isCloseTo(0.5, within(1e-9));
            TestPattern.assertMatches(single.readTile(0, 1, 1), 1, 256, 256, 256, 256);
        }

        List<Path> reversed = new ArrayList<>(written.files()).reversed();
        try (DicomWsiReader list = DicomWsiReader.open(reversed)) {
            assertThat(list.levels()).extracting(DicomLevel::width).containsExactly(1000, 500, 250);
        }

        Path zip = dir.resolve("slide.zip");
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        DicomWsiWriter.writeZip(zip, WIDTH, HEIGHT, options(), TestPattern.source(256, (l, x, y) -> false));
        try (DicomWsiReader reader = DicomWsiReader.open(
                zip,
                DicomWsiReader.Options.defaults().withScratchDirectory(scratch).withMaxExtractedBytes(1L << 30))) {
            assertThat(reader.levels()).extracting(DicomLevel::width).containsExactly(1000, 500, 250);
            assertThat(reader.level(0).source()).isEqualTo("slide.zip!level-0.dcm");
            int[] region = new int[300 * 300];
            reader.readRegion(0, 100, 100, 300, 300, region);
            TestPattern.assertMatches(region, 0, 100, 100, 300, 300);
        }
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).as("extracted entries are deleted on close").isEmpty();
        }
    }

    @Test
    void tiledSparseSkipsEmptyTilesAndReadsThemAsWhite() throws IOException {
        TestPattern.TileFilter empty = (level, tx, ty) -> level == 0 && (tx + ty) % 3 == 0;
        DicomWsiWriter.WrittenSeries written = DicomWsiWriter.write(
                dir,
                WIDTH,
                HEIGHT,
                options().withOrganization(DimensionOrganization.TILED_SPARSE),
                TestPattern.source(256, empty));
        assertThat(written.levels().getFirst().frames()).isEqualTo(8);

        try (DicomWsiReader reader = DicomWsiReader.open(dir)) {
            DicomLevel base = reader.level(0);
            assertThat(base.organization()).isEqualTo(DimensionOrganization.TILED_SPARSE);
            assertThat(base.frames()).isEqualTo(8);
            for (int ty = 0; ty < 3; ty++) {
                for (int tx = 0; tx < 4; tx++) {
                    int[] tile = reader.readTile(0, tx, ty);
                    if (empty.test(0, tx, ty)) {
                        TestPattern.assertWhite(tile, 0, tile.length);
                    } else {
                        TestPattern.assertMatches(tile, 0, tx * 256, ty * 256, 256, 256);
                    }
                }
            }
            // Tile (0,0) is empty, (1,0) is not: the region shows both.
            int[] region = new int[100 * 100];
            reader.readRegion(0, 200, 50, 100, 100, region);
            for (int y = 0; y < 100; y++) {
                TestPattern.assertWhite(region, y * 100, y * 100 + 56);
            }
            int[] right = new int[44 * 100];
            for (int y = 0; y < 100; y++) {
                System.arraycopy(region, y * 100 + 56, right, y * 44, 44);
            }
            TestPattern.assertMatches(right, 0, 256, 50, 44, 100);
            assertThat(reader.level(1).frames()).isEqualTo(4);
        }
    }

    @Test
    void extendedOffsetTableAndNoOffsetTableBothIndexFrames() throws IOException {
        for (DicomWsiWriter.OffsetTable table :
                List.of(DicomWsiWriter.OffsetTable.EXTENDED, DicomWsiWriter.OffsetTable.NONE)) {
            Path target = dir.resolve(table.name());
            DicomWsiWriter.write(
                    target,
                    WIDTH,
                    HEIGHT,
                    options().withOffsetTable(table),
                    TestPattern.source(256, (l, x, y) -> false));
            byte[] bytes = Files.readAllBytes(target.resolve("level-0.dcm"));
            assertThat(indexOf(bytes, new byte[] {(byte) 0xE0, 0x7F, 0x01, 0x00, 'O', 'V'}) >= 0)
                    .as("file has the Extended Offset Table")
                    .isEqualTo(table == DicomWsiWriter.OffsetTable.EXTENDED);
            try (DicomWsiReader reader = DicomWsiReader.open(target)) {
                for (int ty = 0; ty < 3; ty++) {
                    for (int tx = 0; tx < 4; tx++) {
                        TestPattern.assertMatches(reader.readTile(0, tx, ty), 0, tx * 256, ty * 256, 256, 256);
                    }
                }
            }
        }
    }

    @Test
    void concurrentReadersGetTheSameTilesAndSurviveAnInterruptedReader() throws Exception {
        writeFull(dir);
        try (DicomWsiReader reader = DicomWsiReader.open(dir)) {
            int[][] expected = new int[12][];
            for (int i = 0; i < 12; i++) {
                expected[i] = reader.readTile(0, i % 4, i / 4);
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Callable<Boolean>> reads = new ArrayList<>();
                for (int n = 0; n < 96; n++) {
                    int i = n % 12;
                    reads.add(() -> java.util.Arrays.equals(reader.readTile(0, i % 4, i / 4), expected[i]));
                }
                for (Future<Boolean> same : pool.invokeAll(reads)) {
                    assertThat(same.get()).isTrue();
                }
            } finally {
                pool.shutdown();
            }

            // An interrupted read closes a FileChannel for everybody; the reader reopens it for the next read.
            Thread.currentThread().interrupt();
            try {
                reader.readTile(0, 1, 1);
            } catch (java.nio.channels.ClosedByInterruptException expectedInterrupt) {
                // the interrupted caller is told
            } finally {
                Thread.interrupted();
            }
            assertThat(reader.readTile(0, 2, 1)).isEqualTo(expected[6]);
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
