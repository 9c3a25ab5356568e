package org.tessera.slides;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tessera.openslide.OpenSlide;

/**
 * Native backend over Debian's libopenslide (Aperio, Hamamatsu, Leica, MIRAX, Philips, Sakura, Trestle, Ventana,
 * generic tiled TIFF). Available only where the library is installed ({@code worker/install-native-deps}).
 */
public final class OpenSlideReaderProvider implements SlideReaderProvider {

    public static final String NAME = "openslide";

    /**
     * The pure-Java reader's compressions plus old-style JPEG (6) and JPEG 2000 (Aperio 33003/33005, 34712), which
     * OpenSlide decodes.
     */
    private static final Set<Integer> COMPRESSIONS = Stream.concat(
                    TiffSlideReader.SUPPORTED_COMPRESSIONS.stream(), Stream.of(6, 33003, 33005, 34712))
            .collect(Collectors.toUnmodifiableSet());

    private final SlideLimits limits;

    /** The default limits. */
    public OpenSlideReaderProvider() {
        this(SlideLimits.defaults());
    }

    /** @param limits what one slide may ask of the reader, checked before OpenSlide opens the file */
    public OpenSlideReaderProvider(SlideLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean isAvailable() {
        return OpenSlide.isAvailable();
    }

    @Override
    public String description() {
        Optional<String> version = OpenSlide.libraryVersion();
        return version.map(v -> NAME + " (OpenSlide " + v + ", native)")
                .orElse(NAME + " (libopenslide is not installed)");
    }

    @Override
    public Support support(Path file, byte[] head) {
        if (!isAvailable() || Files.isDirectory(file)) {
            return Support.none("not available");
        }
        Optional<String> vendor = OpenSlide.detectVendor(file);
        if (vendor.isEmpty()) {
            return Support.none("OpenSlide does not recognise the file");
        }
        if (vendor.get().equals("generic-tiff")) {
            return new Support(Support.GENERIC, "OpenSlide detects a generic tiled TIFF");
        }
        return new Support(Support.SPECIFIC, "OpenSlide detects vendor format " + vendor.get());
    }

    @Override
    public SlideReader open(Path file, String displayName) throws SlideFormatException, IOException {
        if (isTiff(file)) {
            // Native code trusts the file: check sizes, tiles, tables, compressions and sample layouts in Java first,
            // so that a decompression bomb or a layout the readers do not decode fails as it would with the pure-Java
            // backend, not inside libtiff.
            TiffSlideReader.open(file, displayName, COMPRESSIONS, null, limits, null)
                    .close();
        }
        return OpenSlideReader.open(file, displayName, limits);
    }

    private static boolean isTiff(Path file) throws IOException {
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 4) {
                return false;
            }
        }
        return new TiffSlideReaderProvider().support(file, head).supported();
    }
}
