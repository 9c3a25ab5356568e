package org.tessera.orchestrator.common.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.tessera.orchestrator.common.FieldError;

/** Parsing of path and query parameters into values or 422 errors that name the parameter. */
public final class QueryParams {

    public static final int MIN_PAGE_SIZE = 5;
    public static final int MAX_PAGE_SIZE = 100;
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_JSON_PATH_LENGTH = 1000;

    private QueryParams() {}

    public static UUID uuidPath(String name, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ValidationFailedException.of(
                    FieldError.path(name, "uuid_parsing", "must be a UUID, got '" + value + "'"));
        }
    }

    /**
     * The page a list endpoint is asked for.
     *
     * @param sizeName the page-size parameter's name, which differs between endpoints
     */
    public static Page page(String number, String sizeName, String size) {
        return new Page(page(number), pageSize(sizeName, size));
    }

    public static int page(String value) {
        return integer("page", value, 1, 1, Integer.MAX_VALUE);
    }

    public static int pageSize(String name, String value) {
        return integer(name, value, DEFAULT_PAGE_SIZE, MIN_PAGE_SIZE, MAX_PAGE_SIZE);
    }

    private static int integer(String name, String value, int fallback, int min, int max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ValidationFailedException.of(FieldError.query(name, "int_parsing", "must be an integer"));
        }
        if (parsed < min) {
            throw ValidationFailedException.of(
                    FieldError.query(name, "greater_than_equal", "must be greater than or equal to " + min));
        }
        if (parsed > max) {
            throw ValidationFailedException.of(
                    FieldError.query(name, "less_than_equal", "must be less than or equal to " + max));
        }
        return parsed;
    }

    /**
     * Reads repeated {@code sort} values: {@code field} or {@code +field} ascending, {@code -field} descending. A
     * {@code +} that arrived unencoded in the query string decodes to a space, so a leading space counts as {@code +}.
     */
    public static List<SortOrder> sort(List<String> values, Collection<String> allowed) {
        List<SortOrder> orders = new ArrayList<>();
        if (values == null) {
            return orders;
        }
        Set<String> seen = new HashSet<>();
        for (String raw : values) {
            if (raw == null || raw.isBlank()) {
                continue;
            }
            boolean descending = raw.startsWith("-");
            String field = raw.startsWith("-") || raw.startsWith("+") ? raw.substring(1) : raw;
            field = field.trim();
            if (!allowed.contains(field)) {
                throw ValidationFailedException.of(FieldError.query(
                        "sort", "enum", "cannot sort by '" + field + "'; allowed: " + String.join(", ", allowed)));
            }
            if (seen.add(field)) {
                orders.add(new SortOrder(field, descending));
            }
        }
        return orders;
    }

    /**
     * A SQL/JSON path filter on custom metadata. Root-level field references without {@code $} get the {@code $.}
     * prefix, as the API documents.
     */
    public static String jsonPath(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_JSON_PATH_LENGTH) {
            throw ValidationFailedException.of(FieldError.query(
                    name, "string_too_long", "must be at most " + MAX_JSON_PATH_LENGTH + " characters"));
        }
        String path = value.trim();
        return path.startsWith("$") || path.startsWith("strict ") || path.startsWith("lax ") ? path : "$." + path;
    }

    public static List<UUID> uuids(String name, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        List<UUID> ids = new ArrayList<>(values.size());
        for (String value : values) {
            try {
                ids.add(UUID.fromString(value.trim()));
            } catch (IllegalArgumentException e) {
                throw ValidationFailedException.of(
                        FieldError.query(name, "uuid_parsing", "must be UUIDs, got '" + value + "'"));
            }
        }
        return ids;
    }

    /** {@code true} or {@code false}; null when absent. */
    public static Boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default ->
                throw ValidationFailedException.of(
                        FieldError.query(name, "bool_parsing", "must be true or false, got '" + value + "'"));
        };
    }

    public static <E extends Enum<E>> E enumValue(String name, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim());
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) {
                allowed.add(constant.name());
            }
            throw ValidationFailedException.of(
                    FieldError.query(name, "enum", "must be one of " + String.join(", ", allowed)));
        }
    }
}
