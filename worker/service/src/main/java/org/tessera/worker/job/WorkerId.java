package org.tessera.worker.job;

import java.util.Objects;

/** How this worker names itself in item events and Kafka client ids: the configured id, else the host name. */
public record WorkerId(String value) {

    public WorkerId {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return value;
    }
}
