package org.tessera.imaging.tiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tessera.imaging.TiffTestReader;

class TiffPyramidWriterTest {

    @TempDir
    Path dir;

    /** A smooth pattern that survives JPEG well and whose 2x2 means are easy to predict. */
    private static int red(int x, int y) {
        return (x / 3) & 0xFF;
    }

    private static int green(int x, int y) {
        return (y / 3) & 0xFF;
    }

    private static int blue(int x, int y) {
        return ((x + y) / 5) & 0xFF;
    }

    private static final TiffPyramidWriter.RegionSource GRADIENT = (x, y, w, h, out) -> {
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int o = 3 * (r * w + c);
                out[o] = (byte) red(x + c, y + r);
                out[o + 1] = (byte) green(x + c, y + r);
                out[o + 2] = (byte) blue(x + c, y + r);
            }
        }
    };

    @Test
    void levelSizesHalveRoundingUpUntilOneTile() {
        assertThat(TiffPyramidWriter.levelSizes(1000, 700, 256))
                .extracting(s -> s.width() + "x" + s.height())
                .containsExactly("1000x700", "500x350", "250x175");
        assertThat(TiffPyramidWriter.levelSizes(200, 100, 256)).hasSize(1);
        assertThat(TiffPyramidWriter.levelSizes(257, 10, 256)).hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(value = TiffFormat.class)
    void losslessPyramidReadsBackExactlyAtEveryLevel(TiffFormat format) throws IOException {
        Path file = dir.resolve("gradient-" + format + ".tif");
        List<TiffPyramidWriter.LevelSize> sizes = TiffPyramidWriter.write(
                file, 1000, 700, TiffPyramidWriter.Options.deflateRgb().withFormat(format), GRADIENT);

        assertThat(header(file)).isEqualTo(format == TiffFormat.BIG ? 43 : 42);
        try (TiffTestReader reader = new TiffTestReader(file)) {
            assertThat(reader.levels()).isEqualTo(3);
            for (int level = 0; level < sizes.size(); level++) {
                assertThat(reader.width(level)).isEqualTo(sizes.get(level).width());
                assertThat(reader.height(level)).isEqualTo(sizes.get(level).height());
            }
            BufferedImage level0 = reader.read(0);
            for (int y = 0; y < 700; y += 7) {
                for (int x = 0; x < 1000; x += 7) {
                    assertThat(level0.getRGB(x, y) & 0xFFFFFF)
                            .as("level 0 pixel (%d, %d)", x, y)
                            .isEqualTo(red(x, y) << 16 | green(x, y) << 8 | blue(x, y));
                }
            }
            // Level 1 pixel (x, y) is the rounded mean of level-0 pixels (2x..2x+1, 2y..2y+1).
            BufferedImage level1 = reader.read(1);
            for (int y = 0; y < 350; y += 5) {
                for (int x = 0; x < 500; x += 5) {
                    int expectedRed = (red(2 * x, 2 * y)
                                    + red(2 * x + 1, 2 * y)
                                    + red(2 * x, 2 * y + 1)
                                    + red(2 * x + 1, 2 * y + 1)
                                    + 2)
                            >> 2;
                    assertThat((level1.getRGB(x, y) >> 16) & 0xFF).isEqualTo(expectedRed);
                }
            }
        }
    }

    @Test
    void jpegPyramidIsCloseToTheSourceAndCarriesResolutionAndDescription() throws IOException {
        Path file = dir.resolve("gradient.jpeg.tif");
        TiffPyramidWriter.write(
                file,
                1300,
                900,
                TiffPyramidWriter.Options.jpegRgb(0.9f)
                        .withMicronsPerPixel(0.25)
                        .withDescription("test description"),
                GRADIENT);

        try (TiffTestReader reader = new TiffTestReader(file)) {
            assertThat(reader.levels()).isEqualTo(4);
            BufferedImage level0 = reader.read(0);
            assertThat(level0.getWidth()).isEqualTo(1300);
            assertThat(level0.getHeight()).isEqualTo(900);
            double error = 0;
            int samples = 0;
            for (int y = 0; y < 900; y += 3) {
                for (int x = 0; x < 1300; x += 3) {
                    int rgb = level0.getRGB(x, y);
                    error += Math.abs(((rgb >> 16) & 0xFF) - red(x, y));
                    error += Math.abs(((rgb >> 8) & 0xFF) - green(x, y));
                    error += Math.abs((rgb & 0xFF) - blue(x, y));
                    samples += 3;
                }
            }
            assertThat(error / samples).as("mean absolute error").isLessThan(3);

            var fields0 = reader.fields(0);
            assertThat(fields0.get(270)).isEqualTo("test description");
            assertThat(fields0.get(259)).isEqualTo("7");
            assertThat(fields0.get(296)).isEqualTo("3");
            assertThat(micronsPerPixel(fields0.get(282))).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-6));
            var fields1 = reader.fields(1);
            assertThat(fields1.get(270)).isNull();
            assertThat(fields1.get(254)).isEqualTo("1");
            assertThat(micronsPerPixel(fields1.get(282))).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void classMapKeepsClassIndicesAndPalette() throws IOException {
        int[] palette = new int[256];
        palette[1] = 0xFF0000;
        palette[2] = 0x00FF00;
        Path file = dir.resolve("classes.tif");
        TiffPyramidWriter.write(file, 600, 300, TiffPyramidWriter.Options.classMap(palette), (x, y, w, h, out) -> {
            for (int r = 0; r < h; r++) {
                for (int c = 0; c < w; c++) {
                    out[r * w + c] = (byte) ((x + c) < 300 ? 1 : 2);
                }
            }
        });
        try (TiffTestReader reader = new TiffTestReader(file)) {
            assertThat(reader.levels()).isEqualTo(3);
            BufferedImage level0 = reader.read(0);
            assertThat(level0.getRaster().getSample(10, 10, 0)).isEqualTo(1);
            assertThat(level0.getRaster().getSample(590, 290, 0)).isEqualTo(2);
            assertThat(level0.getRGB(10, 10) & 0xFFFFFF).isEqualTo(0xFF0000);
            BufferedImage level2 = reader.read(2);
            assertThat(level2.getRaster().getSample(149, 0, 0)).isEqualTo(2);
            assertThat(level2.getRaster().getSample(74, 0, 0)).isEqualTo(1);
        }
    }

    @Test
    void parallelWritingGivesTheSameBytesAsSequential() throws IOException {
        Path sequential = dir.resolve("sequential.tif");
        Path parallel = dir.resolve("parallel.tif");
        TiffPyramidWriter.Options options = TiffPyramidWriter.Options.jpegRgb(0.8f);
        TiffPyramidWriter.write(sequential, 4100, 2300, options, GRADIENT, TiffPyramidWriter.Progress.NONE, 1);
        TiffPyramidWriter.write(parallel, 4100, 2300, options, GRADIENT, TiffPyramidWriter.Progress.NONE, 3);
        assertThat(Files.readAllBytes(parallel)).isEqualTo(Files.readAllBytes(sequential));
    }

    @Test
    void failingSourceInParallelFailsTheWriteAndLeavesNoFile() {
        Path file = dir.resolve("broken-parallel.tif");
        assertThatThrownBy(() -> TiffPyramidWriter.write(
                        file,
                        5000,
                        5000,
                        TiffPyramidWriter.Options.deflateRgb(),
                        (x, y, w, h, out) -> {
                            if (x > 3000 && y > 3000) {
                                throw new IOException("source failed");
                            }
                        },
                        TiffPyramidWriter.Progress.NONE,
                        2))
                .hasMessage("source failed");
        assertThat(file).doesNotExist();
    }

    @Test
    void failedSourceLeavesNoFileBehind() {
        Path file = dir.resolve("broken.tif");
        assertThatThrownBy(() -> TiffPyramidWriter.write(
                        file, 600, 600, TiffPyramidWriter.Options.deflateRgb(), (x, y, w, h, out) -> {
                            if (x > 0) {
                                throw new IOException("source failed");
                            }
                        }))
                .hasMessage("source failed");
        assertThat(file).doesNotExist();
    }

    @Test
    void classicTiffRefusesMissingTiles() throws IOException {
        Path file = dir.resolve("incomplete.tif");
        TiledTiffWriter writer = TiledTiffWriter.create(file, TiffFormat.CLASSIC);
        writer.addLevel(new TiffLevelSpec(
                512, 256, 256, 1, TiffCompression.NONE, Photometric.MIN_IS_BLACK, 0, null, Double.NaN, false, null));
        writer.writeTile(0, 0, 0, new byte[256 * 256]);
        assertThatThrownBy(writer::close).hasMessageContaining("1 tiles of level 0 were never written");
    }

    @Test
    void rationalKeepsPrecisionWithinThirtyTwoBits() {
        long[] r = TiledTiffWriter.rational(40_000);
        assertThat((double) r[0] / r[1]).isEqualTo(40_000);
        assertThat(r[0]).isLessThanOrEqualTo(0xFFFF_FFFFL);
        long[] fine = TiledTiffWriter.rational(10_000 / 0.2273);
        assertThat(10_000 / ((double) fine[0] / fine[1])).isCloseTo(0.2273, org.assertj.core.data.Offset.offset(1e-7));
    }

    private static double micronsPerPixel(String rational) {
        String[] parts = rational.split("/");
        double pixelsPerCm = parts.length == 2
                ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])
                : Double.parseDouble(parts[0]);
        return 10_000 / pixelsPerCm;
    }

    private static int header(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(new String(bytes, 0, 2, java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("II");
        return ByteBuffer.wrap(bytes, 2, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    }
}
