package org.tessera.worker.slide;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.tessera.contracts.ErrorCodes;
import org.tessera.worker.pipeline.InputRejectedException;

/** Opens a slide with the backend that supports it best. */
public final class SlideReaders {

    private static final int HEAD_BYTES = 512;

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

    public SlideReader open(Path file, String displayName) throws InputRejectedException, IOException {
        byte[] head = head(file);
        SlideReaderProvider best = providers.stream()
                .filter(p -> p.supportScore(file, head) > 0)
                .max(Comparator.comparingInt(p -> p.supportScore(file, head)))
                .orElseThrow(() -> new InputRejectedException(
                        ErrorCodes.INPUT_UNSUPPORTED_FORMAT,
                        displayName + " is not a format this platform reads (tiled TIFF, BigTIFF, SVS)"));
        return best.open(file, displayName);
    }

    private static byte[] head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(HEAD_BYTES);
        }
    }
}
