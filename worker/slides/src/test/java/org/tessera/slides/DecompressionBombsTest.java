package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tessera.imaging.synthetic.BadSlides;
import org.tessera.slides.SlideFormatException.Code;

/**
 * Small generated files that declare huge sizes, read the way the worker reads them ({@link SlideReaders} and the
 * backend the support scores choose). Each is refused with its own code before anything large is allocated: the heap
 * the reading thread allocates is measured, and the scratch space a zip is extracted to is checked afterwards.
 */
@Timeout(120)
class DecompressionBombsTest {

    private static final String NAME = "whole_slide_image of item bomb-1";

    /** More than any refusal needs (headers, tables, one decoder), far less than what the files declare. */
    private static final long SMALL = 48L << 20;

    @TempDir
    Path dir;

    /** Opens the file and reads both ends of level 0, as a pipeline would, on this thread. */
    private static HeapAllocations.Measured read(SlideReaders readers, Path file) {
        return HeapAllocations.measure(() -> {
            try (SlideReader reader = readers.open(file, NAME)) {
                SlideLevel level = reader.info().levels().getFirst();
                int[] pixels = new int[64 * 64];
                reader.readPixels(0, 0, 0, 64, 64, pixels);
                reader.readPixels(0, level.width() - 64, level.height() - 64, 64, 64, pixels);
            }
        });
    }

    private static void assertRefused(HeapAllocations.Measured measured, Code code, String... messageParts) {
        assertThat(measured.thrown())
                .isInstanceOfSatisfying(
                        SlideFormatException.class,
                        e -> assertThat(e.code()).as(e.getMessage()).isEqualTo(code))
                .hasMessageContaining(NAME)
                .message()
                .contains(messageParts);
        assertThat(measured.bytes()).as("bytes allocated while refusing").isLessThan(SMALL);
    }

    @Test
    void aJpegTileWhoseHeaderClaimsMoreThanItsTileIsRefusedByLibjpegTurbo() throws Exception {
        TiffSlideReaderProvider turbo = new TiffSlideReaderProvider(true);
        assumeThat(turbo.jpegDecoder().libjpegTurbo())
                .as("libturbojpeg0 is installed")
                .isTrue();
        Path bomb = BadSlides.jpegHeaderBomb(dir.resolve("bomb.tiff"), false, 3).path();
        assertRefused(read(new SlideReaders(List.of(turbo)), bomb), Code.DECOMPRESSION_BOMB, "16000x16000");
        // As the worker reads it: every backend, in their order.
        assertRefused(read(SlideReaders.builtIn(), bomb), Code.DECOMPRESSION_BOMB, "16000x16000");
    }

    /**
     * Streams whose colour space contradicts the TIFF's (RGB photometric over YCbCr JPEG) bypass libjpeg-turbo for
     * the JDK's decoder, which used to decode whatever size the header claimed.
     */
    @Test
    void aJpegTileBombWithAContradictingColourSpaceIsRefusedToo() throws Exception {
        Path bomb =
                BadSlides.jpegHeaderBomb(dir.resolve("rgb-bomb.tiff"), true, 3).path();
        assertRefused(
                read(new SlideReaders(List.of(new TiffSlideReaderProvider(true))), bomb),
                Code.DECOMPRESSION_BOMB,
                "16000x16000");
        assertRefused(read(SlideReaders.builtIn(), bomb), Code.DECOMPRESSION_BOMB, "16000x16000");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theJdkFallbackRefusesJpegTileBombs(boolean rgbPhotometric) throws Exception {
        Path bomb = BadSlides.jpegHeaderBomb(dir.resolve("jdk-bomb.tiff"), rgbPhotometric, 3)
                .path();
        TiffSlideReaderProvider jdk = new TiffSlideReaderProvider(false);
        assertThat(jdk.jpegDecoder().libjpegTurbo()).isFalse();
        assertRefused(read(new SlideReaders(List.of(jdk)), bomb), Code.DECOMPRESSION_BOMB, "16000x16000");
    }

    @ParameterizedTest
    @ValueSource(ints = {16_384, 65_536})
    void tilesOf16384PixelsOrMoreAreRefused(int side) throws Exception {
        Path file = BadSlides.hugeTile(dir.resolve("huge-tile.tiff"), side).path();
        assertThat(Files.size(file)).isLessThan(4096);
        assertRefused(read(SlideReaders.builtIn(), file), Code.TOO_LARGE_DECODED, side + "x" + side);
    }

    @Test
    void aBigTiffTableCountThatOverflowsIsABombNotAnIndexError() throws Exception {
        Path file = BadSlides.tileTableBomb(dir.resolve("overflow.tiff")).path();
        assertRefused(read(SlideReaders.builtIn(), file), Code.DECOMPRESSION_BOMB, "2305843009213693953", "324");
    }

    @Test
    void aLevelOfMoreTilesThanALevelMayHaveIsRefusedBeforeItsTables() throws Exception {
        Path file = BadSlides.tileCountBomb(dir.resolve("tiles.tiff")).path();
        assertRefused(read(SlideReaders.builtIn(), file), Code.DECOMPRESSION_BOMB, "156250000 tiles");
    }

    @Test
    void tenKilobytesOfDicomDeclaringASparseGridAreRefusedWithoutIndexingTheGrid() throws Exception {
        Path file =
                BadSlides.dicomSparseBomb(dir.resolve("sparse.dcm"), 131_072).path();
        assertThat(Files.size(file)).isLessThan(16 << 10);
        assertRefused(read(SlideReaders.builtIn(), file), Code.DECOMPRESSION_BOMB, "8192x8192 tiles");
    }

    @Test
    void sparseLevelsIndexTheirFramesNotTheirGrid() throws Exception {
        // 60 levels of 2^22 tiles, one frame each: indexing grids took 16 MiB a level, indexing frames takes bytes.
        Path zip = BadSlides.dicomSparseLevelsZip(dir.resolve("levels.zip"), 60).path();
        HeapAllocations.Measured opened = HeapAllocations.measure(() -> {
            try (SlideReader reader = SlideReaders.builtIn().open(zip, NAME)) {
                assertThat(reader.info().levels()).hasSize(60);
                int[] pixels = new int[64 * 64];
                reader.readPixels(0, 0, 0, 64, 64, pixels);
                assertThat(pixels[0]).as("the one frame").isNotEqualTo(0xFFFFFFFF);
                reader.readPixels(0, 20_000, 20_000, 64, 64, pixels);
                assertThat(pixels[0]).isEqualTo(0xFFFFFFFF);
            }
        });
        assertThat(opened.thrown()).isNull();
        assertThat(opened.bytes()).isLessThan(SMALL);
    }

    @Test
    void aSeriesOfMoreLevelsThanAllowedIsABomb() throws Exception {
        Path zip = BadSlides.dicomSparseLevelsZip(dir.resolve("levels.zip"), 70).path();
        assertRefused(read(SlideReaders.builtIn(), zip), Code.DECOMPRESSION_BOMB, "more than 64 levels");
    }

    @Test
    void aSeriesOfMoreFilesThanAllowedIsABomb() throws Exception {
        Path zip = BadSlides.dicomSparseLevelsZip(dir.resolve("files.zip"), 10).path();
        SlideLimits eightFiles = new SlideLimits(
                500_000, 40_000_000_000L, 4096, 64L << 20, 1 << 22, 64L << 20, 8L << 30, 256L << 30, 8, 4096, 8, 64);
        assertRefused(read(SlideReaders.builtIn(eightFiles), zip), Code.DECOMPRESSION_BOMB, "more than 8 files");
    }

    @Test
    void aZipBombStopsAtItsAllowanceAndLeavesNothingBehind() throws Exception {
        Path zips = Files.createDirectories(dir.resolve("item"));
        Path zip = BadSlides.zipBomb(zips.resolve("bomb.zip"), 256L << 20).path();
        long size = Files.size(zip);
        assertThat(size).isLessThan(1L << 20);
        assertRefused(read(SlideReaders.builtIn(), zip), Code.DECOMPRESSION_BOMB, "expands beyond");
        try (Stream<Path> left = Files.list(zips)) {
            assertThat(left).as("nothing extracted stays").containsExactly(zip);
        }
    }

    @Test
    void aZipOfTooManyEntriesIsRefusedBeforeTheyAreRead() throws Exception {
        Path zip = BadSlides.zipOfManyEntries(dir.resolve("entries.zip"), 5000).path();
        assertRefused(read(SlideReaders.builtIn(), zip), Code.DECOMPRESSION_BOMB, "5000 entries");
    }
}
