package org.tessera.contracts;

/**
 * A record that a consumer could not read or process, kept with the reason instead of being dropped.
 *
 * @param sourceTopic topic the record came from
 * @param partition its partition
 * @param offset its offset
 * @param consumer the consumer group that gave up on it
 * @param reason why, e.g. the parse error
 * @param originalValue the record's value as UTF-8 text (Base64 if it was not valid UTF-8)
 */
public record DeadLetter(
        String sourceTopic, int partition, long offset, String consumer, String reason, String originalValue)
        implements Payload {

    public static final String TYPE = "dead-letter";

    @Override
    public String type() {
        return TYPE;
    }
}
