package org.tessera.orchestrator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The Aignostics Platform API 1.8.0 document (a copy in the test resources): its operations, their documented
 * statuses, and validation of request and response bodies against its schemas, with {@code $ref}s resolved against
 * the document's components and formats (uuid, date-time, uri) asserted.
 */
public final class OpenApiSpec {

    public static final String RESOURCE = "/openapi/aignostics-openapi-1.8.0.json";

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonNode document;

    /** One path and method of the document. */
    public record Operation(String method, String path, String operationId, JsonNode node) {

        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path + " (" + operationId + ")";
        }
    }

    private OpenApiSpec(JsonNode document) {
        this.document = document;
    }

    public static OpenApiSpec load() {
        try (InputStream in = OpenApiSpec.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test resources");
            }
            return new OpenApiSpec(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String version() {
        return document.path("info").path("version").asText();
    }

    /** Every operation, in the document's order. */
    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (String method : METHODS) {
                JsonNode node = path.getValue().get(method);
                if (node != null) {
                    operations.add(new Operation(
                            method, path.getKey(), node.path("operationId").asText(), node));
                }
            }
        }
        return operations;
    }

    public Set<String> documentedStatuses(Operation operation) {
        Set<String> statuses = new TreeSet<>();
        operation.node().path("responses").fieldNames().forEachRemaining(statuses::add);
        return statuses;
    }

    /** The JSON schema of the response with this status, if the document gives one. */
    public Optional<JsonNode> responseSchema(Operation operation, int status) {
        JsonNode schema = operation
                .node()
                .path("responses")
                .path(Integer.toString(status))
                .path("content")
                .path("application/json")
                .path("schema");
        return schema.isMissingNode() ? Optional.empty() : Optional.of(schema);
    }

    public Optional<JsonNode> requestSchema(Operation operation) {
        JsonNode schema = operation
                .node()
                .path("requestBody")
                .path("content")
                .path("application/json")
                .path("schema");
        return schema.isMissingNode() ? Optional.empty() : Optional.of(schema);
    }

    /** A component schema by name, e.g. {@code RunReadResponse}. */
    public JsonNode component(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no component schema " + name);
        }
        return mapper.createObjectNode().put("$ref", "#/components/schemas/" + name);
    }

    /** Why the JSON text does not satisfy the schema; empty when it does. */
    public List<String> violations(JsonNode schema, String json) {
        ObjectNode root = mapper.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.setAll((ObjectNode) schema.deepCopy());
        // Inline schemas refer to #/components/schemas/...: carry the components along so that they resolve.
        root.set("components", document.path("components"));
        Schema compiled = REGISTRY.getSchema(root.toString(), InputFormat.JSON);
        List<String> violations = new ArrayList<>();
        for (Error error : compiled.validate(json, InputFormat.JSON)) {
            violations.add(error.toString());
        }
        return violations;
    }
}
