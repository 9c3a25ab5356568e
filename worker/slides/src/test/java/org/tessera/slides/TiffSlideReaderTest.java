package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.imaging.synthetic.SyntheticSlideOptions;
import org.tessera.imaging.tiff.TiffPyramidWriter;

class TiffSlideReaderTest {

    @TempDir
    Path dir;

    private final SlideReaders readers = new SlideReaders(List.of(new TiffSlideReaderProvider()));

    @Test
    void readsLevelsMppAndPixelsOfATiledTiff() throws Exception {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(dir.resolve("s.tiff"), 1500, 1000, 0.5, 3);
        try (SlideReader reader = readers.open(slide.path(), "s")) {
            SlideInfo info = reader.info();
            assertThat(info.format()).isEqualTo("generic-tiff");
            assertThat(info.levels())
                    .extracting(l -> l.width() + "x" + l.height())
                    .containsExactly("1500x1000", "750x500", "375x250", "188x125");
            assertThat(info.levels().get(2).downsample()).isEqualTo(4.0);
            assertThat(info.mpp().orElseThrow()).isCloseTo(0.5, offset(1e-6));

            var region = slide.tissueRegions().getFirst();
            int cx = (int) region.centerX();
            int cy = (int) region.centerY();
            BufferedImage tissue = reader.readRegion(0, cx - 8, cy - 8, 16, 16);
            BufferedImage glass = reader.readRegion(0, 0, 0, 16, 16);
            assertThat(tissue.getWidth()).isEqualTo(16);
            assertThat(saturation(tissue)).isGreaterThan(0.15);
            assertThat(saturation(glass)).isLessThan(0.05);
            BufferedImage smallest = reader.readRegion(2, 0, 0, 375, 250);
            assertThat(smallest.getHeight()).isEqualTo(250);
        }
    }

    @Test
    void readsAperioMppAndBigTiff() throws Exception {
        SyntheticSlide svs = SyntheticSlideGenerator.generate(
                dir.resolve("s.svs"), 900, 700, 0.2528, 4, SyntheticSlideOptions.svs());
        try (SlideReader reader = readers.open(svs.path(), "s.svs")) {
            assertThat(reader.info().format()).isEqualTo("aperio");
            assertThat(reader.info().mpp().orElseThrow()).isEqualTo(0.2528);
            assertThat(reader.info().properties()).containsEntry("aperio.AppMag", "40");
        }
        SyntheticSlide big = SyntheticSlideGenerator.generate(
                dir.resolve("b.tiff"), 900, 700, 0.25, 4, SyntheticSlideOptions.bigTiff());
        try (SlideReader reader = readers.open(big.path(), "b")) {
            assertThat(reader.info().levels()).hasSize(3);
            assertThat(reader.readRegion(1, 100, 100, 50, 50).getWidth()).isEqualTo(50);
        }
    }

    @Test
    void regionOutsideTheLevelIsAProgrammingError() throws Exception {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(dir.resolve("s.tiff"), 300, 300, 0.5, 3);
        try (SlideReader reader = readers.open(slide.path(), "s")) {
            assertThatThrownBy(() -> reader.readRegion(0, 290, 0, 20, 20)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void corruptTiffIsUnreadable() throws Exception {
        SyntheticSlide corrupt = SyntheticSlideGenerator.writeCorrupt(dir.resolve("c.tiff"), 9);
        assertCode(corrupt.path(), SlideFormatException.Code.UNREADABLE);
    }

    @Test
    void otherFilesAreUnsupported() throws Exception {
        Path png = dir.resolve("x.png");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        assertCode(png, SlideFormatException.Code.UNSUPPORTED_FORMAT);
        Path empty = dir.resolve("empty");
        Files.write(empty, new byte[0]);
        assertCode(empty, SlideFormatException.Code.UNSUPPORTED_FORMAT);
    }

    @Test
    void jpeg2000CompressionIsUnsupported() throws Exception {
        Path file = dir.resolve("j2k.tiff");
        TiffPyramidWriter.write(file, 300, 300, TiffPyramidWriter.Options.deflateRgb(), (x, y, w, h, out) -> {});
        byte[] bytes = Files.readAllBytes(file);
        // IFD entry Compression (259), SHORT, count 1, value 8 -> 33003 (Aperio JPEG 2000).
        byte[] entry = {0x03, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00};
        int at = indexOf(bytes, entry);
        assertThat(at).isPositive();
        bytes[at + 8] = (byte) 0xEB;
        bytes[at + 9] = (byte) 0x80;
        Files.write(file, bytes);
        assertCode(file, SlideFormatException.Code.UNSUPPORTED_FORMAT);
    }

    @Test
    void absurdDimensionsAreRefusedBeforeDecoding() throws Exception {
        Path file = dir.resolve("bomb.tiff");
        TiffPyramidWriter.write(file, 256, 256, TiffPyramidWriter.Options.deflateRgb(), (x, y, w, h, out) -> {});
        byte[] bytes = Files.readAllBytes(file);
        // ImageWidth (256) and ImageLength (257), LONG, count 1, value 256 -> 900,000.
        for (byte tag : new byte[] {0x00, 0x01}) {
            byte[] entry = {tag, 0x01, 0x04, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00};
            int at = indexOf(bytes, entry);
            assertThat(at).isPositive();
            bytes[at + 8] = (byte) 0xA0;
            bytes[at + 9] = (byte) 0xBB;
            bytes[at + 10] = (byte) 0x0D;
        }
        Files.write(file, bytes);
        assertCode(file, SlideFormatException.Code.TOO_LARGE);
    }

    private void assertCode(Path file, SlideFormatException.Code code) {
        assertThatThrownBy(() -> {
                    try (SlideReader reader = readers.open(file, "whole_slide_image")) {
                        reader.readRegion(0, 0, 0, 1, 1);
                    }
                })
                .isInstanceOf(SlideFormatException.class)
                .hasMessageContaining("whole_slide_image")
                .satisfies(e -> assertThat(((SlideFormatException) e).code()).isEqualTo(code));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static double saturation(BufferedImage image) {
        double sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                int max = Math.max(r, Math.max(g, b));
                sum += max == 0 ? 0 : (max - Math.min(r, Math.min(g, b))) / (double) max;
            }
        }
        return sum / (image.getWidth() * image.getHeight());
    }
}
