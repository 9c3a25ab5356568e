package org.tessera.orchestrator.run.rules;

import com.fasterxml.jackson.databind.JsonNode;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.run.domain.Scheduling;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.run.submission.RunSubmission;

/** What a submission says about how its run is to be run: scheduling and callback context, copied onto the run. */
public final class RunRules {

    private RunRules() {}

    /**
     * Copies the submission's scheduling and callback context (as JSON text, kept as sent) onto a new run. A callback
     * context that is not a JSON object (only a request from Kafka can carry one) is not kept: run events carry
     * objects only, and admission rejects the request naming the field.
     */
    public static void takeFrom(RunSubmission submission, RunRow run) {
        Scheduling scheduling = submission.scheduling();
        run.dueDate = scheduling == null ? null : scheduling.dueDate();
        run.deadline = scheduling == null ? null : scheduling.deadline();
        JsonNode callbackContext = submission.callbackContext();
        run.callbackContextText =
                callbackContext != null && callbackContext.isObject() ? Json.write(callbackContext) : null;
    }
}
