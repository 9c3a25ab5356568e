package org.tessera.slides;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A slide-reading backend. {@link SlideReaders} asks every provider how well it supports a file and opens it with the
 * best one, so a backend for another format (OpenSlide, DICOM, Bio-Formats) is one more provider.
 */
public interface SlideReaderProvider {

    /** Short name for logs, e.g. {@code twelvemonkeys-tiff}. */
    String name();

    /**
     * How well this backend handles the file: 0 = not at all; higher is better. Decided from the first bytes and the
     * file name only, without parsing the file.
     */
    int supportScore(Path file, byte[] head);

    /**
     * Opens the file.
     *
     * @param displayName how error messages name the file, e.g. {@code whole_slide_image of item slide-7}
     * @throws SlideFormatException UNREADABLE when the file is broken, UNSUPPORTED_FORMAT when it uses
     *     a feature this backend lacks (e.g. a compression)
     */
    SlideReader open(Path file, String displayName) throws SlideFormatException, IOException;
}
