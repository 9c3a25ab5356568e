package org.tessera.orchestrator.application;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.regex.JDKRegularExpressionFactory;
import com.networknt.schema.regex.RegularExpression;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A quick yes for metadata that certainly satisfies its JSON Schema, compiled from schemas written in the small subset
 * the catalogue and model manifests use ({@code type}, {@code properties}, {@code required}, {@code
 * additionalProperties: false}, {@code enum}, {@code const}, numeric bounds, string lengths, {@code pattern}, {@code
 * items}, array lengths, and {@code $ref} into the schema's own {@code $defs}). A 500-item run validates 500 instances,
 * and nearly all of them are valid: this answers those in a few map look-ups. It never says no: whenever an instance
 * fails a check, or the check cannot be sure (a decimal where an integer is expected, numbers that compare differently
 * as decimals and as doubles, values equal only as JSON numbers), the full validator decides and writes the messages.
 * A schema using anything outside the subset gets no quick check at all.
 */
final class CertainlyValid {

    /** Keywords that only describe: they never make an instance invalid. */
    private static final Set<String> ANNOTATIONS = Set.of(
            "$schema",
            "$comment",
            "title",
            "description",
            "examples",
            "default",
            "deprecated",
            "readOnly",
            "writeOnly");

    private static final String DEFS_PREFIX = "#/$defs/";

    private final Node root;

    private CertainlyValid(Node root) {
        this.root = root;
    }

    /** The quick check of a schema, or empty when the schema uses a keyword outside the subset. */
    static Optional<CertainlyValid> compile(JsonNode schema) {
        try {
            Compiler compiler = new Compiler(schema.path("$defs"));
            Node root = compiler.node(schema, true);
            compiler.resolveReferences();
            return Optional.of(new CertainlyValid(root));
        } catch (Unsupported e) {
            return Optional.empty();
        }
    }

    /** True when the instance certainly satisfies the schema; false when the full validator must decide. */
    boolean test(JsonNode instance) {
        return root.test(instance, 0);
    }

    private static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private static final class Compiler {
        private final JsonNode defs;
        private final Map<String, Node> compiledDefs = new HashMap<>();
        private final List<Node> referring = new ArrayList<>();

        Compiler(JsonNode defs) {
            this.defs = defs;
        }

        Node node(JsonNode schema, boolean isRoot) throws Unsupported {
            if (schema.isBoolean()) {
                Node node = new Node();
                node.rejectsAll = !schema.booleanValue();
                return node;
            }
            if (!schema.isObject()) {
                throw new Unsupported();
            }
            Node node = new Node();
            for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
                String name = keyword.getKey();
                JsonNode value = keyword.getValue();
                if (ANNOTATIONS.contains(name)) {
                    continue;
                }
                switch (name) {
                    case "$id" -> {
                        // A nested $id would move the base of $ref; only the root may name itself.
                        if (!isRoot) {
                            throw new Unsupported();
                        }
                    }
                    case "$defs" -> {
                        if (!isRoot || !value.isObject()) {
                            throw new Unsupported();
                        }
                    }
                    case "$ref" -> {
                        String ref = value.asText("");
                        if (!value.isTextual() || !ref.startsWith(DEFS_PREFIX)) {
                            throw new Unsupported();
                        }
                        String def = ref.substring(DEFS_PREFIX.length());
                        if (def.isEmpty() || def.contains("/") || def.contains("~") || def.contains("%")) {
                            throw new Unsupported();
                        }
                        node.refName = def;
                        referring.add(node);
                    }
                    case "type" -> node.types = types(value);
                    case "properties" -> {
                        if (!value.isObject()) {
                            throw new Unsupported();
                        }
                        node.properties = new LinkedHashMap<>();
                        for (Map.Entry<String, JsonNode> property : value.properties()) {
                            node.properties.put(property.getKey(), node(property.getValue(), false));
                        }
                    }
                    case "required" -> {
                        if (!value.isArray()) {
                            throw new Unsupported();
                        }
                        node.required = new ArrayList<>();
                        for (JsonNode required : value) {
                            if (!required.isTextual()) {
                                throw new Unsupported();
                            }
                            node.required.add(required.textValue());
                        }
                    }
                    case "additionalProperties" -> {
                        if (!value.isBoolean()) {
                            throw new Unsupported();
                        }
                        node.closed = !value.booleanValue();
                    }
                    case "enum" -> {
                        if (!value.isArray()) {
                            throw new Unsupported();
                        }
                        node.allowed = new ArrayList<>();
                        value.forEach(node.allowed::add);
                    }
                    case "const" -> node.allowed = List.of(value);
                    case "minimum" -> node.minimum = number(value);
                    case "maximum" -> node.maximum = number(value);
                    case "exclusiveMinimum" -> node.exclusiveMinimum = number(value);
                    case "exclusiveMaximum" -> node.exclusiveMaximum = number(value);
                    case "minLength" -> node.minLength = count(value);
                    case "maxLength" -> node.maxLength = count(value);
                    case "minItems" -> node.minItems = count(value);
                    case "maxItems" -> node.maxItems = count(value);
                    case "pattern" -> {
                        if (!value.isTextual()) {
                            throw new Unsupported();
                        }
                        try {
                            // The validator's own default: the JDK's expressions with ECMAScript's '$' (end of
                            // input only), searched rather than anchored.
                            node.pattern =
                                    JDKRegularExpressionFactory.getInstance().getRegularExpression(value.textValue());
                        } catch (RuntimeException e) {
                            throw new Unsupported();
                        }
                    }
                    case "items" -> node.items = node(value, false);
                    default -> throw new Unsupported();
                }
            }
            return node;
        }

        void resolveReferences() throws Unsupported {
            // Compiling a definition may add nodes that refer further; walk until every reference is bound.
            for (int i = 0; i < referring.size(); i++) {
                Node node = referring.get(i);
                Node target = compiledDefs.get(node.refName);
                if (target == null) {
                    JsonNode def = defs.get(node.refName);
                    if (def == null) {
                        throw new Unsupported();
                    }
                    target = node(def, false);
                    compiledDefs.put(node.refName, target);
                }
                node.ref = target;
            }
        }

        private static Set<String> types(JsonNode value) throws Unsupported {
            List<JsonNode> names = new ArrayList<>();
            if (value.isArray()) {
                value.forEach(names::add);
            } else {
                names.add(value);
            }
            Set<String> types = new java.util.HashSet<>();
            for (JsonNode name : names) {
                if (!name.isTextual()
                        || !Set.of("object", "array", "string", "number", "integer", "boolean", "null")
                                .contains(name.textValue())) {
                    throw new Unsupported();
                }
                types.add(name.textValue());
            }
            return types;
        }

        private static BigDecimal number(JsonNode value) throws Unsupported {
            if (!value.isNumber()) {
                throw new Unsupported();
            }
            return value.decimalValue();
        }

        private static int count(JsonNode value) throws Unsupported {
            if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < 0) {
                throw new Unsupported();
            }
            return value.intValue();
        }
    }

    private static final class Node {
        boolean rejectsAll;
        String refName;
        Node ref;
        Set<String> types;
        Map<String, Node> properties;
        List<String> required;
        boolean closed;
        List<JsonNode> allowed;
        BigDecimal minimum;
        BigDecimal maximum;
        BigDecimal exclusiveMinimum;
        BigDecimal exclusiveMaximum;
        int minLength = -1;
        int maxLength = -1;
        int minItems = -1;
        int maxItems = -1;
        RegularExpression pattern;
        Node items;

        boolean test(JsonNode value, int depth) {
            if (rejectsAll || depth > 64) {
                return false;
            }
            if (ref != null && !ref.test(value, depth + 1)) {
                return false;
            }
            if (types != null && !typeMatches(value)) {
                return false;
            }
            if (allowed != null && !allowed.contains(value)) {
                // Jackson's equality is stricter than JSON's for numbers (1 and 1.0): unsure, not invalid.
                return false;
            }
            if (value.isNumber() && !withinBounds(value)) {
                return false;
            }
            if (value.isTextual() && !stringMatches(value.textValue())) {
                return false;
            }
            if (value.isObject() && !objectMatches(value, depth)) {
                return false;
            }
            return !value.isArray() || arrayMatches(value, depth);
        }

        private boolean typeMatches(JsonNode value) {
            return switch (value.getNodeType()) {
                case OBJECT -> types.contains("object");
                case ARRAY -> types.contains("array");
                case STRING -> types.contains("string");
                case BOOLEAN -> types.contains("boolean");
                case NULL -> types.contains("null");
                // A decimal such as 2.0 is an integer to JSON Schema; leave that judgement to the validator.
                case NUMBER -> types.contains("number") || (types.contains("integer") && value.isIntegralNumber());
                default -> false;
            };
        }

        private boolean withinBounds(JsonNode value) {
            if (minimum == null && maximum == null && exclusiveMinimum == null && exclusiveMaximum == null) {
                return true;
            }
            // The validator compares some numbers as doubles: certain only when exact and double comparisons agree.
            BigDecimal exact = value.decimalValue();
            double approximate = value.doubleValue();
            return (minimum == null || (exact.compareTo(minimum) >= 0 && approximate >= minimum.doubleValue()))
                    && (maximum == null || (exact.compareTo(maximum) <= 0 && approximate <= maximum.doubleValue()))
                    && (exclusiveMinimum == null
                            || (exact.compareTo(exclusiveMinimum) > 0 && approximate > exclusiveMinimum.doubleValue()))
                    && (exclusiveMaximum == null
                            || (exact.compareTo(exclusiveMaximum) < 0 && approximate < exclusiveMaximum.doubleValue()));
        }

        private boolean stringMatches(String text) {
            if (minLength >= 0 || maxLength >= 0) {
                int length = text.codePointCount(0, text.length());
                if ((minLength >= 0 && length < minLength) || (maxLength >= 0 && length > maxLength)) {
                    return false;
                }
            }
            return pattern == null || pattern.matches(text);
        }

        private boolean objectMatches(JsonNode value, int depth) {
            if (required != null) {
                for (String name : required) {
                    if (!value.has(name)) {
                        return false;
                    }
                }
            }
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                Node property = properties == null ? null : properties.get(field.getKey());
                if (property == null) {
                    if (closed) {
                        return false;
                    }
                } else if (!property.test(field.getValue(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }

        private boolean arrayMatches(JsonNode value, int depth) {
            if ((minItems >= 0 && value.size() < minItems) || (maxItems >= 0 && value.size() > maxItems)) {
                return false;
            }
            if (items != null) {
                for (JsonNode element : value) {
                    if (!items.test(element, depth + 1)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}
