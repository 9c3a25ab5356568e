package org.tessera.dicom;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.tessera.dicom.DicomFormatException.Code;

/** Turns one frame's bytes into packed ARGB pixels. Thread-safe: each thread gets its own ImageIO reader. */
final class FrameDecoder {

    static final int BACKGROUND = 0xFFFFFFFF;

    // ImageIO readers keep state between calls and are not thread-safe: one per decoding thread.
    private static final ThreadLocal<ImageReader> JPEG_READERS = ThreadLocal.withInitial(FrameDecoder::newReader);

    private FrameDecoder() {}

    /**
     * Decodes a JPEG frame of {@code columns x rows}. {@code photometric} decides the colour transform only when the
     * JPEG stream itself does not say (no JFIF or Adobe marker, component ids not R, G, B).
     */
    static int[] jpeg(byte[] data, int offset, int length, int columns, int rows, String photometric, String where)
            throws DicomFormatException {
        ImageReader reader = JPEG_READERS.get();
        try (MemoryCacheImageInputStream stream =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(data, offset, length))) {
            reader.setInput(stream, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            // Checked before decoding: a crafted frame header could otherwise ask for gigabytes.
            if (width != columns || height != rows) {
                boolean larger = width > columns || height > rows;
                throw new DicomFormatException(
                        larger ? Code.DECOMPRESSION_BOMB : Code.CORRUPT_FRAME,
                        where + ": the JPEG is " + width + "x" + height + " but the frame is " + columns + "x" + rows);
            }
            int[] pixels = new int[columns * rows];
            boolean untransformedRgb =
                    "RGB".equals(photometric) && !JpegMarkers.declaresColourTransform(data, offset, length);
            if (untransformedRgb) {
                Raster raster = reader.readRaster(0, null);
                copyRaster(raster, pixels, columns, rows);
            } else {
                BufferedImage image = reader.read(0);
                copyImage(image, pixels, columns, rows);
            }
            return pixels;
        } catch (DicomFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DicomFormatException(Code.CORRUPT_FRAME, where + ": JPEG frame does not decode: " + e, e);
        } finally {
            reader.setInput(null);
        }
    }

    /** Native (uncompressed) 8-bit pixels. */
    static int[] uncompressed(
            byte[] data, int columns, int rows, int samples, int planarConfiguration, String photometric) {
        int count = columns * rows;
        int[] pixels = new int[count];
        if (samples == 1) {
            boolean inverted = "MONOCHROME1".equals(photometric);
            for (int i = 0; i < count; i++) {
                int v = data[i] & 0xFF;
                if (inverted) {
                    v = 255 - v;
                }
                pixels[i] = 0xFF000000 | v << 16 | v << 8 | v;
            }
            return pixels;
        }
        boolean ybr = photometric.startsWith("YBR");
        for (int i = 0; i < count; i++) {
            int a;
            int b;
            int c;
            if (planarConfiguration == 1) {
                a = data[i] & 0xFF;
                b = data[count + i] & 0xFF;
                c = data[2 * count + i] & 0xFF;
            } else {
                a = data[3 * i] & 0xFF;
                b = data[3 * i + 1] & 0xFF;
                c = data[3 * i + 2] & 0xFF;
            }
            pixels[i] = ybr ? ycbcrToRgb(a, b, c) : 0xFF000000 | a << 16 | b << 8 | c;
        }
        return pixels;
    }

    static int[] background(int columns, int rows) {
        int[] pixels = new int[columns * rows];
        Arrays.fill(pixels, BACKGROUND);
        return pixels;
    }

    private static int ycbcrToRgb(int y, int cb, int cr) {
        // ITU-R BT.601 full range, as YBR_FULL defines it (PS3.3 C.7.6.3.1.2).
        int r = clamp(Math.round(y + 1.402f * (cr - 128)));
        int g = clamp(Math.round(y - 0.344136f * (cb - 128) - 0.714136f * (cr - 128)));
        int b = clamp(Math.round(y + 1.772f * (cb - 128)));
        return 0xFF000000 | r << 16 | g << 8 | b;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(255, v);
    }

    private static void copyImage(BufferedImage image, int[] pixels, int columns, int rows) {
        int type = image.getType();
        if (type == BufferedImage.TYPE_3BYTE_BGR) {
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0, p = 0; i < pixels.length; i++, p += 3) {
                pixels[i] = 0xFF000000 | (bgr[p + 2] & 0xFF) << 16 | (bgr[p + 1] & 0xFF) << 8 | (bgr[p] & 0xFF);
            }
        } else if (type == BufferedImage.TYPE_BYTE_GRAY) {
            byte[] gray = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < pixels.length; i++) {
                int v = gray[i] & 0xFF;
                pixels[i] = 0xFF000000 | v << 16 | v << 8 | v;
            }
        } else if (type == BufferedImage.TYPE_INT_RGB) {
            int[] rgb = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = 0xFF000000 | rgb[i];
            }
        } else {
            image.getRGB(0, 0, columns, rows, pixels, 0, columns);
        }
    }

    private static void copyRaster(Raster raster, int[] pixels, int columns, int rows) {
        int bands = raster.getNumBands();
        int[] samples = new int[columns * bands];
        for (int y = 0; y < rows; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, columns, 1, samples);
            int o = y * columns;
            for (int x = 0; x < columns; x++) {
                int s = x * bands;
                int r = samples[s];
                int g = bands >= 3 ? samples[s + 1] : r;
                int b = bands >= 3 ? samples[s + 2] : r;
                pixels[o + x] = 0xFF000000 | r << 16 | g << 8 | b;
            }
        }
    }

    private static ImageReader newReader() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        ImageReader fallback = null;
        while (readers.hasNext()) {
            ImageReader reader = readers.next();
            // Prefer the JDK's own (libjpeg-based) reader; another plugin on the class path may behave differently.
            if (reader.getClass().getName().startsWith("com.sun.imageio")) {
                return reader;
            }
            fallback = reader;
        }
        if (fallback == null) {
            throw new IllegalStateException("no JPEG ImageReader available");
        }
        return fallback;
    }
}
