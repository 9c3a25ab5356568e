package org.tessera.dicom;

import java.io.IOException;
import java.util.Objects;

/**
 * A DICOM input that cannot be read as a whole-slide image. {@link #code()} is stable (callers map it to their own
 * error codes); the message names the file or zip entry and what is wrong with it.
 */
public final class DicomFormatException extends IOException {

    /** Why an input was rejected. The names are part of the API: never rename one. */
    public enum Code {
        /** No {@code DICM} magic after the preamble, or the header cannot be parsed. */
        NOT_DICOM,
        /** A whole-slide instance without Pixel Data (7FE0,0010). */
        NO_PIXEL_DATA,
        /** DICOM, but not a VL Whole Slide Microscopy Image (or no VOLUME image in it). */
        NOT_WSI,
        /** Pixel data in a transfer syntax this reader cannot decode (the message says which). */
        UNSUPPORTED_TRANSFER_SYNTAX,
        /** A zip or directory that holds no DICOM file, or instances of more than one series. */
        NOT_A_SERIES,
        /** An offset or length points beyond the end of the file. */
        TRUNCATED,
        /** A required attribute is missing, malformed or out of range. */
        INVALID_ATTRIBUTE,
        /** A frame's compressed data does not decode. */
        CORRUPT_FRAME,
        /** A frame beyond the decode limits: its side, its decoded bytes or its compressed bytes. */
        TOO_LARGE,
        /**
         * The input declares or expands to far more than its bytes justify or the limits allow: a tile grid larger
         * than a level may have, a zip that expands beyond its allowed ratio or holds too many entries, a series of
         * too many files or levels, a JPEG frame whose header claims more pixels than the frame.
         */
        DECOMPRESSION_BOMB,
        /** Pixels this reader does not decode: a bit depth or photometric interpretation (the message says which). */
        UNSUPPORTED_PIXEL_FORMAT
    }

    private final Code code;

    public DicomFormatException(Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public DicomFormatException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }
}
