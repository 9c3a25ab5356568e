package org.tessera.models.stain;

/** A slide whose stains cannot be estimated; the message says why, in words fit for the slide's outputs. */
public final class StainEstimationException extends Exception {
    public StainEstimationException(String reason) {
        super(reason);
    }
}
