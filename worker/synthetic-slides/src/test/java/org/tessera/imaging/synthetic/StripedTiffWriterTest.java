package org.tessera.imaging.synthetic;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tessera.imaging.TiffTestReader;
import org.tessera.imaging.synthetic.StripedTiffWriter.Compression;

/** Striped TIFFs as an independent reader (TwelveMonkeys) sees them: the pixels written, in every compression. */
class StripedTiffWriterTest {

    private static final int WIDTH = 301;
    private static final int HEIGHT = 203;

    @TempDir
    Path dir;

    /** Smooth gradients with runs of equal bytes (for PackBits) and repeats (for LZW). */
    private static int rgb(int x, int y) {
        int r = x < 100 ? 200 : (x * 3) & 0xFF;
        int g = (y / 4 * 9) & 0xFF;
        int b = ((x + y) / 3) & 0xFF;
        return r << 16 | g << 8 | b;
    }

    @ParameterizedTest(name = "{0}, {1} rows per strip, BigTIFF {2}")
    @CsvSource({
        "NONE, 7, false",
        "LZW, 7, false",
        "LZW, 203, true",
        "DEFLATE, 16, false",
        "PACKBITS, 1, false",
        "PACKBITS, 50, true",
        "JPEG, 16, false"
    })
    void writesThePixelsInStrips(Compression compression, int rows, boolean big) throws Exception {
        Path file = dir.resolve(compression + ".tiff");
        StripedTiffWriter.write(
                file,
                WIDTH,
                HEIGHT,
                StripedTiffWriter.Options.of(compression, 0.5)
                        .withRowsPerStrip(rows)
                        .withBigTiff(big),
                (x, y, w, h, out) -> {
                    for (int j = 0; j < h; j++) {
                        for (int i = 0; i < w; i++) {
                            int p = rgb(x + i, y + j);
                            int at = 3 * (j * w + i);
                            out[at] = (byte) (p >> 16);
                            out[at + 1] = (byte) (p >> 8);
                            out[at + 2] = (byte) p;
                        }
                    }
                },
                2);
        try (TiffTestReader reader = new TiffTestReader(file)) {
            assertThat(reader.levels()).isEqualTo(1);
            BufferedImage image = reader.read(0);
            assertThat(image.getWidth()).isEqualTo(WIDTH);
            assertThat(image.getHeight()).isEqualTo(HEIGHT);
            long error = 0;
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    int a = image.getRGB(x, y);
                    int e = rgb(x, y);
                    for (int shift : new int[] {16, 8, 0}) {
                        error += Math.abs(((a >> shift) & 0xFF) - ((e >> shift) & 0xFF));
                    }
                }
            }
            double mean = error / (3.0 * WIDTH * HEIGHT);
            assertThat(mean).isLessThanOrEqualTo(compression == Compression.JPEG ? 3.0 : 0.0);
        }
    }
}
