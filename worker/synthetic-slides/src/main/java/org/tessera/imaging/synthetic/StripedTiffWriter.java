package org.tessera.imaging.synthetic;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.DeflaterOutputStream;
import org.tessera.imaging.jpeg.JpegEncoder;
import org.tessera.imaging.tiff.TiffPyramidWriter;

/**
 * Writes a plain striped RGB TIFF or BigTIFF: one full-resolution image in strips of rows, no tiles and no pyramid, as
 * lab tools and older scanners export slides. Strips are rendered and compressed in parallel and written in order,
 * so memory holds a few strips whatever the image's size.
 */
public final class StripedTiffWriter {

    /** Strip compressions, with their TIFF Compression values. */
    public enum Compression {
        NONE(1),
        LZW(5),
        JPEG(7),
        DEFLATE(8),
        PACKBITS(32773);

        private final int tagValue;

        Compression(int tagValue) {
            this.tagValue = tagValue;
        }

        public int tagValue() {
            return tagValue;
        }
    }

    /**
     * @param bigTiff BigTIFF (64-bit offsets) rather than classic TIFF
     * @param compression how each strip is compressed; JPEG strips are YCbCr 4:2:0, as scanners write them
     * @param rowsPerStrip rows per strip (a multiple of 16 for JPEG, whose blocks are 16 rows high)
     * @param jpegQuality 0..1, for JPEG
     * @param micronsPerPixel written as the resolution tags
     * @param description the ImageDescription, or null
     */
    public record Options(
            boolean bigTiff,
            Compression compression,
            int rowsPerStrip,
            float jpegQuality,
            double micronsPerPixel,
            String description) {

        public Options {
            Objects.requireNonNull(compression, "compression");
            if (rowsPerStrip < 1 || (compression == Compression.JPEG && rowsPerStrip % 16 != 0)) {
                throw new IllegalArgumentException(
                        "rows per strip must be positive, and a multiple of 16 for JPEG: " + rowsPerStrip);
            }
            if (!(micronsPerPixel > 0)) {
                throw new IllegalArgumentException("microns per pixel must be positive: " + micronsPerPixel);
            }
        }

        /** A classic TIFF in strips of 16 rows, compressed as given, at 0.85 for JPEG. */
        public static Options of(Compression compression, double micronsPerPixel) {
            return new Options(false, compression, 16, 0.85f, micronsPerPixel, null);
        }

        public Options withBigTiff(boolean big) {
            return new Options(big, compression, rowsPerStrip, jpegQuality, micronsPerPixel, description);
        }

        public Options withRowsPerStrip(int rows) {
            return new Options(bigTiff, compression, rows, jpegQuality, micronsPerPixel, description);
        }

        public Options withDescription(String text) {
            return new Options(bigTiff, compression, rowsPerStrip, jpegQuality, micronsPerPixel, text);
        }
    }

    private StripedTiffWriter() {}

    /** Writes {@code width x height} pixels of {@code source} (RGB, three bytes per pixel) into {@code target}. */
    public static void write(
            Path target, int width, int height, Options options, TiffPyramidWriter.RegionSource source, int threads)
            throws IOException {
        int strips = (height + options.rowsPerStrip() - 1) / options.rowsPerStrip();
        long[] offsets = new long[strips];
        long[] counts = new long[strips];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        long ifdAt;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
            byte[] header = TiffIfd.header(options.bigTiff(), 0);
            out.write(header);
            long at = header.length;
            int batch = Math.max(1, threads) * 4;
            for (int first = 0; first < strips; first += batch) {
                List<Future<byte[]>> encoded = new ArrayList<>();
                for (int s = first; s < Math.min(strips, first + batch); s++) {
                    int y = s * options.rowsPerStrip();
                    int rows = Math.min(options.rowsPerStrip(), height - y);
                    encoded.add(pool.submit(() -> encode(source, width, y, rows, options)));
                }
                for (int i = 0; i < encoded.size(); i++) {
                    byte[] strip = get(encoded.get(i));
                    offsets[first + i] = at;
                    counts[first + i] = strip.length;
                    out.write(strip);
                    at += strip.length;
                    if ((at & 1) == 1) {
                        out.write(0);
                        at++;
                    }
                }
            }
            if (!options.bigTiff() && at > 0xFFFF_FFF0L - 16L * strips) {
                throw new IOException("a classic TIFF holds at most 4 GiB: write " + target + " as BigTIFF");
            }
            TiffIfd ifd = new TiffIfd(options.bigTiff())
                    .longs(256, width)
                    .longs(257, height)
                    .shorts(258, 8, 8, 8)
                    .shorts(259, options.compression().tagValue())
                    .shorts(262, options.compression() == Compression.JPEG ? 6 : 2)
                    .offsets(273, offsets)
                    .shorts(277, 3)
                    .longs(278, options.rowsPerStrip())
                    .offsets(279, counts)
                    .shorts(284, 1)
                    .resolution(options.micronsPerPixel());
            if (options.description() != null) {
                ifd.ascii(270, options.description());
            }
            if (options.compression() == Compression.JPEG) {
                ifd.shorts(530, 2, 2);
            }
            out.write(ifd.toBytes(at));
            ifdAt = at;
        } finally {
            pool.shutdownNow();
        }
        // The directory comes last, after the strips: point the header at it now that its place is known.
        try (FileChannel file = FileChannel.open(target, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.wrap(TiffIfd.header(options.bigTiff(), ifdAt));
            while (header.hasRemaining()) {
                file.write(header, header.position());
            }
        }
    }

    private static byte[] get(Future<byte[]> strip) throws IOException {
        try {
            return strip.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing a striped TIFF", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("a strip could not be encoded", e.getCause());
        }
    }

    private static byte[] encode(TiffPyramidWriter.RegionSource source, int width, int y, int rows, Options options)
            throws IOException {
        byte[] rgb = new byte[width * rows * 3];
        source.read(0, y, width, rows, rgb);
        return switch (options.compression()) {
            case NONE -> rgb;
            case LZW -> StripEncoders.lzw(rgb);
            case PACKBITS -> StripEncoders.packBits(rgb, width * 3);
            case DEFLATE -> deflate(rgb);
            case JPEG ->
                JpegEncoder.encode(image(rgb, width, rows), options.jpegQuality(), JpegEncoder.Subsampling.YCBCR_420);
        };
    }

    private static byte[] deflate(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (DeflaterOutputStream zlib = new DeflaterOutputStream(out)) {
            zlib.write(bytes);
        }
        return out.toByteArray();
    }

    /** Interleaved RGB bytes as a BGR image, the layout the JDK's JPEG writer takes without converting. */
    private static BufferedImage image(byte[] rgb, int width, int rows) {
        BufferedImage image = new BufferedImage(width, rows, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < rgb.length; i += 3) {
            bgr[i] = rgb[i + 2];
            bgr[i + 1] = rgb[i + 1];
            bgr[i + 2] = rgb[i];
        }
        return image;
    }
}
