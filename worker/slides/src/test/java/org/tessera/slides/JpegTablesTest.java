package org.tessera.slides;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scanners (Aperio among them) store the JPEG tables once, in the JPEGTables tag, and abbreviated streams per tile.
 * The test writes such a TIFF by hand and reads it with both JPEG decoders.
 */
class JpegTablesTest {

    private static final int TILE = 256;

    @TempDir
    Path dir;

    @Test
    void abbreviatedTileStreamsDecodeWithTheSharedTables() throws Exception {
        int width = 2 * TILE;
        int height = TILE;
        List<byte[]> tiles = new ArrayList<>();
        byte[] tables = null;
        for (int tx = 0; tx < 2; tx++) {
            BufferedImage image = new BufferedImage(TILE, TILE, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < TILE; y++) {
                for (int x = 0; x < TILE; x++) {
                    image.setRGB(x, y, TestSlides.rgb(0, tx * TILE + x, y));
                }
            }
            ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
            ImageIO.write(image, "jpeg", jpeg);
            byte[][] split = split(jpeg.toByteArray());
            tables = split[0];
            tiles.add(split[1]);
        }
        Path file = dir.resolve("tables.tiff");
        Files.write(file, tiff(width, height, tables, tiles));
        for (boolean turbo : new boolean[] {true, false}) {
            try (SlideReader reader = new TiffSlideReaderProvider(turbo).open(file, "tables.tiff")) {
                int[] pixels = new int[width * height];
                reader.readPixels(0, 0, 0, width, height, pixels);
                assertThat(TestSlides.meanError(pixels, 0, 0, 0, width, height))
                        .as(turbo ? "libjpeg-turbo" : "JDK")
                        .isLessThan(3.0);
            }
        }
    }

    /** Splits a complete JPEG into a tables-only stream (SOI, DQT, DHT, EOI) and an abbreviated one (the rest). */
    private static byte[][] split(byte[] jpeg) {
        ByteArrayOutputStream tables = new ByteArrayOutputStream();
        ByteArrayOutputStream image = new ByteArrayOutputStream();
        tables.write(0xFF);
        tables.write(0xD8);
        image.write(0xFF);
        image.write(0xD8);
        int at = 2;
        while (at < jpeg.length) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xDA) {
                image.write(jpeg, at, jpeg.length - at);
                break;
            }
            int length = ((jpeg[at + 2] & 0xFF) << 8 | (jpeg[at + 3] & 0xFF)) + 2;
            (marker == 0xDB || marker == 0xC4 ? tables : image).write(jpeg, at, length);
            at += length;
        }
        tables.write(0xFF);
        tables.write(0xD9);
        return new byte[][] {tables.toByteArray(), image.toByteArray()};
    }

    /** A little-endian TIFF with one tiled YCbCr JPEG image. */
    private static byte[] tiff(int width, int height, byte[] tables, List<byte[]> tiles) {
        int entries = 12;
        int ifd = 8;
        int extra = ifd + 2 + entries * 12 + 4;
        int bitsAt = extra;
        int offsetsAt = bitsAt + 6;
        int countsAt = offsetsAt + 4 * tiles.size();
        int tablesAt = countsAt + 4 * tiles.size();
        int dataAt = tablesAt + tables.length;
        int total = dataAt + tiles.stream().mapToInt(t -> t.length).sum();
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.position(ifd).putShort((short) entries);
        entry(b, 256, 4, 1, width);
        entry(b, 257, 4, 1, height);
        entry(b, 258, 3, 3, bitsAt);
        entry(b, 259, 3, 1, 7);
        entry(b, 262, 3, 1, 6);
        entry(b, 277, 3, 1, 3);
        entry(b, 284, 3, 1, 1);
        entry(b, 322, 4, 1, TILE);
        entry(b, 323, 4, 1, TILE);
        entry(b, 324, 4, tiles.size(), offsetsAt);
        entry(b, 325, 4, tiles.size(), countsAt);
        entry(b, 347, 7, tables.length, tablesAt);
        b.putInt(0);
        b.position(bitsAt).putShort((short) 8).putShort((short) 8).putShort((short) 8);
        int at = dataAt;
        for (int i = 0; i < tiles.size(); i++) {
            b.putInt(offsetsAt + 4 * i, at);
            b.putInt(countsAt + 4 * i, tiles.get(i).length);
            b.put(at, tiles.get(i));
            at += tiles.get(i).length;
        }
        b.put(tablesAt, tables);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }
}
