package org.tessera.contracts;

/** A worker took the job and began downloading. {@code workerId} names the pod/process that holds the lease. */
public record ItemStarted(int attempt, String workerId) implements ItemEvent {

    public static final String TYPE = "item.started";

    @Override
    public String type() {
        return TYPE;
    }
}
