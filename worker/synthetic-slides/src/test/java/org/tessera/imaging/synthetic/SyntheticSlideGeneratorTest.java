package org.tessera.imaging.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.contracts.Crc32c;
import org.tessera.imaging.TiffTestReader;

class SyntheticSlideGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void slideIsAPyramidWhoseTissueMatchesTheGroundTruth() throws IOException {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(dir.resolve("slide.tif"), 2000, 1500, 0.5, 7);

        assertThat(slide.width()).isEqualTo(2000);
        assertThat(slide.height()).isEqualTo(1500);
        assertThat(slide.sizeBytes()).isEqualTo(Files.size(slide.path()));
        try (InputStream in = Files.newInputStream(slide.path())) {
            assertThat(slide.checksumBase64Crc32c()).isEqualTo(Crc32c.base64Of(in));
        }
        assertThat(slide.tissueRegions()).hasSizeBetween(2, 4);

        try (TiffTestReader reader = new TiffTestReader(slide.path())) {
            assertThat(reader.levels()).isEqualTo(4);
            assertThat(reader.width(1)).isEqualTo(1000);
            assertThat(reader.height(3)).isEqualTo(188);
            BufferedImage level0 = reader.read(0);
            int tissue = 0;
            int agree = 0;
            int total = 0;
            for (int y = 3; y < 1500; y += 11) {
                for (int x = 5; x < 2000; x += 11) {
                    boolean truth = slide.isTissue(x, y);
                    boolean looksStained = saturation(level0.getRGB(x, y)) > 0.12;
                    tissue += truth ? 1 : 0;
                    agree += truth == looksStained ? 1 : 0;
                    total++;
                }
            }
            assertThat((double) tissue / total).as("tissue fraction").isBetween(0.1, 0.8);
            assertThat((double) agree / total)
                    .as("stained pixels agree with ground truth")
                    .isGreaterThan(0.97);
        }
    }

    @Test
    void sameSeedGivesTheSameFile() throws IOException {
        SyntheticSlide a = SyntheticSlideGenerator.generate(dir.resolve("a.tif"), 700, 500, 0.25, 42);
        SyntheticSlide b = SyntheticSlideGenerator.generate(dir.resolve("b.tif"), 700, 500, 0.25, 42);
        SyntheticSlide c = SyntheticSlideGenerator.generate(dir.resolve("c.tif"), 700, 500, 0.25, 43);
        assertThat(a.checksumBase64Crc32c()).isEqualTo(b.checksumBase64Crc32c());
        assertThat(a.tissueRegions()).isEqualTo(b.tissueRegions());
        assertThat(c.checksumBase64Crc32c()).isNotEqualTo(a.checksumBase64Crc32c());
    }

    @Test
    void bigTiffVariantReadsBackLevelByLevel() throws IOException {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(
                dir.resolve("big.tif"), 1100, 900, 0.25, 3, SyntheticSlideOptions.bigTiff());
        byte[] head = Files.readAllBytes(slide.path());
        assertThat(head[2]).isEqualTo((byte) 43);
        try (TiffTestReader reader = new TiffTestReader(slide.path())) {
            assertThat(reader.levels()).isEqualTo(4);
            for (int level = 0; level < 4; level++) {
                BufferedImage image = reader.read(level);
                assertThat(image.getWidth()).isEqualTo((1100 + (1 << level) - 1) >> level);
                assertThat(image.getHeight()).isEqualTo((900 + (1 << level) - 1) >> level);
            }
        }
    }

    @Test
    void svsVariantCarriesAperioDescription() throws IOException {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(
                dir.resolve("slide.svs"), 800, 600, 0.25, 5, SyntheticSlideOptions.svs());
        try (TiffTestReader reader = new TiffTestReader(slide.path())) {
            String description = reader.fields(0).get(270);
            assertThat(description).startsWith("Aperio Image Library").contains("|MPP = 0.2500", "|AppMag = 40");
        }
    }

    @Test
    void corruptSlideHasATiffHeaderButCannotBeRead() throws IOException {
        SyntheticSlide corrupt = SyntheticSlideGenerator.writeCorrupt(dir.resolve("corrupt.tif"), 11);
        byte[] bytes = Files.readAllBytes(corrupt.path());
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.ISO_8859_1))
                .isEqualTo("II*\0");
        assertThat(corrupt.sizeBytes()).isEqualTo(bytes.length);
        assertThat(corrupt.checksumBase64Crc32c()).isEqualTo(Crc32c.base64Of(bytes));
        assertThatThrownBy(() -> {
                    try (TiffTestReader reader = new TiffTestReader(corrupt.path())) {
                        reader.read(0);
                    }
                })
                .isInstanceOf(Exception.class);
    }

    @Test
    void fourKSlideIsFast() throws IOException {
        long start = System.nanoTime();
        SyntheticSlide slide = SyntheticSlideGenerator.generate(dir.resolve("4k.tif"), 4096, 4096, 0.25, 1);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("4096x4096 slide: %.2f s, %d bytes%n", seconds, slide.sizeBytes());
        // Generous bound for a shared 2-core machine; typical is well under that.
        assertThat(seconds).isLessThan(20);
    }

    private static double saturation(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        return max == 0 ? 0 : (max - min) / (double) max;
    }
}
