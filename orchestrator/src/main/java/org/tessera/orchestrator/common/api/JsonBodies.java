package org.tessera.orchestrator.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;

/**
 * Reading small JSON request bodies field by field, so that every mistake becomes a 422 that names its field.
 * Decimals and key order are kept (see {@link Json}).
 */
public final class JsonBodies {

    private JsonBodies() {}

    /** The body as a JSON object; 422 when it is missing, not JSON or not an object. */
    public static ObjectNode object(byte[] body) {
        JsonNode json;
        try {
            json = body == null || body.length == 0 ? null : Json.parse(body);
        } catch (JsonProcessingException e) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of(), "json_invalid", "the request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json == null || json.isMissingNode()) {
            throw ValidationFailedException.of(FieldError.body(List.of(), "missing", "a JSON object is required"));
        }
        if (!json.isObject()) {
            throw ValidationFailedException.of(
                    FieldError.body(List.of(), "model_attributes_type", "must be a JSON object"));
        }
        return (ObjectNode) json;
    }

    /** A string field; null when absent or null, an error when it holds something else. */
    public static String optionalText(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            errors.add(FieldError.body(List.of(field), "string_type", "must be a string"));
            return null;
        }
        return value.asText();
    }

    /** A string field that must be present. */
    public static String requiredText(ObjectNode body, String field, List<FieldError> errors) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            errors.add(FieldError.body(List.of(field), "missing", "field required"));
            return null;
        }
        return optionalText(body, field, errors);
    }
}
