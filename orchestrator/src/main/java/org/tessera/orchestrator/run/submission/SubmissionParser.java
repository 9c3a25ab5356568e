package org.tessera.orchestrator.run.submission;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.run.domain.Scheduling;

/**
 * Reads a {@code RunCreationRequest} body, checking JSON types only. Every type problem becomes a {@link FieldError}
 * that names the field; the catalogue-dependent checks happen in {@link SubmissionValidator}.
 */
public final class SubmissionParser {

    /** The parsed submission (with null where a field was missing or of the wrong type) and the type errors. */
    public record Parsed(RunSubmission submission, List<FieldError> errors) {}

    private SubmissionParser() {}

    public static Parsed parse(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            errors.add(FieldError.body(List.of(), "model_attributes_type", "the request body must be a JSON object"));
            return new Parsed(new RunSubmission(null, null, null, null), errors);
        }
        String applicationId = requiredString(body, "application_id", List.of(), errors);
        String version = optionalString(body, "version_number", List.of(), errors);
        JsonNode customMetadata = optionalObject(body, "custom_metadata", List.of(), errors);
        Scheduling scheduling = scheduling(body, errors);
        JsonNode callbackContext = optionalObject(body, "callback_context", List.of(), errors);

        List<RunSubmission.ItemSubmission> items = null;
        JsonNode itemsNode = body.get("items");
        if (itemsNode == null || itemsNode.isNull()) {
            errors.add(FieldError.body(List.of("items"), "missing", "field required"));
        } else if (!itemsNode.isArray()) {
            errors.add(FieldError.body(List.of("items"), "list_type", "must be an array of items"));
        } else {
            items = new ArrayList<>(itemsNode.size());
            for (int i = 0; i < itemsNode.size(); i++) {
                items.add(parseItem(itemsNode.get(i), List.of("items", i), errors));
            }
        }
        return new Parsed(
                new RunSubmission(applicationId, version, customMetadata, items, scheduling, callbackContext), errors);
    }

    /** {@code scheduling}: an object (or null) with optional RFC 3339 date-times {@code due_date} and {@code deadline}. */
    private static Scheduling scheduling(JsonNode body, List<FieldError> errors) {
        JsonNode scheduling = optionalObject(body, "scheduling", List.of(), errors);
        if (scheduling == null) {
            return null;
        }
        Instant dueDate = optionalDateTime(scheduling, "due_date", List.of("scheduling"), errors);
        Instant deadline = optionalDateTime(scheduling, "deadline", List.of("scheduling"), errors);
        return Scheduling.of(dueDate, deadline);
    }

    private static Instant optionalDateTime(
            JsonNode parent, String field, List<Object> parentAt, List<FieldError> errors) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(FieldError.body(
                    append(parentAt, field), "datetime_type", "must be an RFC 3339 date-time string or null"));
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(FieldError.body(
                    append(parentAt, field),
                    "datetime_parsing",
                    "'" + value.asText() + "' is not an RFC 3339 date-time with a time zone offset, e.g."
                            + " 2026-03-04T23:59:59Z"));
            return null;
        }
    }

    private static RunSubmission.ItemSubmission parseItem(JsonNode item, List<Object> at, List<FieldError> errors) {
        if (!item.isObject()) {
            errors.add(FieldError.body(at, "model_attributes_type", "each item must be a JSON object"));
            return new RunSubmission.ItemSubmission(null, null, null, null);
        }
        String externalId = requiredString(item, "external_id", at, errors);
        JsonNode customMetadata = optionalObject(item, "custom_metadata", at, errors);
        List<RunSubmission.InputArtifactSubmission> inputs = null;
        JsonNode inputsNode = item.get("input_artifacts");
        if (inputsNode == null || inputsNode.isNull()) {
            errors.add(FieldError.body(append(at, "input_artifacts"), "missing", "field required"));
        } else if (!inputsNode.isArray()) {
            errors.add(
                    FieldError.body(append(at, "input_artifacts"), "list_type", "must be an array of input artifacts"));
        } else {
            inputs = new ArrayList<>(inputsNode.size());
            for (int j = 0; j < inputsNode.size(); j++) {
                inputs.add(parseInput(inputsNode.get(j), at, j, errors));
            }
        }
        return new RunSubmission.ItemSubmission(null, externalId, customMetadata, inputs);
    }

    /**
     * The {@code index}-th input artifact of the item at {@code itemAt}. Field paths are built only for an error: a
     * 500-item body would otherwise make thousands of them for nothing.
     */
    private static RunSubmission.InputArtifactSubmission parseInput(
            JsonNode input, List<Object> itemAt, int index, List<FieldError> errors) {
        if (!input.isObject()) {
            errors.add(FieldError.body(
                    inputAt(itemAt, index), "model_attributes_type", "each input artifact must be a JSON object"));
            return new RunSubmission.InputArtifactSubmission(null, null, null);
        }
        String name = textual(input, "name");
        if (name == null) {
            requiredString(input, "name", inputAt(itemAt, index), errors);
        }
        String url = textual(input, "download_url");
        if (url == null) {
            requiredString(input, "download_url", inputAt(itemAt, index), errors);
        }
        JsonNode metadata = input.get("metadata");
        if (metadata == null || metadata.isNull()) {
            errors.add(FieldError.body(append(inputAt(itemAt, index), "metadata"), "missing", "field required"));
            metadata = null;
        } else if (!metadata.isObject()) {
            errors.add(
                    FieldError.body(append(inputAt(itemAt, index), "metadata"), "dict_type", "must be a JSON object"));
            metadata = null;
        }
        return new RunSubmission.InputArtifactSubmission(name, url, metadata);
    }

    /** The field's text when it is a string, else null. */
    private static String textual(JsonNode parent, String field) {
        JsonNode value = parent.get(field);
        return value != null && value.isTextual() ? value.asText() : null;
    }

    private static List<Object> inputAt(List<Object> itemAt, int index) {
        return append(append(itemAt, "input_artifacts"), index);
    }

    // The field readers below take the path of the field's parent and name the field in an error's path.

    private static String requiredString(
            JsonNode parent, String field, List<Object> parentAt, List<FieldError> errors) {
        return string(parent, field, parentAt, errors, true);
    }

    private static String optionalString(
            JsonNode parent, String field, List<Object> parentAt, List<FieldError> errors) {
        return string(parent, field, parentAt, errors, false);
    }

    private static String string(
            JsonNode parent, String field, List<Object> parentAt, List<FieldError> errors, boolean required) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                errors.add(FieldError.body(append(parentAt, field), "missing", "field required"));
            }
            return null;
        }
        if (!value.isTextual()) {
            errors.add(FieldError.body(
                    append(parentAt, field),
                    "string_type",
                    required ? "must be a string" : "must be a string or null"));
            return null;
        }
        return value.asText();
    }

    private static JsonNode optionalObject(
            JsonNode parent, String field, List<Object> parentAt, List<FieldError> errors) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            errors.add(FieldError.body(append(parentAt, field), "dict_type", "must be a JSON object or null"));
            return null;
        }
        return value;
    }

    static List<Object> append(List<Object> path, Object part) {
        List<Object> longer = new ArrayList<>(path.size() + 1);
        longer.addAll(path);
        longer.add(part);
        return List.copyOf(longer);
    }
}
