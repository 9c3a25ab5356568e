package org.tessera.imaging.tiff;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import org.tessera.imaging.jpeg.JpegEncoder;

/** Compresses one full tile of interleaved 8-bit samples into the bytes a TIFF tile holds. Thread-safe. */
final class TileEncoder {

    private TileEncoder() {}

    static byte[] encode(TiffLevelSpec spec, byte[] pixels) {
        if (pixels.length != spec.tileBytes()) {
            throw new IllegalArgumentException(
                    "tile needs " + spec.tileBytes() + " bytes for " + spec + " but got " + pixels.length);
        }
        return switch (spec.compression()) {
            case NONE -> pixels.clone();
            case DEFLATE -> deflate(pixels);
            case JPEG -> jpeg(pixels, spec.tileSize(), spec.samplesPerPixel(), spec.jpegQuality());
        };
    }

    private static byte[] deflate(byte[] pixels) {
        Deflater deflater = new Deflater(6);
        try {
            deflater.setInput(pixels);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(pixels.length / 4 + 64);
            byte[] buffer = new byte[1 << 15];
            while (!deflater.finished()) {
                int n = deflater.deflate(buffer);
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] jpeg(byte[] pixels, int tileSize, int samples, float quality) {
        try {
            // An RGB tile becomes JFIF YCbCr with 2x2 chroma subsampling, which is what the IFD's
            // YCbCrSubSampling = 2,2 declares.
            return JpegEncoder.encode(wrap(pixels, tileSize, samples), quality, JpegEncoder.Subsampling.YCBCR_420);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding of a tile failed", e);
        }
    }

    /** Views interleaved bytes as an image without copying. */
    static BufferedImage wrap(byte[] pixels, int size, int samples) {
        ColorSpace space = ColorSpace.getInstance(samples == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ColorModel model = new ComponentColorModel(space, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        int[] offsets = samples == 1 ? new int[] {0} : new int[] {0, 1, 2};
        WritableRaster raster = Raster.createInterleavedRaster(
                new DataBufferByte(pixels, pixels.length), size, size, size * samples, samples, offsets, null);
        return new BufferedImage(model, raster, false, null);
    }
}
