package org.tessera.worker.common;

import java.io.IOException;

/** Writing an output to the object store failed: ours to fix (SYSTEM_OUTPUT_UPLOAD_FAILED), may be retried. */
public class OutputUploadException extends IOException {

    public OutputUploadException(String message, Throwable cause) {
        super(message, cause);
    }
}
