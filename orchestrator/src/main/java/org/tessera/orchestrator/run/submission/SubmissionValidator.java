package org.tessera.orchestrator.run.submission;

import static org.tessera.orchestrator.run.submission.SubmissionParser.append;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.tessera.orchestrator.application.ApplicationAccess;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.MetadataSchema;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.application.domain.ArtifactSpec;
import org.tessera.orchestrator.application.domain.OrganizationApplications;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.run.domain.Scheduling;

/**
 * Checks a submission against the application catalogue: the application and version exist and the submitter's
 * organization has them (docs/organizations.md, Applications), 1..max items with
 * unique external ids, exactly the declared inputs per item, absolute http(s) download URLs, and metadata valid
 * against the version's JSON Schema; and against the run rules: a due date not after the deadline, a callback context
 * of at most 1,024 bytes. Used both by the REST API (before anything is stored) and by admission (for
 * requests other services put on Kafka).
 */
public final class SubmissionValidator {

    /** Caps the error list so that a 500-item request full of mistakes still gets a readable answer. */
    static final int MAX_ERRORS = 100;

    static final int MAX_EXTERNAL_ID_LENGTH = 255;
    static final int MAX_URL_LENGTH = 2083;

    /** The API's limit on {@code callback_context}, serialized. */
    public static final int MAX_CALLBACK_CONTEXT_BYTES = 1024;

    /** The verdict. */
    public sealed interface Verdict {}

    public record Accepted(Application application, ApplicationVersion version) implements Verdict {}

    /**
     * The application, or the requested version of it, does not exist or is not available to the submitter's
     * organization (404). The message names the field.
     */
    public record NotFound(String field, String code, String message) implements Verdict {}

    /** The application exists, but the submitter's organization has none of its versions (403). */
    public record NotAvailable(String field, String code, String message) implements Verdict {}

    public record Invalid(List<FieldError> errors) implements Verdict {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }

    private final ApplicationCatalogue catalogue;
    private final int maxItems;

    public SubmissionValidator(ApplicationCatalogue catalogue, int maxItems) {
        this.catalogue = catalogue;
        this.maxItems = maxItems;
    }

    public int maxItems() {
        return maxItems;
    }

    /**
     * Checks a submission whose deadline need not lie in the future (admission: the deadline watchdog handles it).
     *
     * @param available what the submitter's organization has: the application and version must be among them, and
     *     without a version number the latest of them is used
     */
    public Verdict validate(RunSubmission submission, OrganizationApplications available) {
        return validate(submission, available, null);
    }

    /**
     * Checks a submission.
     *
     * @param available what the submitter's organization has
     * @param now when set, a {@code scheduling.deadline} must lie after it (a client submitting through the API)
     */
    public Verdict validate(RunSubmission submission, OrganizationApplications available, Instant now) {
        return validate(submission, available, now, true);
    }

    /**
     * Checks a request for a run that was stored after passing {@link #validate} for the same application version:
     * the organization must still have that version and the run rules must hold, but the items, already checked
     * against that version's immutable schemas, are not checked again.
     */
    public Verdict revalidateStored(RunSubmission submission, OrganizationApplications available) {
        return validate(submission, available, null, false);
    }

    private Verdict validate(
            RunSubmission submission, OrganizationApplications available, Instant now, boolean withItems) {
        if (submission.applicationId() == null) {
            return new Invalid(List.of(FieldError.body(List.of("application_id"), "missing", "field required")));
        }
        Application application;
        ApplicationVersion version;
        switch (available.version(submission.applicationId(), submission.versionNumber())) {
            case OrganizationApplications.GrantedVersion granted -> {
                application = granted.application();
                version = granted.version();
            }
            case OrganizationApplications.UnknownApplication unknown -> {
                return new NotFound(
                        "application_id",
                        ApplicationAccess.APPLICATION_NOT_FOUND,
                        "application_id: " + ApplicationAccess.unknownApplicationMessage(unknown.applicationId()));
            }
            case OrganizationApplications.ApplicationNotAvailable notAvailable -> {
                return new NotAvailable(
                        "application_id",
                        ApplicationAccess.APPLICATION_NOT_AVAILABLE,
                        "application_id: "
                                + ApplicationAccess.notAvailableMessage(
                                        notAvailable.applicationId(), available.organizationId()));
            }
            case OrganizationApplications.VersionNotAvailable missing -> {
                return new NotFound(
                        "version_number",
                        ApplicationAccess.VERSION_NOT_FOUND,
                        "version_number: "
                                + ApplicationAccess.versionNotFoundMessage(
                                        missing.applicationId(), missing.versionNumber()));
            }
        }
        List<FieldError> errors = new ArrayList<>();
        checkRunRules(submission, now, errors);
        if (withItems) {
            checkItems(submission, application, version, errors);
        }
        if (!errors.isEmpty()) {
            return new Invalid(errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
        }
        return new Accepted(application, version);
    }

    /** {@code scheduling} is consistent (and its deadline ahead, when {@code now} is given); the callback fits. */
    private static void checkRunRules(RunSubmission submission, Instant now, List<FieldError> errors) {
        Scheduling scheduling = submission.scheduling();
        if (scheduling != null) {
            if (now != null
                    && scheduling.deadline() != null
                    && !scheduling.deadline().isAfter(now)) {
                errors.add(FieldError.body(
                        List.of("scheduling", "deadline"),
                        "datetime_future",
                        "must lie in the future; " + scheduling.deadline() + " has passed"));
            }
            if (scheduling.dueAfterDeadline()) {
                errors.add(FieldError.body(
                        List.of("scheduling", "due_date"),
                        "due_date_after_deadline",
                        "must not be later than scheduling.deadline (" + scheduling.dueDate() + " is after "
                                + scheduling.deadline() + ")"));
            }
        }
        if (submission.callbackContext() != null
                && !submission.callbackContext().isObject()) {
            errors.add(FieldError.body(List.of("callback_context"), "dict_type", "must be a JSON object or null"));
        } else if (submission.callbackContext() != null) {
            int bytes = Json.write(submission.callbackContext()).getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_CALLBACK_CONTEXT_BYTES) {
                errors.add(FieldError.body(
                        List.of("callback_context"),
                        "too_long",
                        "must be at most " + MAX_CALLBACK_CONTEXT_BYTES + " bytes as JSON, got " + bytes));
            }
        }
    }

    private void checkItems(
            RunSubmission submission, Application application, ApplicationVersion version, List<FieldError> errors) {
        List<RunSubmission.ItemSubmission> items = submission.items();
        if (items == null) {
            errors.add(FieldError.body(List.of("items"), "missing", "field required"));
            return;
        }
        if (items.isEmpty()) {
            errors.add(FieldError.body(List.of("items"), "too_short", "a run needs at least 1 item"));
            return;
        }
        if (items.size() > maxItems) {
            errors.add(FieldError.body(
                    List.of("items"), "too_long", "a run takes at most " + maxItems + " items, got " + items.size()));
            return;
        }
        Map<String, Integer> firstUseOfExternalId = new HashMap<>();
        Set<UUID> itemIds = new HashSet<>();
        for (int i = 0; i < items.size() && errors.size() < MAX_ERRORS; i++) {
            RunSubmission.ItemSubmission item = items.get(i);
            List<Object> at = List.of("items", i);
            String externalId = item.externalId();
            if (externalId == null) {
                errors.add(FieldError.body(append(at, "external_id"), "missing", "field required"));
            } else if (externalId.isEmpty()) {
                errors.add(FieldError.body(append(at, "external_id"), "string_too_short", "must not be empty"));
            } else if (externalId.length() > MAX_EXTERNAL_ID_LENGTH) {
                errors.add(FieldError.body(
                        append(at, "external_id"),
                        "string_too_long",
                        "must be at most " + MAX_EXTERNAL_ID_LENGTH + " characters"));
            } else {
                Integer first = firstUseOfExternalId.putIfAbsent(externalId, i);
                if (first != null) {
                    errors.add(FieldError.body(
                            append(at, "external_id"),
                            "duplicate",
                            "external_id '" + externalId + "' is already used by items[" + first + "]"));
                }
            }
            if (item.itemId() != null && !itemIds.add(item.itemId())) {
                errors.add(FieldError.body(append(at, "item_id"), "duplicate", "item id used twice"));
            }
            checkInputs(item, at, application, version, errors);
        }
    }

    /** Field paths are built only for an error: a 500-item run would otherwise make thousands of them for nothing. */
    private void checkInputs(
            RunSubmission.ItemSubmission item,
            List<Object> at,
            Application application,
            ApplicationVersion version,
            List<FieldError> errors) {
        List<RunSubmission.InputArtifactSubmission> inputs = item.inputArtifacts();
        if (inputs == null) {
            errors.add(FieldError.body(append(at, "input_artifacts"), "missing", "field required"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < inputs.size(); j++) {
            RunSubmission.InputArtifactSubmission input = inputs.get(j);
            if (input.name() == null) {
                errors.add(FieldError.body(append(inputAt(at, j), "name"), "missing", "field required"));
                continue;
            }
            Optional<ArtifactSpec> spec = version.inputArtifact(input.name());
            if (spec.isEmpty()) {
                errors.add(FieldError.body(
                        append(inputAt(at, j), "name"),
                        "unknown_input",
                        "'" + input.name() + "' is not an input of " + application.applicationId() + " "
                                + version.number() + " (expected "
                                + version.inputArtifacts().stream()
                                        .map(ArtifactSpec::name)
                                        .toList() + ")"));
                continue;
            }
            if (!seen.add(input.name())) {
                errors.add(FieldError.body(
                        append(inputAt(at, j), "name"), "duplicate", "input '" + input.name() + "' is given twice"));
                continue;
            }
            UrlProblem urlProblem = urlProblem(input.downloadUrl());
            if (urlProblem != null) {
                errors.add(FieldError.body(
                        append(inputAt(at, j), "download_url"), urlProblem.code(), urlProblem.message()));
            }
            if (input.metadata() == null) {
                errors.add(FieldError.body(append(inputAt(at, j), "metadata"), "missing", "field required"));
            } else {
                MetadataSchema schema =
                        catalogue.inputSchema(application.applicationId(), version.number(), input.name());
                String tooDeep = Json.tooDeep(input.metadata());
                if (tooDeep != null) {
                    errors.add(FieldError.body(append(inputAt(at, j), "metadata"), "too_deep", tooDeep));
                    continue;
                }
                for (MetadataSchema.Violation violation : schema.validateWithinDepth(input.metadata())) {
                    List<Object> path = new ArrayList<>(append(inputAt(at, j), "metadata"));
                    path.addAll(violation.path());
                    errors.add(FieldError.body(path, "json_schema." + violation.keyword(), violation.message()));
                }
            }
        }
        for (ArtifactSpec declared : version.inputArtifacts()) {
            if (inputs.stream().noneMatch(in -> declared.name().equals(in.name()))) {
                errors.add(FieldError.body(
                        append(at, "input_artifacts"), "missing_input", "input '" + declared.name() + "' is required"));
            }
        }
    }

    private static List<Object> inputAt(List<Object> itemAt, int index) {
        return append(append(itemAt, "input_artifacts"), index);
    }

    private record UrlProblem(String code, String message) {}

    /** What is wrong with a download URL, or null when it is an absolute http(s) URL with a host. */
    private static UrlProblem urlProblem(String url) {
        if (url == null) {
            return new UrlProblem("missing", "field required");
        }
        if (url.isEmpty() || url.length() > MAX_URL_LENGTH) {
            return new UrlProblem("url_too_long", "must be 1.." + MAX_URL_LENGTH + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))) {
                return new UrlProblem("url_scheme", "must be an absolute http or https URL");
            } else if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return new UrlProblem("url_parsing", "must name a host");
            }
        } catch (URISyntaxException e) {
            return new UrlProblem("url_parsing", "is not a valid URL: " + e.getReason());
        }
        return null;
    }
}
