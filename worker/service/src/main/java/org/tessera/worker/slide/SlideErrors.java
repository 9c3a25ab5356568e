package org.tessera.worker.slide;

import org.tessera.contracts.ErrorCodes;
import org.tessera.slides.SlideFormatException;
import org.tessera.worker.common.InputRejectedException;

/** Maps the slide library's reasons for rejecting a file to the platform's stable error codes. */
public final class SlideErrors {

    private SlideErrors() {}

    public static String errorCode(SlideFormatException.Code code) {
        return switch (code) {
            case UNREADABLE -> ErrorCodes.INPUT_UNREADABLE;
            case UNSUPPORTED_FORMAT -> ErrorCodes.INPUT_UNSUPPORTED_FORMAT;
            case TOO_LARGE -> ErrorCodes.INPUT_TOO_LARGE;
            case NO_PIXEL_DATA -> ErrorCodes.INPUT_NO_PIXEL_DATA;
            case NOT_A_SERIES -> ErrorCodes.INPUT_NOT_A_SERIES;
            case METADATA_MISMATCH -> ErrorCodes.INPUT_METADATA_MISMATCH;
            case NO_RESOLUTION -> ErrorCodes.INPUT_NO_RESOLUTION;
            case DECOMPRESSION_BOMB -> ErrorCodes.INPUT_DECOMPRESSION_BOMB;
            case TOO_LARGE_DECODED -> ErrorCodes.INPUT_TOO_LARGE_DECODED;
        };
    }

    /** The input is at fault: a USER_ERROR carrying the mapped code and the library's message. */
    public static InputRejectedException rejection(SlideFormatException e) {
        return new InputRejectedException(errorCode(e.code()), e.getMessage(), e);
    }
}
