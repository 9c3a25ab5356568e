package org.tessera.contracts;

/**
 * A record that a consumer could not read or process, kept with the reason instead of being dropped. Its envelope's
 * {@code run_id} is the original record's run id when it could be recovered, else {@link #UNKNOWN_RUN}.
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

    /** The run id of a dead letter whose record named no readable run. */
    public static final java.util.UUID UNKNOWN_RUN = new java.util.UUID(0, 0);

    @Override
    public String type() {
        return TYPE;
    }
}
