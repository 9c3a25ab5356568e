package org.tessera.imaging.synthetic;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.tessera.imaging.tiff.TiffFormat;
import org.tessera.imaging.tiff.TiffPyramidWriter;

/**
 * Inputs a slide reader must reject cleanly, each with one specific defect. Every generator is deterministic per
 * seed and returns a {@link SyntheticSlide} with the file's size and checksum (so a test can get past the download
 * checks and reach the reader), no tissue, and the media type a client would claim for it.
 */
public final class BadSlides {

    /** JPEG 2000 in TIFF (Aperio's value), which pure-Java TIFF readers do not decode. */
    public static final int COMPRESSION_JPEG_2000 = 34712;

    /** Side of the decompression bomb: 10^6 x 10^6 RGB pixels, 3 TB once decoded. */
    public static final int BOMB_SIDE = 1_000_000;

    private static final byte[] PIXEL_DATA_HEADER = {
        (byte) 0xE0, 0x7F, 0x10, 0x00, 'O', 'B', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF
    };

    private BadSlides() {}

    /**
     * A DICOM VL Whole Slide Microscopy instance whose header is complete but which ends right before Pixel Data
     * (7FE0,0010).
     */
    public static SyntheticSlide dicomWithoutPixelData(Path target, long seed) throws IOException {
        SyntheticSlide slide =
                SyntheticSlideGenerator.generate(target, 512, 384, 0.5, seed, SyntheticSlideOptions.dicomFile());
        byte[] bytes = Files.readAllBytes(target);
        int at = indexOf(bytes, PIXEL_DATA_HEADER);
        if (at < 0) {
            throw new IllegalStateException("no encapsulated Pixel Data element in " + target);
        }
        Files.write(target, Arrays.copyOf(bytes, at));
        return describe(target, slide.width(), slide.height(), slide.mpp(), "application/dicom");
    }

    /** A zip that holds a text file and a PNG but no DICOM instance. */
    public static SyntheticSlide zipWithoutDicom(Path target, long seed) throws IOException {
        BufferedImage thumbnail = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(seed);
        for (int y = 0; y < thumbnail.getHeight(); y++) {
            for (int x = 0; x < thumbnail.getWidth(); x++) {
                thumbnail.setRGB(x, y, 0xE0A0C0 ^ random.nextInt(0x202020));
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(thumbnail, "png", png);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            ZipEntry readme = new ZipEntry("README.txt");
            readme.setTimeLocal(java.time.LocalDateTime.of(2025, 1, 1, 0, 0));
            out.putNextEntry(readme);
            out.write("Scanned slide, exported as images.\n".getBytes(StandardCharsets.US_ASCII));
            out.closeEntry();
            ZipEntry image = new ZipEntry("thumbnail.png");
            image.setTimeLocal(java.time.LocalDateTime.of(2025, 1, 1, 0, 0));
            out.putNextEntry(image);
            out.write(png.toByteArray());
            out.closeEntry();
        }
        return describe(target, 64, 48, 0.5, "application/zip");
    }

    /** A valid tiled pyramidal TIFF except that every image declares JPEG 2000 compression (34712). */
    public static SyntheticSlide tiffWithUnsupportedCompression(Path target, long seed) throws IOException {
        return tiffWithCompression(target, COMPRESSION_JPEG_2000, seed);
    }

    /**
     * A tiled pyramidal TIFF whose Compression tag is {@code compression} in every image (for example 34712 for JPEG
     * 2000, or a value no specification defines), over deflated tiles.
     */
    public static SyntheticSlide tiffWithCompression(Path target, int compression, long seed) throws IOException {
        if (compression < 1 || compression > 0xFFFF) {
            throw new IllegalArgumentException("compression must be a TIFF SHORT: " + compression);
        }
        int width = 600;
        int height = 400;
        double mpp = 0.5;
        GroundTruth truth = GroundTruth.of(width, height, mpp, seed, false);
        TiffPyramidWriter.Options options = TiffPyramidWriter.Options.deflateRgb()
                .withFormat(TiffFormat.CLASSIC)
                .withMicronsPerPixel(mpp);
        TiffPyramidWriter.write(target, width, height, options, new HeRenderer(truth));
        byte[] bytes = Files.readAllBytes(target);
        ByteBuffer tiff = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long ifd = tiff.getInt(4) & 0xFFFFFFFFL;
        int patched = 0;
        while (ifd != 0) {
            int entries = tiff.getShort((int) ifd) & 0xFFFF;
            for (int i = 0; i < entries; i++) {
                int entry = (int) ifd + 2 + 12 * i;
                if ((tiff.getShort(entry) & 0xFFFF) == 259) {
                    tiff.putShort(entry + 8, (short) compression);
                    patched++;
                }
            }
            ifd = tiff.getInt((int) ifd + 2 + 12 * entries) & 0xFFFFFFFFL;
        }
        if (patched == 0) {
            throw new IllegalStateException("no Compression tag found in " + target);
        }
        Files.write(target, bytes);
        return describe(target, width, height, mpp, "image/tiff");
    }

    /**
     * A decompression bomb: a few kilobytes of TIFF declaring one RGB tile of {@value #BOMB_SIDE} x
     * {@value #BOMB_SIDE} pixels, deflated. A reader that trusts the header allocates 3 TB.
     */
    public static SyntheticSlide decompressionBomb(Path target) throws IOException {
        byte[] zeros = new byte[1 << 20];
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] data;
        try {
            deflater.setInput(zeros);
            // Not finished: the stream claims more is to come, as the start of a huge tile would.
            byte[] buffer = new byte[1 << 16];
            int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            data = Arrays.copyOf(buffer, n);
        } finally {
            deflater.end();
        }
        int entryCount = 14;
        int ifdOffset = 8;
        int ifdSize = 2 + 12 * entryCount + 4;
        int bitsOffset = ifdOffset + ifdSize;
        int resolutionOffset = bitsOffset + 6;
        int dataOffset = resolutionOffset + 8;
        ByteBuffer out = ByteBuffer.allocate(dataOffset + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifdOffset);
        out.putShort((short) entryCount);
        entry(out, 256, 4, 1, BOMB_SIDE);
        entry(out, 257, 4, 1, BOMB_SIDE);
        entry(out, 258, 3, 3, bitsOffset);
        entry(out, 259, 3, 1, 8);
        entry(out, 262, 3, 1, 2);
        entry(out, 277, 3, 1, 3);
        entry(out, 282, 5, 1, resolutionOffset);
        entry(out, 283, 5, 1, resolutionOffset);
        entry(out, 284, 3, 1, 1);
        entry(out, 296, 3, 1, 3);
        entry(out, 322, 4, 1, BOMB_SIDE);
        entry(out, 323, 4, 1, BOMB_SIDE);
        entry(out, 324, 4, 1, dataOffset);
        entry(out, 325, 4, 1, data.length);
        out.putInt(0);
        out.putShort((short) 8).putShort((short) 8).putShort((short) 8);
        // 0.25 µm per pixel = 40,000 pixels per centimetre.
        out.putInt(40_000).putInt(1);
        out.put(data);
        Files.write(target, out.array());
        return describe(target, BOMB_SIDE, BOMB_SIDE, 0.25, "image/tiff");
    }

    private static void entry(ByteBuffer out, int tag, int type, int count, int value) {
        out.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            out.putShort((short) value).putShort((short) 0);
        } else {
            out.putInt(value);
        }
    }

    /**
     * A valid slide (tiled JPEG TIFF) cut off at 40 % of its length: the header is intact but its IFDs, written
     * last, are gone. Unlike {@link SyntheticSlideGenerator#writeCorrupt}, nothing is overwritten.
     */
    public static SyntheticSlide truncated(Path target, long seed) throws IOException {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(target, 1024, 768, 0.5, seed);
        byte[] bytes = Files.readAllBytes(target);
        Files.write(target, Arrays.copyOf(bytes, (int) (bytes.length * 0.4)));
        return describe(target, slide.width(), slide.height(), slide.mpp(), "image/tiff");
    }

    /**
     * 64 KiB of random bytes that start with no known image, archive or DICOM signature; claimed as a TIFF, which is
     * what a mislabelled upload looks like.
     */
    public static SyntheticSlide notAnImage(Path target, long seed) throws IOException {
        byte[] bytes = new byte[64 * 1024];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        // No format starts with these bytes, and "DICM" cannot sit at offset 128.
        bytes[0] = 0x00;
        bytes[1] = 0x13;
        bytes[128] = 0x00;
        Files.write(target, bytes);
        return describe(target, 1, 1, 1, "image/tiff");
    }

    private static SyntheticSlide describe(Path target, int width, int height, double mpp, String mediaType)
            throws IOException {
        return SyntheticSlide.ofFile(target, GroundTruth.empty(width, height, mpp), mediaType);
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
