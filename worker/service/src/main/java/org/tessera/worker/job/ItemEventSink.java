package org.tessera.worker.job;

import java.io.IOException;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemEvent;

/**
 * Where item events go (Kafka in production). Both methods keep the order of events of one run: an event offered
 * before another is published is delivered before it.
 */
public interface ItemEventSink {

    /** Publishes and returns once the event is durably accepted. */
    void publish(Envelope<? extends ItemEvent> event) throws IOException;

    /** Publishes without waiting (progress and heartbeats); failures are only logged. */
    default void offer(Envelope<? extends ItemEvent> event) {
        try {
            publish(event);
        } catch (IOException e) {
            System.getLogger(ItemEventSink.class.getName())
                    .log(System.Logger.Level.WARNING, "could not publish " + event.type(), e);
        }
    }
}
