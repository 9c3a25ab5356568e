package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Path;
import org.tessera.bytes.ByteSource;
import org.tessera.bytes.FileByteSource;

/**
 * Pure-Java backend for TIFF, BigTIFF and Aperio SVS: tiled pyramids, and plain striped or single tiled images whose
 * pyramid it builds; the fallback when OpenSlide is not installed.
 */
public final class TiffSlideReaderProvider implements SlideReaderProvider {

    public static final String NAME = "java-tiff";

    private final TurboJpeg turboJpeg;
    private final JpegDecoderInfo jpegDecoder;
    private final SlideLimits limits;

    /** Decodes JPEG tiles with libjpeg-turbo where it is installed, else with the JDK; the default limits. */
    public TiffSlideReaderProvider() {
        this(true);
    }

    /** @param libjpegTurbo whether to decode JPEG tiles with libjpeg-turbo when it is installed */
    public TiffSlideReaderProvider(boolean libjpegTurbo) {
        this(libjpegTurbo, SlideLimits.defaults());
    }

    /**
     * @param libjpegTurbo whether to decode JPEG tiles with libjpeg-turbo when it is installed
     * @param limits what one slide may ask of the reader
     */
    public TiffSlideReaderProvider(boolean libjpegTurbo, SlideLimits limits) {
        this.turboJpeg = libjpegTurbo ? TurboJpeg.instance().orElse(null) : null;
        this.jpegDecoder =
                libjpegTurbo ? TurboJpeg.decoder() : JpegDecoderInfo.jdk("the native decoder is switched off here");
        this.limits = limits;
    }

    /** The decoder this backend's readers decode JPEG tiles with. */
    public JpegDecoderInfo jpegDecoder() {
        return jpegDecoder;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return NAME + " (tiled or striped TIFF/BigTIFF/SVS in Java; JPEG tiles decoded by " + jpegDecoder + ")";
    }

    @Override
    public Support support(Path file, byte[] head) {
        Support header = header(head);
        if (!header.supported()) {
            return header;
        }
        try (FileByteSource source = FileByteSource.open(file)) {
            return isAperio(source) ? aperio() : header;
        } catch (IOException e) {
            return header;
        }
    }

    @Override
    public Support support(ByteSource source, byte[] head) {
        Support header = header(head);
        return header.supported() && isAperio(source) ? aperio() : header;
    }

    private static Support aperio() {
        return new Support(Support.SPECIFIC, "Aperio SVS (ImageDescription of the first image)");
    }

    private static Support header(byte[] head) {
        if (head.length < 4) {
            return Support.none("not a TIFF");
        }
        boolean little = head[0] == 'I' && head[1] == 'I' && head[3] == 0 && (head[2] == 42 || head[2] == 43);
        boolean big = head[0] == 'M' && head[1] == 'M' && head[2] == 0 && (head[3] == 42 || head[3] == 43);
        if (!little && !big) {
            return Support.none("not a TIFF");
        }
        boolean bigTiff = little ? head[2] == 43 : head[3] == 43;
        return new Support(Support.GENERIC, (bigTiff ? "BigTIFF" : "TIFF") + " header");
    }

    /** A glance at the first directory only; a file too broken to tell is left for {@link #open} to report. */
    private static boolean isAperio(ByteSource source) {
        try {
            return TiffDirectory.readAll(source, source.name())
                    .getFirst()
                    .ascii(TiffDirectory.IMAGE_DESCRIPTION)
                    .startsWith("Aperio");
        } catch (IOException | SlideFormatException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public SlideReader open(Path file, String displayName) throws SlideFormatException, IOException {
        // Levels a slide lacks are built next to it: the caller's per-item directory, removed with it.
        return TiffSlideReader.open(file, displayName, TiffSlideReader.SUPPORTED_COMPRESSIONS, turboJpeg, limits, null);
    }

    /** Levels a remote slide lacks are built in the system's temporary directory, deleted when the reader closes. */
    @Override
    public SlideReader open(ByteSource source, String displayName) throws SlideFormatException, IOException {
        return TiffSlideReader.open(
                source,
                displayName,
                TiffSlideReader.SUPPORTED_COMPRESSIONS,
                turboJpeg,
                limits,
                Path.of(System.getProperty("java.io.tmpdir")));
    }
}
