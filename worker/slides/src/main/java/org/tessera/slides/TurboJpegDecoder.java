package org.tessera.slides;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import org.tessera.openslide.NativeLibrary;

/**
 * One TurboJPEG decompressor with its native buffers, reused across tiles. Used by one thread at a time (pooled); its
 * memory is shared-arena so that the pool may hand it to another thread later.
 */
final class TurboJpegDecoder implements AutoCloseable {

    private final TurboJpeg lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment handle;
    private final MemorySegment header;

    TurboJpegDecoder(TurboJpeg lib) {
        this.lib = lib;
        try {
            this.handle = (MemorySegment) lib.initDecompress.invokeExact();
        } catch (Throwable t) {
            arena.close();
            throw new IllegalStateException("tjInitDecompress failed", t);
        }
        if (handle.equals(MemorySegment.NULL)) {
            arena.close();
            throw new IllegalStateException("tjInitDecompress returned no handle");
        }
        this.header = arena.allocate(ValueLayout.JAVA_INT, 4);
    }

    /**
     * Decodes like {@link JpegTileDecoder#decode}, unless the stream's colour space contradicts what the TIFF declares
     * ({@code ycbcr}): then it decodes nothing and returns false, and the caller takes the JDK path, which converts
     * colours as the TIFF says. The caller has checked that the stream's frame header fits {@code width x height}.
     */
    boolean decode(byte[] jpeg, int length, boolean ycbcr, int width, int height, int[] argb, int offset, int stride)
            throws IOException {
        MemorySegment source = MemorySegment.ofArray(jpeg);
        int jpegWidth;
        int jpegHeight;
        int colorspace;
        try {
            int status = (int) lib.decompressHeader3.invokeExact(
                    handle, source, (long) length, header, header.asSlice(4), header.asSlice(8), header.asSlice(12));
            if (status != 0) {
                throw new IOException("JPEG header: " + error());
            }
            jpegWidth = header.get(ValueLayout.JAVA_INT, 0);
            jpegHeight = header.get(ValueLayout.JAVA_INT, 4);
            colorspace = header.get(ValueLayout.JAVA_INT, 12);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("tjDecompressHeader3 failed", t);
        }
        boolean streamIsYcbcr = colorspace == TurboJpeg.COLORSPACE_YCBCR;
        boolean streamIsRgb = colorspace == TurboJpeg.COLORSPACE_RGB;
        if ((ycbcr && streamIsRgb) || (!ycbcr && streamIsYcbcr)) {
            return false;
        }
        // The caller has checked the frame header; libjpeg-turbo reading it otherwise would be a broken stream.
        if (jpegWidth < 1 || jpegHeight < 1 || jpegWidth > width || jpegHeight > height) {
            throw new IOException("JPEG tile declares " + jpegWidth + "x" + jpegHeight + " pixels");
        }
        // BGRA bytes read as little-endian ints are 0xAARRGGBB, alpha 255: decoded straight into the caller's rows.
        if (offset < 0 || (long) offset + (long) (jpegHeight - 1) * stride + jpegWidth > argb.length) {
            throw new IllegalArgumentException("the tile's rows do not fit the pixel array");
        }
        MemorySegment target = MemorySegment.ofArray(argb).asSlice(offset * 4L);
        try {
            int status = (int) lib.decompress2.invokeExact(
                    handle,
                    source,
                    (long) length,
                    target,
                    jpegWidth,
                    stride * 4,
                    jpegHeight,
                    TurboJpeg.PIXEL_FORMAT_BGRA,
                    0);
            // Warnings (e.g. extraneous bytes before a marker, which some scanners write) still give an image.
            if (status != 0 && (int) lib.errorCode.invokeExact(handle) != TurboJpeg.ERROR_WARNING) {
                throw new IOException(error());
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("tjDecompress2 failed", t);
        }
        return true;
    }

    private String error() throws Throwable {
        return Objects.requireNonNullElse(
                NativeLibrary.string((MemorySegment) lib.errorString.invokeExact(handle)), "unknown error");
    }

    @Override
    public void close() {
        try {
            int ignored = (int) lib.destroy.invokeExact(handle);
        } catch (Throwable t) {
            throw new IllegalStateException("tjDestroy failed", t);
        } finally {
            arena.close();
        }
    }
}
