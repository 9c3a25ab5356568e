package org.tessera.orchestrator.run.domain;

import org.tessera.contracts.RunState;

/** What the caller must do, in the same transaction, after the run lifecycle decided. */
public sealed interface RunEffect {

    /** Publish the state change on the run-events topic and record it on the run. */
    record StateChanged(RunState from, RunState to, String errorCode, String errorMessage) implements RunEffect {}

    /**
     * The run was admitted: fix its error threshold and hand its items to the dispatcher, which puts their slide jobs
     * on Kafka as in-flight places free up.
     */
    record EnqueueItems() implements RunEffect {}

    /**
     * Move every pending or processing item of the run to SKIPPED. Processing items are skipped too: the run's end is
     * final at once, and what their workers report later is ignored.
     */
    record SkipOpenItems() implements RunEffect {}
}
