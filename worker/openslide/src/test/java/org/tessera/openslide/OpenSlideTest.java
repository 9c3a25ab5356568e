package org.tessera.openslide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;

/**
 * Runs against the real native library. Where it is not installed the tests are skipped, unless
 * {@code TESSERA_REQUIRE_OPENSLIDE=1} (set by CI, which installs it) makes its absence a failure.
 */
class OpenSlideTest {

    @TempDir
    static Path dir;

    private static SyntheticSlide svs;
    private static OpenSlide slide;

    @BeforeAll
    static void openGeneratedSvs() throws Exception {
        if (!OpenSlide.isAvailable()) {
            assertThat(System.getenv("TESSERA_REQUIRE_OPENSLIDE"))
                    .as("libopenslide must be installed (apt-get install libopenslide0)")
                    .isNotEqualTo("1");
            Assumptions.abort("libopenslide is not installed");
        }
        svs = SyntheticSlideGenerator.generate(
                dir.resolve("slide.svs"), 3000, 2000, 0.25, 11, SyntheticSlideOptions.svs());
        slide = OpenSlide.open(svs.path());
    }

    @AfterAll
    static void close() {
        if (slide != null) {
            slide.close();
        }
    }

    @Test
    void reportsVendorLevelsAndResolution() {
        assertThat(OpenSlide.libraryVersion()).isPresent();
        assertThat(OpenSlide.detectVendor(svs.path())).contains("aperio");
        assertThat(slide.properties()).containsEntry(OpenSlide.PROPERTY_VENDOR, "aperio");
        assertThat(Double.parseDouble(slide.properties().get(OpenSlide.PROPERTY_MPP_X)))
                .isEqualTo(0.25);
        assertThat(slide.levelWidth(0)).isEqualTo(3000);
        assertThat(slide.levelHeight(0)).isEqualTo(2000);
        assertThat(slide.levelCount()).isGreaterThan(1);
        assertThat(slide.levelDownsample(1)).isGreaterThan(1.9);
    }

    @Test
    void pixelsShowTissueWhereTheGroundTruthHasIt() throws Exception {
        int tissueDark = 0;
        int backgroundDark = 0;
        int samples = 0;
        int[] pixel = new int[1];
        for (int y = 5; y < 2000; y += 37) {
            for (int x = 5; x < 3000; x += 41) {
                slide.readRegion(pixel, x, y, 0, 1, 1);
                int p = pixel[0];
                int brightness = ((p >> 16) & 0xff) + ((p >> 8) & 0xff) + (p & 0xff);
                boolean dark = brightness < 3 * 215;
                if (svs.isTissue(x, y)) {
                    tissueDark += dark ? 1 : 0;
                    samples++;
                } else {
                    backgroundDark += dark ? 1 : 0;
                }
            }
        }
        assertThat(samples).isGreaterThan(100);
        assertThat(tissueDark).isGreaterThan(samples * 8 / 10);
        assertThat(backgroundDark).isLessThan(samples / 20);
    }

    @Test
    void concurrentReadsOnOneHandleAgreeWithSequentialOnes() throws Exception {
        int[] expected = new int[256 * 256];
        slide.readRegion(expected, 1024, 512, 0, 256, 256);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> reads = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reads.add(pool.submit(() -> {
                    int[] out = new int[256 * 256];
                    slide.readRegion(out, 1024, 512, 0, 256, 256);
                    return out;
                }));
            }
            for (Future<int[]> read : reads) {
                assertThat(read.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aFileThatIsNotASlideIsRefusedWithItsName() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a slide");
        assertThatThrownBy(() -> OpenSlide.open(text))
                .isInstanceOf(OpenSlideException.class)
                .hasMessageContaining("notes.txt");
    }

    @Test
    void aCorruptSlideFailsCleanly() throws Exception {
        Path corrupt = SyntheticSlideGenerator.writeCorrupt(dir.resolve("corrupt.tiff"), 3)
                .path();
        assertThatThrownBy(() -> {
                    try (OpenSlide s = OpenSlide.open(corrupt)) {
                        int[] buffer = new int[512 * 512];
                        s.readRegion(buffer, 0, 0, 0, 512, 512);
                    }
                })
                .isInstanceOf(OpenSlideException.class)
                .hasMessageContaining("corrupt.tiff");
    }

    @Test
    void premultipliedPixelsAreRestored() {
        int[] pixels = {0x80402010, 0xff102030, 0x00000000};
        OpenSlide.unpremultiply(pixels, 3);
        assertThat(pixels).containsExactly(0x80804020, 0xff102030, 0x00000000);
    }
}
