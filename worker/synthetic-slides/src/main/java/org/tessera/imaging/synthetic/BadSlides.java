package org.tessera.imaging.synthetic;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.tessera.dicom.DicomWsiWriter;
import org.tessera.dicom.DimensionOrganization;
import org.tessera.dicom.FileTrees;
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

    /**
     * What a JPEG tile bomb's frame headers claim: 16,000 x 16,000 pixels for 256 x 256 tiles, 1 GB decoded, which
     * libjpeg-turbo and the JDK's decoder (whose own limit is 65,500 a side) would both allocate.
     */
    public static final int JPEG_BOMB_SIDE = 16_000;

    /**
     * A small tiled JPEG TIFF whose every tile's JPEG frame header claims {@value #JPEG_BOMB_SIDE} x {@value
     * #JPEG_BOMB_SIDE} pixels for 256 x 256 tiles. With {@code rgbPhotometric} the images also
     * declare PhotometricInterpretation RGB over YCbCr streams, as Aperio's do, which sends the tiles to another
     * decoder than libjpeg-turbo.
     */
    public static SyntheticSlide jpegHeaderBomb(Path target, boolean rgbPhotometric, long seed) throws IOException {
        SyntheticSlide slide = SyntheticSlideGenerator.generate(target, 512, 512, 0.5, seed);
        byte[] bytes = Files.readAllBytes(target);
        // SOF0 of an 8-bit, three-component frame: FF C0, length 17, precision 8, then height and width.
        byte[] frameHeader = {(byte) 0xFF, (byte) 0xC0, 0x00, 0x11, 0x08};
        int patched = 0;
        for (int at = indexOf(bytes, frameHeader, 0); at >= 0; at = indexOf(bytes, frameHeader, at + 1)) {
            bytes[at + 5] = (byte) (JPEG_BOMB_SIDE >> 8);
            bytes[at + 6] = (byte) JPEG_BOMB_SIDE;
            bytes[at + 7] = (byte) (JPEG_BOMB_SIDE >> 8);
            bytes[at + 8] = (byte) JPEG_BOMB_SIDE;
            patched++;
        }
        if (patched == 0) {
            throw new IllegalStateException("no JPEG frame header in " + target);
        }
        if (rgbPhotometric) {
            patchShort(bytes, 262, 6, 2);
        }
        Files.write(target, bytes);
        return describe(target, slide.width(), slide.height(), slide.mpp(), "image/tiff");
    }

    /**
     * A tiled TIFF of one {@code side} x {@code side} tile (16,384: 1 GiB decoded) whose deflate stream is a few
     * hundred bytes.
     */
    public static SyntheticSlide hugeTile(Path target, int side) throws IOException {
        byte[] tile = deflatedZeros(64 << 10);
        long dataAt = 16;
        TiffIfd ifd = deflatedRgb(false, side, side)
                .longs(322, side)
                .longs(323, side)
                .longs(324, dataAt)
                .longs(325, tile.length)
                .resolution(0.25);
        writeTiff(target, false, tile, ifd);
        return describe(target, side, side, 0.25, "image/tiff");
    }

    /**
     * A small tiled BigTIFF of four tiles whose TileOffsets declare 2^61 + 1 LONG8 values: times 8 bytes that count
     * overflows 64 bits to 8 bytes. A reader that multiplies first reads one value, then indexes four tiles into it.
     */
    public static SyntheticSlide tileTableBomb(Path target) throws IOException {
        byte[] tile = deflatedZeros(256 * 256 * 3);
        long dataAt = 16;
        long[] offsets = {dataAt, dataAt, dataAt, dataAt};
        long[] counts = {tile.length, tile.length, tile.length, tile.length};
        ByteBuffer offsetBytes = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (long offset : offsets) {
            offsetBytes.putLong(offset);
        }
        TiffIfd ifd = deflatedRgb(true, 512, 512)
                .longs(322, 256)
                .longs(323, 256)
                .entry(324, TiffIfd.LONG8, (1L << 61) + 1, offsetBytes.array())
                .offsets(325, counts)
                .resolution(0.25);
        writeTiff(target, true, tile, ifd);
        return describe(target, 512, 512, 0.25, "image/tiff");
    }

    /**
     * A small tiled TIFF whose 200,000 x 200,000 level (within the size limits) is cut into 16 x 16 tiles: 156 million
     * of them, whose offset tables would take gigabytes; the tables themselves declare that many entries.
     */
    public static SyntheticSlide tileCountBomb(Path target) throws IOException {
        byte[] tile = deflatedZeros(16 * 16 * 3);
        int side = 200_000;
        long tiles = (long) (side / 16) * (side / 16);
        TiffIfd ifd = deflatedRgb(false, side, side)
                .longs(322, 16)
                .longs(323, 16)
                .entry(324, TiffIfd.LONG, tiles, new byte[8])
                .entry(325, TiffIfd.LONG, tiles, new byte[8])
                .resolution(0.25);
        writeTiff(target, false, tile, ifd);
        return describe(target, side, side, 0.25, "image/tiff");
    }

    /** Pixel layouts a TIFF may declare that the readers do not decode, each with the property that says so. */
    public enum UnsupportedLayout {
        /** BitsPerSample 16. */
        SIXTEEN_BITS,
        /** BitsPerSample 1, PhotometricInterpretation 0 (a bilevel image). */
        ONE_BIT,
        /** PhotometricInterpretation 3 with a ColorMap. */
        PALETTE,
        /** PlanarConfiguration 2: all reds, then all greens, then all blues. */
        SEPARATE_PLANES,
        /** PhotometricInterpretation 5, four samples. */
        CMYK,
        /** PhotometricInterpretation 6 with YCbCrSubSampling 2,2, deflated (not JPEG). */
        YCBCR_DEFLATE,
        /** SampleFormat 3, 32 bits per sample. */
        FLOAT
    }

    /**
     * A small plain striped TIFF (or, with {@code tiled}, a tiled one) whose pixels are stored in {@code layout}: a
     * valid file any general TIFF library reads, in a layout no slide scanner writes.
     */
    public static SyntheticSlide unsupportedLayout(Path target, UnsupportedLayout layout, boolean tiled)
            throws IOException {
        int side = 256;
        int samples = switch (layout) {
            case ONE_BIT, PALETTE -> 1;
            case CMYK -> 4;
            default -> 3;
        };
        int bits = switch (layout) {
            case SIXTEEN_BITS -> 16;
            case ONE_BIT -> 1;
            case FLOAT -> 32;
            default -> 8;
        };
        int photometric = switch (layout) {
            case ONE_BIT -> 0;
            case PALETTE -> 3;
            case CMYK -> 5;
            case YCBCR_DEFLATE -> 6;
            default -> 2;
        };
        int bytes = (side * samples * bits + 7) / 8 * side;
        byte[] data = deflatedZeros(bytes);
        int[] bitsPerSample = new int[samples];
        Arrays.fill(bitsPerSample, bits);
        TiffIfd ifd = new TiffIfd(false)
                .longs(256, side)
                .longs(257, side)
                .shorts(258, bitsPerSample)
                .shorts(259, 8)
                .shorts(262, photometric)
                .shorts(277, samples)
                .shorts(284, layout == UnsupportedLayout.SEPARATE_PLANES ? 2 : 1)
                .resolution(0.5);
        if (tiled) {
            ifd.longs(322, side).longs(323, side).longs(324, 16).longs(325, data.length);
        } else {
            ifd.longs(273, 16).longs(278, side).longs(279, data.length);
        }
        switch (layout) {
            case PALETTE -> ifd.shorts(320, new int[3 * 256]);
            case YCBCR_DEFLATE -> ifd.shorts(530, 2, 2);
            case FLOAT -> ifd.shorts(339, 3, 3, 3);
            default -> {}
        }
        writeTiff(target, false, data, ifd);
        return describe(target, side, side, 0.5, "image/tiff");
    }

    /**
     * A DICOM whole-slide instance of about ten kilobytes: one 16 x 16 JPEG frame in a TILED_SPARSE level that declares a
     * {@code side} x {@code side} pixel matrix. At 131,072 (17 gigapixels, within the size limits) its grid has 2^26
     * tiles: a reader that indexes the grid, not the frames, allocates 256 MiB for it.
     */
    public static SyntheticSlide dicomSparseBomb(Path target, int side) throws IOException {
        byte[] level = sparseLevel(side, side, "1.2.826.0.1.3680043.10.1000.1");
        Files.write(target, level);
        return describe(target, side, side, 0.25, "application/dicom");
    }

    /**
     * A zip of {@code levels} such TILED_SPARSE instances of one series, each declaring a slightly smaller matrix (so
     * each is a level of its own) of 32,768 pixels a side in 16-pixel frames: 2^22 tiles a level.
     */
    public static SyntheticSlide dicomSparseLevelsZip(Path target, int levels) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (int i = 0; i < levels; i++) {
                int side = 32_768 - 16 * i;
                ZipEntry entry = new ZipEntry(String.format("level-%03d.dcm", i));
                entry.setTimeLocal(ZIP_TIME);
                out.putNextEntry(entry);
                out.write(sparseLevel(side, side, "1.2.826.0.1.3680043.10.1000.2"));
                out.closeEntry();
            }
        }
        return describe(target, 32_768, 32_768, 0.25, "application/zip");
    }

    /**
     * A zip bomb: one DICOM entry whose valid header is followed by {@code padding} zero bytes, deflated to a thousandth
     * of that. The zip is tiny; extracted, it fills the disk.
     */
    public static SyntheticSlide zipBomb(Path target, long padding) throws IOException {
        byte[] level = sparseLevel(512, 512, "1.2.826.0.1.3680043.10.1000.3");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            out.setLevel(Deflater.BEST_COMPRESSION);
            ZipEntry entry = new ZipEntry("level-0.dcm");
            entry.setTimeLocal(ZIP_TIME);
            out.putNextEntry(entry);
            out.write(level);
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < padding; written += zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, padding - written));
            }
            out.closeEntry();
        }
        return describe(target, 512, 512, 0.25, "application/zip");
    }

    /** A zip of {@code entries} empty files (and nothing else): a reader must not open each one. */
    public static SyntheticSlide zipOfManyEntries(Path target, int entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            for (int i = 0; i < entries; i++) {
                ZipEntry entry = new ZipEntry("e" + i);
                entry.setTimeLocal(ZIP_TIME);
                out.putNextEntry(entry);
                out.closeEntry();
            }
        }
        return describe(target, 1, 1, 0.25, "application/zip");
    }

    /** One TILED_SPARSE DICOM instance: a single 16 x 16 frame at the origin of a {@code width x height} matrix. */
    private static byte[] sparseLevel(int width, int height, String seriesUid) throws IOException {
        Path directory = Files.createTempDirectory("tessera-bad-dicom-");
        try {
            AtomicInteger uids = new AtomicInteger();
            DicomWsiWriter.Options options = DicomWsiWriter.Options.defaults(0.25)
                    .withTileSize(16)
                    .withOrganization(DimensionOrganization.TILED_SPARSE)
                    .withUids(() -> seriesUid + "." + uids.incrementAndGet())
                    .withClock(Clock.fixed(DicomSlides.ACQUIRED, ZoneOffset.UTC));
            BufferedImage pink = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    pink.setRGB(x, y, 0xE0A0C0);
                }
            }
            List<Path> files = DicomWsiWriter.write(
                            directory, 32, 32, options, (level, tx, ty) -> tx == 0 && ty == 0 ? pink : null)
                    .files();
            byte[] bytes = Files.readAllBytes(files.getFirst());
            patchDicomUl(bytes, TOTAL_PIXEL_MATRIX_COLUMNS, width);
            patchDicomUl(bytes, TOTAL_PIXEL_MATRIX_ROWS, height);
            return bytes;
        } finally {
            FileTrees.deleteRecursively(directory);
        }
    }

    /** Total Pixel Matrix Columns (0048,0006) and Rows (0048,0007), UL, in Explicit VR Little Endian. */
    private static final byte[] TOTAL_PIXEL_MATRIX_COLUMNS = {0x48, 0x00, 0x06, 0x00, 'U', 'L', 0x04, 0x00};

    private static final byte[] TOTAL_PIXEL_MATRIX_ROWS = {0x48, 0x00, 0x07, 0x00, 'U', 'L', 0x04, 0x00};

    private static final java.time.LocalDateTime ZIP_TIME = java.time.LocalDateTime.of(2025, 1, 1, 0, 0);

    private static void patchDicomUl(byte[] bytes, byte[] element, int value) {
        int at = indexOf(bytes, element, 0);
        if (at < 0) {
            throw new IllegalStateException("no element " + Arrays.toString(element) + " in the DICOM header");
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at + element.length, value);
    }

    /** Every IFD entry {@code tag} (SHORT, count 1) with value {@code from} set to {@code to}, in a little-endian TIFF. */
    private static void patchShort(byte[] bytes, int tag, int from, int to) {
        byte[] entry = {
            (byte) tag, (byte) (tag >> 8), 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, (byte) from, (byte) (from >> 8)
        };
        int patched = 0;
        for (int at = indexOf(bytes, entry, 0); at >= 0; at = indexOf(bytes, entry, at + 1)) {
            bytes[at + 8] = (byte) to;
            bytes[at + 9] = (byte) (to >> 8);
            patched++;
        }
        if (patched == 0) {
            throw new IllegalStateException("no TIFF tag " + tag + " with value " + from);
        }
    }

    /** The entries of an interleaved 8-bit RGB image, deflated. */
    private static TiffIfd deflatedRgb(boolean big, int width, int height) {
        return new TiffIfd(big)
                .longs(256, width)
                .longs(257, height)
                .shorts(258, 8, 8, 8)
                .shorts(259, 8)
                .shorts(262, 2)
                .shorts(277, 3)
                .shorts(284, 1);
    }

    /** A header, {@code data} at byte 16 (where every hand-made file here keeps it), then the directory. */
    private static void writeTiff(Path target, boolean big, byte[] data, TiffIfd ifd) throws IOException {
        long ifdAt = 16 + data.length + (data.length & 1);
        ByteBuffer file = ByteBuffer.allocate((int) ifdAt).order(ByteOrder.LITTLE_ENDIAN);
        file.put(TiffIfd.header(big, ifdAt));
        file.put(16, data);
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write(file.array());
            out.write(ifd.toBytes(ifdAt));
        }
    }

    /** {@code length} zero bytes, deflated (zlib), as a TIFF deflate tile holds them. */
    private static byte[] deflatedZeros(int length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(out)) {
            zlib.write(new byte[length]);
        }
        return out.toByteArray();
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
        return indexOf(haystack, needle, 0);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i + needle.length <= haystack.length; i++) {
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
