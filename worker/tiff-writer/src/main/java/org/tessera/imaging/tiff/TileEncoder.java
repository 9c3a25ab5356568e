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
import java.util.Iterator;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Compresses one full tile of interleaved 8-bit samples into the bytes a TIFF tile holds. Thread-safe. */
final class TileEncoder {

    // ImageIO writers keep state between calls and are not thread-safe: one per thread that encodes.
    private static final ThreadLocal<ImageWriter> JPEG_WRITERS = ThreadLocal.withInitial(TileEncoder::newJpegWriter);

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
        BufferedImage image = wrap(pixels, tileSize, samples);
        ImageWriter writer = JPEG_WRITERS.get();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(tileSize * tileSize / 4);
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            // The JDK writer turns an RGB image into JFIF YCbCr with 2x2 chroma subsampling, which is what the
            // IFD's YCbCrSubSampling = 2,2 declares.
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("JPEG encoding of a tile failed", e);
        } finally {
            writer.reset();
        }
        return bytes.toByteArray();
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

    private static ImageWriter newJpegWriter() {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        while (writers.hasNext()) {
            ImageWriter writer = writers.next();
            // The JDK's own writer is the one whose output and subsampling we rely on.
            if (writer.getClass().getName().startsWith("com.sun.imageio")) {
                return writer;
            }
        }
        throw new IllegalStateException("the JDK's JPEG ImageWriter is not available");
    }
}
