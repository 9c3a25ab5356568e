package org.tessera.orchestrator.run.rules;

import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.run.domain.Scheduling;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.run.submission.RunSubmission;

/** What a submission says about how its run is to be run: scheduling and callback context, copied onto the run. */
public final class RunRules {

    private RunRules() {}

    /** Copies the submission's scheduling and callback context (as JSON text, kept as sent) onto a new run. */
    public static void takeFrom(RunSubmission submission, RunRow run) {
        Scheduling scheduling = submission.scheduling();
        run.dueDate = scheduling == null ? null : scheduling.dueDate();
        run.deadline = scheduling == null ? null : scheduling.deadline();
        run.callbackContextText = Json.write(submission.callbackContext());
    }
}
