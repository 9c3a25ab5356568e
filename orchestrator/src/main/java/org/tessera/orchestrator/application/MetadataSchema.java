package org.tessera.orchestrator.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import org.tessera.orchestrator.common.Json;

/**
 * A compiled JSON Schema (2020-12) for artifact metadata. The validator library speaks Jackson 3 while Quarkus
 * speaks Jackson 2, so schemas and instances cross over as JSON text; metadata objects are small, so this costs little.
 */
public final class MetadataSchema {

    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    /**
     * One violation.
     *
     * @param path the property path below the metadata object, e.g. {@code ["specimen", "disease"]} or
     *     {@code ["width_px"]}; empty when the metadata object itself is at fault
     * @param keyword the JSON Schema keyword that failed, e.g. {@code required}, {@code minimum}
     * @param message what is wrong, in words
     */
    public record Violation(List<Object> path, String keyword, String message) {}

    private final Schema schema;

    private MetadataSchema(Schema schema) {
        this.schema = schema;
    }

    public static MetadataSchema compile(JsonNode schemaJson) {
        return new MetadataSchema(REGISTRY.getSchema(schemaJson.toString(), InputFormat.JSON));
    }

    public List<Violation> validate(JsonNode instance) {
        String tooDeep = Json.tooDeep(instance);
        if (tooDeep != null) {
            // The validator's own parser gives up at 500 levels with an exception; refuse well before it.
            return List.of(new Violation(List.of(), "maxDepth", tooDeep));
        }
        List<Error> errors = schema.validate(instance.toString(), InputFormat.JSON);
        List<Violation> violations = new ArrayList<>(errors.size());
        for (Error error : errors) {
            List<Object> path = pathOf(error.getInstanceLocation());
            // "required" and "additionalProperties" report the object that holds the property; name the property.
            if (error.getProperty() != null
                    && ("required".equals(error.getKeyword()) || "additionalProperties".equals(error.getKeyword()))) {
                path.add(error.getProperty());
            }
            violations.add(new Violation(List.copyOf(path), error.getKeyword(), messageOf(error)));
        }
        return violations;
    }

    private static List<Object> pathOf(NodePath location) {
        List<Object> path = new ArrayList<>();
        for (int i = 0; i < location.getNameCount(); i++) {
            path.add(location.getElement(i));
        }
        return path;
    }

    private static String messageOf(Error error) {
        String message = error.getMessage();
        // The library prefixes messages with the instance location ("$.width_px: ..."); the caller adds its own.
        int colon = message.indexOf(": ");
        return message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
    }
}
