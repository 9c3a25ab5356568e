package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Path;
import org.tessera.bytes.ByteSource;

/**
 * A slide-reading backend. {@link SlideReaders} asks every provider how well it supports a file and opens it with the
 * best one, so a backend for another format is one more provider: built in, or a jar on the class path that lists its
 * class in {@code META-INF/services/org.tessera.slides.SlideReaderProvider} (public no-argument constructor).
 */
public interface SlideReaderProvider {

    /** Short name for logs, e.g. {@code twelvemonkeys-tiff}. */
    String name();

    /** Whether the backend can work in this process (e.g. its native library is installed). */
    default boolean isAvailable() {
        return true;
    }

    /** What the backend is, for the start-up log, e.g. {@code OpenSlide 3.4.1 (native)}. */
    default String description() {
        return name();
    }

    /**
     * How well this backend handles the file, decided from the first bytes and the file name, and at most a glance at
     * the file's headers: never by decoding pixels. See {@link Support} for the scale.
     *
     * @param file a regular file or a directory
     * @param head up to the first 512 bytes of the file (empty for a directory)
     */
    Support support(Path file, byte[] head);

    /**
     * Opens the file. The reader must be thread-safe (wrap a single-threaded one in a {@link SlideReaderPool}).
     *
     * @param displayName how error messages name the file, e.g. {@code whole_slide_image of item slide-7}
     * @throws SlideFormatException UNREADABLE when the file is broken, UNSUPPORTED_FORMAT when it uses a feature this
     *     backend lacks (e.g. a compression; {@link SlideReaders} then tries the next backend), TOO_LARGE when it
     *     declares sizes beyond the limits
     */
    SlideReader open(Path file, String displayName) throws SlideFormatException, IOException;

    /**
     * How well this backend reads a single file it can only reach through {@code source} (e.g. a signed URL read
     * with range requests), decided from its first bytes and at most its headers. Backends that need a local path
     * (native libraries, directories, zips) do not.
     *
     * @param head up to the first 512 bytes of the file
     */
    default Support support(ByteSource source, byte[] head) {
        return Support.none(name() + " reads local files only");
    }

    /**
     * Opens the single file {@code source} holds. The reader closes {@code source} when it is closed; when opening
     * fails, the caller closes it.
     */
    default SlideReader open(ByteSource source, String displayName) throws SlideFormatException, IOException {
        throw new SlideFormatException(
                SlideFormatException.Code.UNSUPPORTED_FORMAT, name() + " reads local files only: " + displayName);
    }
}
