package org.tessera.slides;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Opens a slide with the backend that supports it best. */
public final class SlideReaders {

    private static final int HEAD_BYTES = 512;
    /** 500,000 px is 125 mm at 0.25 µm/px, more than any glass slide holds. */
    static final int MAX_SIDE = 500_000;

    static final long MAX_PIXELS = 40_000_000_000L;

    private final List<SlideReaderProvider> providers;

    public SlideReaders(List<SlideReaderProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** The backends available without native libraries. */
    public static SlideReaders builtIn() {
        return new SlideReaders(List.of(new TiffSlideReaderProvider()));
    }

    public List<SlideReaderProvider> providers() {
        return providers;
    }

    public SlideReader open(Path file, String displayName) throws SlideFormatException, IOException {
        byte[] head = head(file);
        SlideReaderProvider best = providers.stream()
                .filter(p -> p.supportScore(file, head) > 0)
                .max(Comparator.comparingInt(p -> p.supportScore(file, head)))
                .orElseThrow(() -> new SlideFormatException(
                        SlideFormatException.Code.UNSUPPORTED_FORMAT,
                        displayName + " is not a format this platform reads (tiled TIFF, BigTIFF, SVS)"));
        SlideReader reader = best.open(file, displayName);
        try {
            checkDimensions(reader.info(), displayName);
            return reader;
        } catch (SlideFormatException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * Refuses absurd dimensions before any pixel is decoded: a small file can declare an enormous image (a
     * decompression bomb), which would otherwise exhaust memory or keep the worker busy for days.
     */
    static void checkDimensions(SlideInfo info, String displayName) throws SlideFormatException {
        long pixels = (long) info.width() * info.height();
        if (info.width() > MAX_SIDE || info.height() > MAX_SIDE || pixels > MAX_PIXELS) {
            throw new SlideFormatException(
                    SlideFormatException.Code.TOO_LARGE,
                    displayName + " declares " + info.width() + "x" + info.height() + " pixels, above this platform's"
                            + " limit of " + MAX_SIDE + " per side and " + MAX_PIXELS + " in total");
        }
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEAD_BYTES);
        }
    }
}
