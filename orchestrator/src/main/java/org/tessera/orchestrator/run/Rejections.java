package org.tessera.orchestrator.run;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.tessera.contracts.ErrorCodes;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.run.domain.RunEvent;
import org.tessera.orchestrator.run.submission.SubmissionValidator;

/**
 * What a check at admission means for a run, whichever way it came (the REST API's line or a request from Kafka): the
 * rejection, with its error code and message, or nothing when the run may go on.
 */
public final class Rejections {

    /** How many field errors a rejection message lists before it says "and N more". */
    private static final int ERRORS_IN_MESSAGE = 5;

    private Rejections() {}

    public static Optional<RunEvent.Reject> of(SubmissionValidator.Verdict verdict) {
        return switch (verdict) {
            case SubmissionValidator.Accepted _ -> Optional.empty();
            case SubmissionValidator.NotFound notFound ->
                Optional.of(new RunEvent.Reject(ErrorCodes.RUN_REJECTED_UNKNOWN_APPLICATION, notFound.message()));
            case SubmissionValidator.NotAvailable notAvailable ->
                Optional.of(new RunEvent.Reject(notAvailable.code(), notAvailable.message()));
            case SubmissionValidator.Invalid invalid ->
                Optional.of(new RunEvent.Reject(ErrorCodes.RUN_REJECTED_INVALID_REQUEST, summary(invalid.errors())));
        };
    }

    private static String summary(List<FieldError> errors) {
        String listed =
                errors.stream().limit(ERRORS_IN_MESSAGE).map(FieldError::msg).collect(Collectors.joining("; "));
        return errors.size() > ERRORS_IN_MESSAGE
                ? listed + "; and " + (errors.size() - ERRORS_IN_MESSAGE) + " more"
                : listed;
    }
}
