package org.tessera.orchestrator.run.domain;

import java.time.Instant;

/**
 * A run's {@code scheduling}: when its submitter wants it done.
 *
 * @param dueDate orders work: among an organization's waiting items, earlier due dates go first; null when not set
 * @param deadline a run still open at this time is cancelled by the system; null when not set
 */
public record Scheduling(Instant dueDate, Instant deadline) {

    /** Both parts, or null when neither is set: runs without scheduling have none. */
    public static Scheduling of(Instant dueDate, Instant deadline) {
        return dueDate == null && deadline == null ? null : new Scheduling(dueDate, deadline);
    }

    /** Whether the due date lies after the deadline (the only inconsistent combination). */
    public boolean dueAfterDeadline() {
        return dueDate != null && deadline != null && dueDate.isAfter(deadline);
    }
}
