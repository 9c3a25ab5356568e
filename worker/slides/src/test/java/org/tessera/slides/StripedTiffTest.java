package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tessera.imaging.synthetic.StripedTiffWriter;
import org.tessera.imaging.synthetic.StripedTiffWriter.Compression;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.slides.SlideFormatException.Code;

/**
 * Plain striped TIFFs (one image in strips, no tiles, no pyramid) read like pyramids: the full-resolution level from
 * its strips, the levels below built on first use. Every compression the tiled path decodes, TIFF and BigTIFF.
 */
class StripedTiffTest {

    private static final int WIDTH = 1500;
    private static final int HEIGHT = 1100;
    private static final long SEED = 11;

    @TempDir
    static Path dir;

    /** The same slide uncompressed, in strips of 7 rows: the reference every other file is compared with. */
    private static Path reference;

    @BeforeAll
    static void writeReference() throws Exception {
        reference = striped(
                "reference.tiff",
                StripedTiffWriter.Options.of(Compression.NONE, 0.5).withRowsPerStrip(7));
    }

    /** The test's slide, striped as {@code options} say, in {@code name}. */
    private static Path striped(String name, StripedTiffWriter.Options options) throws Exception {
        return SyntheticSlideGenerator.generateStriped(dir.resolve(name), WIDTH, HEIGHT, SEED, options)
                .path();
    }

    private static int[] read(SlideReader reader, int level, int x, int y, int w, int h) throws Exception {
        int[] pixels = new int[w * h];
        reader.readPixels(level, x, y, w, h, pixels);
        return pixels;
    }

    @ParameterizedTest(name = "{0}, {1} rows per strip, BigTIFF {2}")
    @CsvSource({
        "LZW, 5, false",
        "DEFLATE, 16, false",
        "PACKBITS, 1, false",
        "NONE, 1100, true",
        "DEFLATE, 64, true",
        "JPEG, 16, false",
        "JPEG, 32, true"
    })
    void readsEveryCompressionAsTheUncompressedFileReadsIt(Compression compression, int rows, boolean big)
            throws Exception {
        Path file = striped(
                compression + "-" + rows + "-" + big + ".tiff",
                StripedTiffWriter.Options.of(compression, 0.5)
                        .withRowsPerStrip(rows)
                        .withBigTiff(big));
        // JPEG is lossy; everything else gives the very same pixels.
        double tolerance = compression == Compression.JPEG ? 4.0 : 0.0;
        try (SlideReader striped = SlideReaders.builtIn().open(file, "striped");
                SlideReader expected = SlideReaders.builtIn().open(reference, "reference")) {
            assertThat(striped.backend()).isEqualTo(TiffSlideReaderProvider.NAME);
            assertThat(striped.info().levels()).isEqualTo(expected.info().levels());
            assertThat(striped.info().mpp().orElseThrow()).isCloseTo(0.5, offset(1e-3));
            // Unaligned, across strip borders, at the ragged bottom and right edges, and on the built levels.
            for (int[] r : new int[][] {
                {0, 0, 0, 300, 200},
                {0, 613, 397, 511, 203},
                {0, 1300, 1000, 200, 100},
                {1, 100, 90, 400, 300},
                {3, 0, 0, 188, 138}
            }) {
                int[] a = read(striped, r[0], r[1], r[2], r[3], r[4]);
                int[] b = read(expected, r[0], r[1], r[2], r[3], r[4]);
                assertThat(TestSlides.meanDifference(a, b))
                        .as("region %s", List.of(r))
                        .isLessThanOrEqualTo(tolerance);
            }
        }
    }

    @Test
    void levelsBelowAreHalvingsOfTheLevelAbove() throws Exception {
        try (SlideReader reader = SlideReaders.builtIn().open(reference, "reference")) {
            assertThat(reader.info().levels())
                    .extracting(l -> l.width() + "x" + l.height())
                    .containsExactly("1500x1100", "750x550", "375x275", "188x138");
            assertThat(reader.info().levels().get(2).downsample()).isEqualTo(4.0);
            assertThat(reader.info().properties()).containsEntry("tessera.generated-levels", "3");
            int[] full = read(reader, 0, 0, 0, WIDTH, HEIGHT);
            int[] half = read(reader, 1, 0, 0, 750, 550);
            for (int y = 0; y < 550; y += 37) {
                for (int x = 0; x < 750; x += 23) {
                    int[] block = {
                        full[2 * y * WIDTH + 2 * x],
                        full[2 * y * WIDTH + 2 * x + 1],
                        full[(2 * y + 1) * WIDTH + 2 * x],
                        full[(2 * y + 1) * WIDTH + 2 * x + 1]
                    };
                    for (int shift : new int[] {16, 8, 0}) {
                        int sum = 0;
                        for (int p : block) {
                            sum += (p >> shift) & 0xFF;
                        }
                        assertThat((half[y * 750 + x] >> shift) & 0xFF).isEqualTo((sum + 2) >> 2);
                    }
                }
            }
        }
    }

    @Test
    void theBuiltLevelsLeaveNothingBehind() throws Exception {
        Path item = Files.createDirectories(dir.resolve("item"));
        Path slide = Files.copy(reference, item.resolve("slide.tiff"));
        try (SlideReader reader = SlideReaders.builtIn().open(slide, "slide")) {
            read(reader, 2, 0, 0, 100, 100);
            // The scratch file is unlinked once open: even a worker that dies leaves no file behind.
            assertThat(files(item)).containsExactly(slide);
            assertThat(read(reader, 1, 0, 0, 750, 550)).doesNotContain(0);
        }
        assertThat(files(item)).containsExactly(slide);
    }

    @Test
    void levelsThatWouldTakeMoreScratchThanAllowedAreLeftOut() throws Exception {
        // 750x550 takes 9 tiles of 196,608 bytes; the coarser two take 4 and 1.
        SlideLimits limits = SlideLimits.defaults().withMaxScratchBytes(5L * 256 * 256 * 3);
        try (SlideReader reader = SlideReaders.builtIn(limits).open(reference, "reference")) {
            assertThat(reader.info().levels())
                    .extracting(l -> l.width() + "x" + l.height())
                    .containsExactly("1500x1100", "375x275", "188x138");
            assertThat(read(reader, 1, 0, 0, 375, 275)).doesNotContain(0);
        }
    }

    @Test
    void stripsAreCachedWithinTheirBudget() throws Exception {
        Path file = striped("cached.tiff", StripedTiffWriter.Options.of(Compression.DEFLATE, 0.5));
        long strip = 4L * WIDTH * 16;
        SlideLimits limits = SlideLimits.defaults().withStripCacheBytes(10 * strip);
        try (SlideReader reader = SlideReaders.builtIn(limits).open(file, "cached")) {
            TiffSlideReader tiff = (TiffSlideReader) reader;
            for (int x = 0; x < WIDTH - 256; x += 256) {
                read(reader, 0, x, 300, 256, 256);
                assertThat(tiff.cachedStripBytes()).isLessThanOrEqualTo(10 * strip);
            }
        }
    }

    @Test
    void aCompressedStripTooLargeToDecodeWholeIsRefused() throws Exception {
        Path file = striped(
                "one-strip.tiff",
                StripedTiffWriter.Options.of(Compression.DEFLATE, 0.5).withRowsPerStrip(HEIGHT));
        SlideLimits small = SlideLimits.defaults().withTileLimits(4096, 4L * WIDTH * 256);
        assertThatThrownBy(() -> SlideReaders.builtIn(small).open(file, "one-strip"))
                .isInstanceOfSatisfying(
                        SlideFormatException.class, e -> assertThat(e.code()).isEqualTo(Code.TOO_LARGE_DECODED))
                .hasMessageContaining("strips of 1500x1100 pixels");
        // Uncompressed, the same strip is read a few rows at a time.
        Path raw = striped(
                "one-raw-strip.tiff",
                StripedTiffWriter.Options.of(Compression.NONE, 0.5).withRowsPerStrip(HEIGHT));
        try (SlideReader reader = SlideReaders.builtIn(small).open(raw, "one-raw-strip");
                SlideReader expected = SlideReaders.builtIn().open(reference, "reference")) {
            assertThat(read(reader, 0, 700, 500, 400, 400)).isEqualTo(read(expected, 0, 700, 500, 400, 400));
        }
    }

    private static List<Path> files(Path directory) throws Exception {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
