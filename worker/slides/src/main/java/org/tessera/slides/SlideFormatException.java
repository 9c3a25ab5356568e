package org.tessera.slides;

import java.util.Objects;

/**
 * A slide file that cannot be read as the whole-slide image it claims to be: the input is at fault, retrying will not
 * help. {@link #code()} is stable (callers map it to their own error codes); the message names the file and what is
 * wrong with it.
 */
public final class SlideFormatException extends Exception {

    /** Why a slide was rejected. The names are part of the API: never rename one. */
    public enum Code {
        /** The file is cut short or its data does not decode. */
        UNREADABLE,
        /**
         * Not a format any backend reads (e.g. random bytes, a PNG), or a feature none decodes: a compression, bit
         * depth, colour space or planar configuration (the message names it and its value).
         */
        UNSUPPORTED_FORMAT,
        /** Declared dimensions beyond the platform's limits (a decompression bomb is refused before decoding). */
        TOO_LARGE,
        /** A DICOM whole-slide instance without pixel data. */
        NO_PIXEL_DATA,
        /** A zip or directory that is not one DICOM whole-slide series. */
        NOT_A_SERIES,
        /** The request's metadata contradicts the file (width, height or pixel size). */
        METADATA_MISMATCH,
        /** Neither the file nor the request states the pixel size. */
        NO_RESOLUTION,
        /**
         * Part of the file declares or expands to far more than its bytes justify or the limits allow: a JPEG tile
         * whose header claims more pixels than its tile, a table with more entries than a level may have, a zip that
         * expands beyond its allowed ratio or holds too many entries, a DICOM series of too many files or levels.
         */
        DECOMPRESSION_BOMB,
        /**
         * A tile, strip or frame beyond the decode limits (see {@link SlideLimits}), or decoding that exhausted the
         * memory set aside for it.
         */
        TOO_LARGE_DECODED
    }

    private final Code code;

    public SlideFormatException(Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public SlideFormatException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }
}
