package org.tessera.orchestrator.common;

import java.util.List;
import java.util.Objects;

/**
 * One reason a request was refused, in the API's {@code ValidationError} shape.
 *
 * @param loc where: {@code ["body", "items", 3, "input_artifacts", 0, "metadata", "width_px"]}, or
 *     {@code ["query", "page_size"]}, {@code ["path", "run_id"]}
 * @param msg what is wrong; starts with the dotted field path so that a human sees it at once
 * @param type a stable machine-readable kind, e.g. {@code missing}, {@code json_schema}, {@code url_parsing}
 */
public record FieldError(List<Object> loc, String msg, String type) {

    public FieldError {
        loc = List.copyOf(loc);
        Objects.requireNonNull(msg, "msg");
        Objects.requireNonNull(type, "type");
    }

    /** An error in the request body; the message is prefixed with the field's dotted path. */
    public static FieldError body(List<Object> pathBelowBody, String type, String message) {
        List<Object> loc = new java.util.ArrayList<>(pathBelowBody.size() + 1);
        loc.add("body");
        loc.addAll(pathBelowBody);
        String field = dotted(pathBelowBody);
        return new FieldError(loc, field.isEmpty() ? message : field + ": " + message, type);
    }

    public static FieldError query(String parameter, String type, String message) {
        return new FieldError(List.of("query", parameter), parameter + ": " + message, type);
    }

    public static FieldError path(String parameter, String type, String message) {
        return new FieldError(List.of("path", parameter), parameter + ": " + message, type);
    }

    /** The field as clients write it: {@code items[3].input_artifacts[0].metadata.width_px}. */
    public String field() {
        return dotted(loc.subList(1, loc.size()));
    }

    static String dotted(List<Object> path) {
        StringBuilder field = new StringBuilder();
        for (Object part : path) {
            if (part instanceof Integer index) {
                field.append('[').append(index).append(']');
            } else {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(part);
            }
        }
        return field.toString();
    }
}
