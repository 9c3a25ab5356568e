package org.tessera.contracts;

/**
 * Kafka topic names. Each topic is part of the public contract described in {@code asyncapi.yaml}; the suffix is the
 * major version of the payloads it carries, so a breaking change gets a new topic instead of a surprise.
 */
public final class Topics {

    /** {@link RunRequested}, key = run id. Produced by the orchestrator's outbox relay and by other services. */
    public static final String RUN_REQUESTS = "tessera.run-requests.v1";

    /** {@link RunStateChanged}, key = run id. Produced by the orchestrator for anyone who follows runs. */
    public static final String RUN_EVENTS = "tessera.run-events.v1";

    /** {@link SlideJob}, key = item id. Produced by the orchestrator, consumed by workers. */
    public static final String SLIDE_JOBS = "tessera.slide-jobs.v1";

    /**
     * {@link ItemStarted}, {@link ItemProgress}, {@link ItemSucceeded}, {@link ItemFailed}; key = run id, so that all
     * of a run's item events are applied in order by one consumer.
     */
    public static final String ITEM_EVENTS = "tessera.item-events.v1";

    /** {@link DeadLetter}, key = the original record's key. Records no consumer could read, with the reason. */
    public static final String DEAD_LETTERS = "tessera.dead-letters.v1";

    /**
     * {@link LedgerEntry}, key = organization id. Produced by the orchestrator, one entry per succeeded item; kept
     * forever, so that replaying it gives a billing service the whole ledger.
     */
    public static final String LEDGER = "tessera.ledger.v1";

    private Topics() {}
}
