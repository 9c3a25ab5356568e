package org.tessera.orchestrator.quota.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;
import org.tessera.orchestrator.common.api.ValidationFailedException;

/**
 * Reads a limits document ({@code PUT .../limits}): an object in which every limit is present, as a whole number
 * within its bounds or null for unlimited, and nothing else. Every problem is reported, naming its field.
 */
final class LimitFields {

    /** A limit's bounds, inclusive. */
    record Bounds(int min, int max) {}

    private LimitFields() {}

    static Map<String, Integer> read(byte[] body, Map<String, Bounds> fields) {
        JsonNode json;
        try {
            json = Json.parse(body == null ? new byte[0] : body);
        } catch (JsonProcessingException e) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of(), "json_invalid", "the request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (json == null || !json.isObject()) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of(),
                    "model_attributes_type",
                    "must be an object with " + String.join(", ", fields.keySet())));
        }
        List<FieldError> errors = new ArrayList<>();
        Map<String, Integer> values = new HashMap<>();
        for (Map.Entry<String, Bounds> field : fields.entrySet()) {
            String name = field.getKey();
            Bounds bounds = field.getValue();
            JsonNode value = json.get(name);
            if (value == null) {
                errors.add(FieldError.body(
                        List.of(name), "missing", "is required (a whole number, or null for unlimited)"));
            } else if (value.isNull()) {
                values.put(name, null);
            } else if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                errors.add(FieldError.body(
                        List.of(name), "int_type", "must be a whole number or null, got " + value.toString()));
            } else if (value.intValue() < bounds.min()) {
                errors.add(FieldError.body(
                        List.of(name), "greater_than_equal", "must be at least " + bounds.min() + ", got " + value));
            } else if (value.intValue() > bounds.max()) {
                errors.add(FieldError.body(
                        List.of(name), "less_than_equal", "must be at most " + bounds.max() + ", got " + value));
            } else {
                values.put(name, value.intValue());
            }
        }
        json.fieldNames().forEachRemaining(name -> {
            if (!fields.containsKey(name)) {
                errors.add(FieldError.body(
                        List.of(name),
                        "extra_forbidden",
                        "is not a limit that can be set here; allowed: " + String.join(", ", fields.keySet())));
            }
        });
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
        return values;
    }

    static Map<String, Bounds> fields(Object... namesAndBounds) {
        Map<String, Bounds> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndBounds.length; i += 2) {
            fields.put((String) namesAndBounds[i], (Bounds) namesAndBounds[i + 1]);
        }
        return fields;
    }
}
