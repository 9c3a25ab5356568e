package org.tessera.orchestrator.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.zip.CRC32C;

/**
 * JSON handling for client-supplied documents (request bodies, custom metadata): decimals are kept exact and key
 * order is preserved, so what a client stored is what it reads back.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Keep 1.50 as 1.50: clients compare what they stored with what they read back.
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    /**
     * Deepest nesting of objects and arrays a client's metadata may have. Far below what the JSON libraries accept
     * (the schema validator stops at 500 levels, Kafka messages at 1000 including their envelope), so that metadata
     * accepted here can always be validated, stored and sent on.
     */
    public static final int MAX_METADATA_DEPTH = 64;

    private Json() {}

    /** Levels of objects and arrays: 0 for a scalar, 1 for {@code {"a": 1}}; counted without recursion. */
    public static int depth(JsonNode node) {
        if (node == null || !node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        java.util.ArrayDeque<java.util.Map.Entry<JsonNode, Integer>> open = new java.util.ArrayDeque<>();
        open.push(java.util.Map.entry(node, 1));
        while (!open.isEmpty()) {
            var next = open.pop();
            deepest = Math.max(deepest, next.getValue());
            for (JsonNode child : next.getKey()) {
                if (child.isContainerNode()) {
                    open.push(java.util.Map.entry(child, next.getValue() + 1));
                }
            }
        }
        return deepest;
    }

    /** The error message for metadata nested deeper than {@link #MAX_METADATA_DEPTH}, or null when it is not. */
    public static String tooDeep(JsonNode metadata) {
        if (!deeperThan(metadata, MAX_METADATA_DEPTH)) {
            return null;
        }
        return "is nested " + depth(metadata) + " levels deep; metadata may nest objects and arrays at most "
                + MAX_METADATA_DEPTH + " levels deep";
    }

    /**
     * Whether {@code node} nests more than {@code levels} levels of objects and arrays: the common answer, no, without
     * the allocations of {@link #depth}; recursion goes at most {@code levels + 1} deep.
     */
    static boolean deeperThan(JsonNode node, int levels) {
        if (node == null || !node.isContainerNode()) {
            return false;
        }
        if (levels == 0) {
            return true;
        }
        for (JsonNode child : node) {
            if (child.isContainerNode() && deeperThan(child, levels - 1)) {
                return true;
            }
        }
        return false;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static JsonNode parse(byte[] bytes) throws java.io.IOException {
        return MAPPER.readTree(bytes);
    }

    public static JsonNode parse(String text) {
        try {
            return text == null ? null : MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is unreadable", e);
        }
    }

    public static String write(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** The checksum clients can use to detect concurrent custom-metadata changes: CRC32C of the stored text, hex. */
    public static String checksum(String text) {
        if (text == null) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }
}
