package org.tessera.orchestrator.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.Json;

/**
 * Reads a JSON request object field by field and collects every problem as a {@link FieldError} that names the
 * field, so that one 422 answer lists all of them. A field that is absent and one that is {@code null} are told
 * apart: partial updates need both.
 */
public final class JsonBody {

    private final JsonNode node;
    private final List<Object> path;
    private final List<FieldError> errors;

    private JsonBody(JsonNode node, List<Object> path, List<FieldError> errors) {
        this.node = node;
        this.path = List.copyOf(path);
        this.errors = errors;
    }

    /** The request body, which must be a JSON object. */
    public static JsonBody parse(byte[] body) {
        JsonNode node;
        try {
            node = Json.parse(body == null ? new byte[0] : body);
        } catch (JsonProcessingException e) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of(), "json_invalid", "the request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (node == null || !node.isObject()) {
            throw ValidationFailedException.of(
                    FieldError.body(List.of(), "model_attributes_type", "the request body must be a JSON object"));
        }
        return new JsonBody(node, List.of(), new ArrayList<>());
    }

    /** Whether the field is in the object at all (possibly as {@code null}). */
    public boolean has(String field) {
        return node.has(field);
    }

    /** Refuses fields that are not among the accepted ones (a misspelt limit must not pass silently). */
    public void acceptOnly(Collection<String> accepted) {
        node.fieldNames().forEachRemaining(field -> {
            if (!accepted.contains(field)) {
                error(
                        field,
                        "extra_forbidden",
                        "is not a field of this request; accepted: "
                                + accepted.stream().sorted().collect(Collectors.joining(", ")));
            }
        });
    }

    /** A non-blank string; an error when absent, null or blank. */
    public String requiredText(String field, int maxLength) {
        if (!present(field)) {
            error(field, "missing", "is required");
            return null;
        }
        return text(field, maxLength);
    }

    /** A non-blank string, or null when absent or null. */
    public String optionalText(String field, int maxLength) {
        return present(field) ? text(field, maxLength) : null;
    }

    /** A string matching the pattern (described for humans by {@code expected}), or null when absent or null. */
    public String optionalText(String field, int maxLength, Pattern pattern, String expected) {
        String value = optionalText(field, maxLength);
        if (value != null && !pattern.matcher(value).matches()) {
            error(field, "string_pattern_mismatch", "must be " + expected + ", got '" + value + "'");
            return null;
        }
        return value;
    }

    /** Like {@link #optionalText(String, int, Pattern, String)}, but required. */
    public String requiredText(String field, int maxLength, Pattern pattern, String expected) {
        if (!present(field)) {
            error(field, "missing", "is required");
            return null;
        }
        return optionalText(field, maxLength, pattern, expected);
    }

    /** A boolean, or null when absent or null. */
    public Boolean optionalBoolean(String field) {
        if (!present(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isBoolean()) {
            error(field, "bool_type", "must be true or false");
            return null;
        }
        return value.booleanValue();
    }

    /** A boolean; an error when absent or null. */
    public Boolean requiredBoolean(String field) {
        if (!present(field)) {
            error(field, "missing", "is required");
            return null;
        }
        return optionalBoolean(field);
    }

    /** An integer within {@code [min, max]}, or null when absent or null. */
    public Integer optionalInteger(String field, int min, int max) {
        if (!present(field)) {
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            error(field, "int_type", "must be an integer (or null for unlimited)");
            return null;
        }
        int number = value.intValue();
        if (number < min) {
            error(field, "greater_than_equal", "must be greater than or equal to " + min + ", got " + number);
            return null;
        }
        if (number > max) {
            error(field, "less_than_equal", "must be less than or equal to " + max + ", got " + number);
            return null;
        }
        return number;
    }

    /** One of the enum's constants (by name, case-insensitive), or null when absent or null. */
    public <E extends Enum<E>> E optionalEnum(String field, Class<E> type) {
        String value = optionalText(field, 100);
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed =
                    Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
            error(field, "enum", "must be one of " + allowed + ", got '" + value + "'");
            return null;
        }
    }

    /** Like {@link #optionalEnum(String, Class)}, but required. */
    public <E extends Enum<E>> E requiredEnum(String field, Class<E> type) {
        if (!present(field)) {
            error(field, "missing", "is required");
            return null;
        }
        return optionalEnum(field, type);
    }

    /** A non-empty array of strings; an error when absent or null. */
    public List<String> requiredTexts(String field) {
        if (!present(field)) {
            error(field, "missing", "is required");
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isArray() || value.isEmpty()) {
            error(field, "list_type", "must be a non-empty array of strings");
            return null;
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                errors.add(FieldError.body(at(field, i), "string_type", "must be a string"));
                return null;
            }
            texts.add(value.get(i).textValue());
        }
        return texts;
    }

    /** A nested object read by its own {@link JsonBody} that reports into the same list; null when missing. */
    public JsonBody requiredObject(String field) {
        if (!present(field)) {
            error(field, "missing", "is required");
            return null;
        }
        JsonNode value = node.get(field);
        if (!value.isObject()) {
            error(field, "model_attributes_type", "must be a JSON object");
            return null;
        }
        return new JsonBody(value, at(field), errors);
    }

    /** Throws the collected errors, if any, as one 422 answer. */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw new ValidationFailedException(errors);
        }
    }

    private boolean present(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    private String text(String field, int maxLength) {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            error(field, "string_type", "must be a string");
            return null;
        }
        String text = value.textValue().trim();
        if (text.isEmpty()) {
            error(field, "string_too_short", "must not be blank");
            return null;
        }
        if (text.length() > maxLength) {
            error(field, "string_too_long", "must be at most " + maxLength + " characters long");
            return null;
        }
        return text;
    }

    private void error(String field, String type, String message) {
        errors.add(FieldError.body(at(field), type, message));
    }

    private List<Object> at(Object... below) {
        List<Object> at = new ArrayList<>(path);
        at.addAll(Arrays.asList(below));
        return at;
    }
}
