package org.tessera.slides;

import java.util.Objects;

/**
 * How well a backend supports a file, and why: the highest score opens it, ties go to the backend listed first.
 *
 * <ul>
 *   <li>{@link #NONE} (0): cannot read it;
 *   <li>{@link #CONTAINER} (1): the container could hold a slide this backend reads (a zip, a directory);
 *   <li>{@link #GENERIC} (2): the file is of the backend's format family (e.g. a tiled TIFF);
 *   <li>{@link #SPECIFIC} (3): the backend recognised this exact vendor format (e.g. Aperio SVS, a DICOM WSI file).
 * </ul>
 *
 * @param score 0 = not at all; higher is better
 * @param reason what the score is based on, for the log
 */
public record Support(int score, String reason) {

    public static final int NONE = 0;
    public static final int CONTAINER = 1;
    public static final int GENERIC = 2;
    public static final int SPECIFIC = 3;

    public Support {
        if (score < 0) {
            throw new IllegalArgumentException("score must not be negative: " + score);
        }
        Objects.requireNonNull(reason, "reason");
    }

    public static Support none(String reason) {
        return new Support(NONE, reason);
    }

    public boolean supported() {
        return score > NONE;
    }
}
