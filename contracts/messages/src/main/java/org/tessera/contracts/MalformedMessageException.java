package org.tessera.contracts;

/** A Kafka record that is not a readable envelope; consumers send it to {@link Topics#DEAD_LETTERS}. */
public class MalformedMessageException extends RuntimeException {

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
