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
import java.util.Map;
import org.tessera.orchestrator.common.Json;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A compiled JSON Schema (2020-12) for artifact metadata, compiled once per application version and input. The
 * validator library speaks Jackson 3 while Quarkus speaks Jackson 2: the schema crosses over as JSON text once, each
 * instance as a tree copied node by node (a 500-item run validates 500 instances, and printing and re-parsing each
 * one cost more than the validation itself).
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

    private static final tools.jackson.databind.ObjectMapper TEXT_READER =
            tools.jackson.databind.json.JsonMapper.builder().build();

    private final Schema schema;

    /** The quick yes for certainly valid instances; null when the schema is outside its subset. */
    private final CertainlyValid certainlyValid;

    private MetadataSchema(Schema schema, CertainlyValid certainlyValid) {
        this.schema = schema;
        this.certainlyValid = certainlyValid;
    }

    public static MetadataSchema compile(JsonNode schemaJson) {
        return new MetadataSchema(
                REGISTRY.getSchema(schemaJson.toString(), InputFormat.JSON),
                CertainlyValid.compile(schemaJson).orElse(null));
    }

    /** The same schema without the quick check: every instance goes through the full validator (tests compare). */
    static MetadataSchema fullOnly(JsonNode schemaJson) {
        return new MetadataSchema(REGISTRY.getSchema(schemaJson.toString(), InputFormat.JSON), null);
    }

    /** Whether valid instances are answered without the full validator (the schema is within the quick subset). */
    boolean hasQuickCheck() {
        return certainlyValid != null;
    }

    public List<Violation> validate(JsonNode instance) {
        String tooDeep = Json.tooDeep(instance);
        if (tooDeep != null) {
            // The validator's own parser gives up at 500 levels with an exception; refuse well before it.
            return List.of(new Violation(List.of(), "maxDepth", tooDeep));
        }
        return validateWithinDepth(instance);
    }

    /**
     * {@link #validate} for an instance its caller has already found no deeper than {@link Json#MAX_METADATA_DEPTH}
     * ({@link Json#tooDeep} gave null), so that the depth is not measured twice.
     */
    public List<Violation> validateWithinDepth(JsonNode instance) {
        if (certainlyValid != null && certainlyValid.test(instance)) {
            return List.of();
        }
        List<Error> errors = schema.validate(jackson3(instance));
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

    /**
     * The same JSON as a Jackson 3 tree, as the library's own parser would build it from the instance's text: integers
     * keep their size, decimals (which the API reads as {@code BigDecimal}) become doubles.
     */
    static tools.jackson.databind.JsonNode jackson3(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (node.getNodeType()) {
            case OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    object.set(field.getKey(), jackson3(field.getValue()));
                }
                yield object;
            }
            case ARRAY -> {
                ArrayNode array = nodes.arrayNode(node.size());
                for (JsonNode element : node) {
                    array.add(jackson3(element));
                }
                yield array;
            }
            case STRING -> nodes.stringNode(node.textValue());
            case BOOLEAN -> nodes.booleanNode(node.booleanValue());
            case NULL, MISSING -> nodes.nullNode();
            case NUMBER ->
                switch (node.numberType()) {
                    case INT -> nodes.numberNode(node.intValue());
                    case LONG -> nodes.numberNode(node.longValue());
                    case BIG_INTEGER -> nodes.numberNode(node.bigIntegerValue());
                    case FLOAT -> nodes.numberNode(node.floatValue());
                    case DOUBLE -> nodes.numberNode(node.doubleValue());
                    case BIG_DECIMAL -> nodes.numberNode(node.doubleValue());
                };
            // Binary and POJO nodes never come out of a parsed request; their JSON text is what they stand for.
            case BINARY, POJO -> TEXT_READER.readTree(node.toString());
        };
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
