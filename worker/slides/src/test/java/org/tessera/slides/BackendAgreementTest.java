package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.imaging.tiff.TiffPyramidWriter;
import org.tessera.openslide.OpenSlide;

/** The backends read the same pixels from the same file, from any number of threads. */
class BackendAgreementTest {

    // Two JPEG decoders (IDCT, chroma upsampling) differ by a level or two on some pixels, never more on average.
    private static final double DECODER_TOLERANCE = 1.5;

    @TempDir
    static Path dir;

    private static SyntheticSlide svs;

    @BeforeAll
    static void generate() throws Exception {
        svs = SyntheticSlideGenerator.generate(dir.resolve("s.svs"), 1900, 1300, 0.25, 7, SyntheticSlideOptions.svs());
    }

    private static int[] read(SlideReader reader, int level, int x, int y, int w, int h) throws Exception {
        int[] pixels = new int[w * h];
        reader.readPixels(level, x, y, w, h, pixels);
        return pixels;
    }

    @Test
    void libjpegTurboAndTheJdkDecodeTheSamePixels() throws Exception {
        TiffSlideReaderProvider turbo = new TiffSlideReaderProvider(true);
        assumeThat(turbo.description()).contains("libjpeg-turbo");
        try (SlideReader fast = turbo.open(svs.path(), "s");
                SlideReader jdk = new TiffSlideReaderProvider(false).open(svs.path(), "s")) {
            // Unaligned, across tile borders and at the ragged right and bottom edges.
            for (int[] r : new int[][] {{0, 100, 130, 700, 300}, {0, 1500, 1000, 400, 300}, {1, 0, 0, 950, 650}}) {
                int[] a = read(fast, r[0], r[1], r[2], r[3], r[4]);
                int[] b = read(jdk, r[0], r[1], r[2], r[3], r[4]);
                assertThat(TestSlides.meanDifference(a, b)).isLessThan(DECODER_TOLERANCE);
            }
        }
    }

    @Test
    void openSlideAndTheJavaReaderAgree() throws Exception {
        assumeThat(OpenSlide.isAvailable()).isTrue();
        try (SlideReader native1 = new OpenSlideReaderProvider().open(svs.path(), "s");
                SlideReader java = new TiffSlideReaderProvider().open(svs.path(), "s")) {
            assertThat(native1.info().levels()).isEqualTo(java.info().levels());
            assertThat(native1.info().mpp()).isEqualTo(java.info().mpp());
            int[] a = read(native1, 0, 300, 200, 600, 500);
            int[] b = read(java, 0, 300, 200, 600, 500);
            assertThat(TestSlides.meanDifference(a, b)).isLessThan(DECODER_TOLERANCE);
            int last = java.info().levels().size() - 1;
            SlideLevel smallest = java.info().levels().get(last);
            assertThat(TestSlides.meanDifference(
                            read(native1, last, 0, 0, smallest.width(), smallest.height()),
                            read(java, last, 0, 0, smallest.width(), smallest.height())))
                    .isLessThan(DECODER_TOLERANCE);
        }
    }

    @Test
    void openSlideGetsTheMppOfAGenericTiffFromItsResolutionTags() throws Exception {
        assumeThat(OpenSlide.isAvailable()).isTrue();
        Path tiff = SyntheticSlideGenerator.generate(dir.resolve("g.tiff"), 800, 600, 0.4, 2)
                .path();
        try (SlideReader reader = new OpenSlideReaderProvider().open(tiff, "g")) {
            assertThat(reader.info().properties()).doesNotContainKey(OpenSlide.PROPERTY_MPP_X);
            assertThat(reader.info().mpp().orElseThrow()).isCloseTo(0.4, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void transparentPixelsReadAsGlass() {
        int[] argb = {0x00000000, 0xFF102030, 0x80402010};
        OpenSlideReader.flattenOnWhite(argb, 3);
        assertThat(argb[0]).isEqualTo(0xFFFFFFFF);
        assertThat(argb[1]).isEqualTo(0xFF102030);
        // 50 % of (64, 32, 16) over white.
        assertThat(argb[2]).isEqualTo(0xFF9F8F87);
    }

    @Test
    void deflateTilesGoThroughTheGeneralPathWithExactPixels() throws Exception {
        Path file = dir.resolve("deflate.tiff");
        TiffPyramidWriter.write(
                file, 700, 500, TiffPyramidWriter.Options.deflateRgb().withMicronsPerPixel(0.5), (x, y, w, h, out) -> {
                    for (int j = 0; j < h; j++) {
                        for (int i = 0; i < w; i++) {
                            int rgb = TestSlides.rgb(0, x + i, y + j);
                            int at = (j * w + i) * 3;
                            out[at] = (byte) (rgb >> 16);
                            out[at + 1] = (byte) (rgb >> 8);
                            out[at + 2] = (byte) rgb;
                        }
                    }
                });
        try (SlideReader reader = new TiffSlideReaderProvider().open(file, "d")) {
            assertThat(reader.info().mpp()).isEqualTo(OptionalDouble.of(0.5));
            assertThat(TestSlides.meanError(read(reader, 0, 250, 120, 300, 260), 0, 250, 120, 300, 260))
                    .isZero();
        }
    }

    @Test
    void everyBackendServesManyThreadsAtOnce() throws Exception {
        List<SlideReaderProvider> providers = new ArrayList<>(List.of(new TiffSlideReaderProvider()));
        if (OpenSlide.isAvailable()) {
            providers.add(new OpenSlideReaderProvider());
        }
        Path zip = TestSlides.dicomZip(dir.resolve("c.zip"), 1100, 900, 0.5);
        for (SlideReaderProvider provider : providers) {
            assertConcurrentReadsMatch(provider.open(svs.path(), "s"));
        }
        assertConcurrentReadsMatch(new DicomSlideReaderProvider().open(zip, "c.zip"));
    }

    private static void assertConcurrentReadsMatch(SlideReader reader) throws Exception {
        try (reader) {
            int tiles = 24;
            List<int[]> expected = new ArrayList<>();
            for (int t = 0; t < tiles; t++) {
                expected.add(read(reader, 0, (t % 4) * 200 + 13, (t / 4) * 110 + 7, 200, 110));
            }
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<int[]>> results = new ArrayList<>();
                for (int round = 0; round < 4; round++) {
                    for (int t = 0; t < tiles; t++) {
                        int tile = t;
                        results.add(pool.submit(
                                () -> read(reader, 0, (tile % 4) * 200 + 13, (tile / 4) * 110 + 7, 200, 110)));
                    }
                }
                for (int i = 0; i < results.size(); i++) {
                    assertThat(results.get(i).get())
                            .as(reader.backend() + " tile " + i % tiles)
                            .isEqualTo(expected.get(i % tiles));
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void dicomPixelsAndPixelSpacingComeThrough() throws Exception {
        Path zip = TestSlides.dicomZip(dir.resolve("p.zip"), 900, 700, 0.25);
        try (SlideReader reader = SlideReaders.builtIn().open(zip, "p.zip")) {
            assertThat(reader.info().mpp()).isEqualTo(OptionalDouble.of(0.25));
            assertThat(reader.info().format()).isEqualTo("dicom");
            assertThat(TestSlides.meanError(read(reader, 0, 200, 230, 500, 400), 0, 200, 230, 500, 400))
                    .isLessThan(3.0);
            assertThat(TestSlides.meanError(read(reader, 1, 0, 0, 450, 350), 1, 0, 0, 450, 350))
                    .isLessThan(3.0);
        }
    }
}
