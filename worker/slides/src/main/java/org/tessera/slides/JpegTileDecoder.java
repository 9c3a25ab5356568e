package org.tessera.slides;

import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes one JPEG tile into packed ARGB: with libjpeg-turbo where it is installed, else (or when the stream's colour
 * space contradicts the TIFF's) with the JDK's JPEG reader, reused across tiles (creating a reader costs more than
 * decoding a 256-pixel tile). The JDK path reads the raw raster and converts colours here, because TIFF decides the
 * colour space by PhotometricInterpretation, not by the JPEG stream's markers: Aperio writes RGB-photometric tiles
 * whose streams a JPEG reader would take for YCbCr. Not thread-safe: one per thread (pooled by the reader).
 */
final class JpegTileDecoder implements AutoCloseable {

    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        // JFIF (full-range BT.601) in 16-bit fixed point, as libjpeg's jdcolor.c does it.
        for (int i = 0; i < 256; i++) {
            int c = i - 128;
            CR_R[i] = (int) Math.round(1.40200 * 65536 * c) >> 16;
            CB_B[i] = (int) Math.round(1.77200 * 65536 * c) >> 16;
            CR_G[i] = (int) Math.round(-0.71414 * 65536 * c);
            CB_G[i] = (int) Math.round(-0.34414 * 65536 * c) + 32768;
        }
    }

    private final TurboJpegDecoder turbo;
    private ImageReader reader;
    private byte[] stream = new byte[0];
    private int[] tile = new int[0];

    /** @param turbo libjpeg-turbo's decoder, tried first; null: the JDK's alone */
    JpegTileDecoder(TurboJpegDecoder turbo) {
        this.turbo = turbo;
    }

    /** A scratch buffer for one tile's compressed stream, kept between tiles. */
    byte[] streamBuffer(int length) {
        if (stream.length < length) {
            stream = new byte[Math.max(length, stream.length * 3 / 2)];
        }
        return stream;
    }

    private byte[] raw = new byte[0];

    /** A scratch buffer for one tile's decompressed samples, kept between tiles. */
    byte[] rawBuffer(int bytes) {
        if (raw.length < bytes) {
            raw = new byte[bytes];
        }
        return raw;
    }

    /** A scratch buffer for one decoded tile, kept between tiles. */
    int[] tileBuffer(int pixels) {
        if (tile.length < pixels) {
            tile = new int[pixels];
        }
        return tile;
    }

    /**
     * @param jpeg a complete JPEG stream (tables included)
     * @param ycbcr whether the samples are YCbCr (PhotometricInterpretation 6) rather than RGB
     * @param argb receives {@code width x height} pixels from {@code offset} on, rows {@code stride} apart; a stream
     *     smaller than that leaves the rest untouched
     * @throws LargerThanTile when the stream's header declares more than {@code width x height} pixels: checked before
     *     either decoder allocates anything for it
     */
    void decode(byte[] jpeg, int length, boolean ycbcr, int width, int height, int[] argb, int offset, int stride)
            throws IOException {
        JpegHeader header = JpegHeader.read(jpeg, length);
        if (header.width() > width || header.height() > height) {
            throw new LargerThanTile(header, width, height);
        }
        if (header.width() < 1 || header.height() < 1) {
            throw new IOException("JPEG header declares " + header.width() + "x" + header.height() + " pixels");
        }
        if (turbo != null && turbo.decode(jpeg, length, ycbcr, width, height, argb, offset, stride)) {
            return;
        }
        if (reader == null) {
            reader = jdkJpegReader();
        }
        Raster raster;
        try (MemoryCacheImageInputStream in =
                new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg, 0, length))) {
            reader.setInput(in, true, true);
            raster = reader.readRaster(0, null);
        } finally {
            reader.setInput(null);
        }
        int w = Math.min(width, raster.getWidth());
        int h = Math.min(height, raster.getHeight());
        int bands = raster.getNumBands();
        if (raster.getDataBuffer() instanceof DataBufferByte buffer
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel model
                && model.getPixelStride() == bands
                && buffer.getNumBanks() == 1) {
            byte[] data = buffer.getData();
            int lineStride = model.getScanlineStride();
            int[] offsets = model.getBandOffsets();
            int base = buffer.getOffset()
                    - raster.getSampleModelTranslateX() * bands
                    - raster.getSampleModelTranslateY() * lineStride;
            if (bands == 3) {
                convert3(data, base, model.getScanlineStride(), offsets, ycbcr, w, h, argb, offset, stride);
                return;
            }
            if (bands == 1) {
                for (int y = 0; y < h; y++) {
                    int row = base + y * lineStride + offsets[0];
                    int out = offset + y * stride;
                    for (int x = 0; x < w; x++) {
                        int v = data[row + x] & 0xFF;
                        argb[out + x] = 0xFF000000 | v << 16 | v << 8 | v;
                    }
                }
                return;
            }
        }
        throw new IOException("JPEG tile has an unexpected layout: " + bands + " bands, "
                + raster.getSampleModel().getClass().getSimpleName());
    }

    private static void convert3(
            byte[] data,
            int base,
            int lineStride,
            int[] offsets,
            boolean ycbcr,
            int w,
            int h,
            int[] argb,
            int offset,
            int stride) {
        int o0 = offsets[0];
        int o1 = offsets[1];
        int o2 = offsets[2];
        for (int y = 0; y < h; y++) {
            int p = base + y * lineStride;
            int out = offset + y * stride;
            for (int x = 0; x < w; x++, p += 3) {
                int a = data[p + o0] & 0xFF;
                int b = data[p + o1] & 0xFF;
                int c = data[p + o2] & 0xFF;
                int r;
                int g;
                int bl;
                if (ycbcr) {
                    r = clamp(a + CR_R[c]);
                    g = clamp(a + ((CB_G[b] + CR_G[c]) >> 16));
                    bl = clamp(a + CB_B[b]);
                } else {
                    r = a;
                    g = b;
                    bl = c;
                }
                argb[out + x] = 0xFF000000 | r << 16 | g << 8 | bl;
            }
        }
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.dispose();
        }
        if (turbo != null) {
            turbo.close();
        }
    }

    /** A JPEG whose header declares more pixels than the tile (or strip) it stands for: a decompression bomb. */
    static final class LargerThanTile extends IOException {

        LargerThanTile(JpegHeader header, int width, int height) {
            super("its JPEG header declares " + header.width() + "x" + header.height() + " pixels for a tile of "
                    + width + "x" + height);
        }
    }

    /** The JDK's own reader: a JPEG plug-in elsewhere on the class path may not support raw rasters. */
    private static ImageReader jdkJpegReader() {
        ImageReader fallback = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader candidate = it.next();
            if (candidate.getClass().getName().startsWith("com.sun.imageio")) {
                if (fallback != null) {
                    fallback.dispose();
                }
                return candidate;
            }
            if (fallback == null && candidate.canReadRaster()) {
                fallback = candidate;
            } else {
                candidate.dispose();
            }
        }
        if (fallback == null) {
            throw new IllegalStateException("no JPEG reader that reads rasters is installed");
        }
        return fallback;
    }
}
