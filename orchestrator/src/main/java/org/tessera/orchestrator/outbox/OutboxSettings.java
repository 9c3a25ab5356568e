package org.tessera.orchestrator.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** {@code tessera.outbox.*}: how the relay publishes the outbox. */
@ConfigMapping(prefix = "tessera.outbox")
public interface OutboxSettings {

    /** False stops this replica from relaying (another replica or process publishes the outbox). */
    @WithDefault("true")
    boolean enabled();

    /** How often the relay looks at the outbox when no commit in this process woke it. */
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** Rows published per transaction. */
    @WithDefault("500")
    int batchSize();

    /** How long the relay waits for the broker's acknowledgement before retrying the batch. */
    @WithDefault("PT30S")
    Duration sendTimeout();

    /**
     * Payloads of at least this many bytes (run requests) are stored in the table as an LZ4 block; 0 stores every
     * payload as it is. What reaches Kafka is the same either way.
     */
    @WithDefault("16384")
    int compressFromBytes();

    /**
     * How the relay's producer compresses its batches ({@code none}, {@code gzip}, {@code snappy}, {@code lz4},
     * {@code zstd}); consumers undo it without being told.
     */
    @WithDefault("lz4")
    String compression();
}
