package org.tessera.orchestrator.run.domain;

import org.tessera.contracts.RunState;

/** What the caller must do, in the same transaction, after the run lifecycle decided. */
public sealed interface RunEffect {

    /** Publish the state change on the run-events topic and record it on the run. */
    record StateChanged(RunState from, RunState to, String errorCode, String errorMessage) implements RunEffect {}

    /** Publish one slide job (attempt 1) per item. */
    record FanOutSlideJobs() implements RunEffect {}

    /** Move every pending or processing item of the run to SKIPPED. */
    record SkipOpenItems() implements RunEffect {}
}
