package org.tessera.contracts;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The one (de)serializer for Kafka payloads: snake_case JSON, ISO-8601 instants, unknown fields ignored so that
 * readers keep working when producers add optional fields.
 */
public final class ContractsJson {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private static final Map<String, Class<? extends Payload>> PAYLOAD_TYPES = Map.of(
            RunRequested.TYPE, RunRequested.class,
            RunStateChanged.TYPE, RunStateChanged.class,
            SlideJob.TYPE, SlideJob.class,
            ItemStarted.TYPE, ItemStarted.class,
            ItemProgress.TYPE, ItemProgress.class,
            ItemSucceeded.TYPE, ItemSucceeded.class,
            ItemFailed.TYPE, ItemFailed.class,
            DeadLetter.TYPE, DeadLetter.class,
            LedgerEntry.TYPE, LedgerEntry.class);

    private ContractsJson() {}

    /** Applies the contract settings to a mapper (services may pass their framework's own mapper). */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setDefaultPropertyInclusion(JsonInclude.Include.ALWAYS)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // Custom metadata is stored verbatim: 1.50 must stay 1.50, not become the double 1.5.
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Envelope<?> envelope) {
        try {
            return MAPPER.writeValueAsBytes(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + envelope.type(), e);
        }
    }

    public static String toJson(Envelope<?> envelope) {
        return new String(toBytes(envelope), StandardCharsets.UTF_8);
    }

    /**
     * Reads any envelope. Throws {@link MalformedMessageException} naming what is wrong when the bytes are not a
     * readable envelope.
     */
    public static Envelope<Payload> read(byte[] bytes) {
        try {
            return read(MAPPER.readTree(bytes));
        } catch (IOException e) {
            throw new MalformedMessageException(e.getMessage(), e);
        }
    }

    /**
     * Reads an envelope whose payload must be of the given class, leaving the named fields of its payload out: they
     * read as absent (null). The left-out values are still scanned, so the message must be well-formed JSON, but no
     * objects are built for them: a consumer that needs only a request's header (its items are already stored) reads
     * a 500-item run request at a fraction of the cost.
     */
    public static <P extends Payload> Envelope<P> readWithout(byte[] bytes, Class<P> payloadType, Set<String> left) {
        TokenFilter payload = new TokenFilter() {
            @Override
            public TokenFilter includeProperty(String name) {
                return left.contains(name) ? null : TokenFilter.INCLUDE_ALL;
            }
        };
        TokenFilter envelope = new TokenFilter() {
            @Override
            public TokenFilter includeProperty(String name) {
                return "payload".equals(name) ? payload : TokenFilter.INCLUDE_ALL;
            }
        };
        try (JsonParser parser = new FilteringParserDelegate(
                MAPPER.createParser(bytes), envelope, TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true)) {
            return ofType(read((JsonNode) MAPPER.readTree(parser)), payloadType);
        } catch (IOException e) {
            throw new MalformedMessageException(e.getMessage(), e);
        }
    }

    private static Envelope<Payload> read(JsonNode tree) {
        try {
            if (tree == null || !tree.isObject()) {
                throw new MalformedMessageException("not a JSON object");
            }
            String type = requiredText(tree, "type");
            Class<? extends Payload> payloadClass = PAYLOAD_TYPES.get(type);
            if (payloadClass == null) {
                throw new MalformedMessageException("unknown type '" + type + "'");
            }
            if (!tree.path("schema_version").isInt()) {
                throw new MalformedMessageException("missing integer field 'schema_version' in " + type);
            }
            int schemaVersion = tree.get("schema_version").asInt();
            if (schemaVersion < 1 || schemaVersion > Envelope.CURRENT_SCHEMA_VERSION) {
                throw new MalformedMessageException("unsupported schema_version " + tree.get("schema_version") + " for "
                        + type + " (this reader knows 1.." + Envelope.CURRENT_SCHEMA_VERSION + ")");
            }
            JsonNode payload = tree.get("payload");
            if (payload == null || !payload.isObject()) {
                throw new MalformedMessageException("missing object 'payload' in " + type);
            }
            String itemId =
                    tree.path("item_id").isTextual() ? tree.get("item_id").asText() : null;
            return new Envelope<>(
                    UUID.fromString(requiredText(tree, "event_id")),
                    type,
                    schemaVersion,
                    Instant.parse(requiredText(tree, "occurred_at")),
                    UUID.fromString(requiredText(tree, "run_id")),
                    itemId == null ? null : UUID.fromString(itemId),
                    MAPPER.treeToValue(payload, payloadClass));
        } catch (IOException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new MalformedMessageException(e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        if (node == null || !node.isTextual()) {
            throw new MalformedMessageException("missing text field '" + field + "'");
        }
        return node.asText();
    }

    /** Reads an envelope whose payload must be of the given class. */
    public static <P extends Payload> Envelope<P> read(byte[] bytes, Class<P> payloadType) {
        return ofType(read(bytes), payloadType);
    }

    @SuppressWarnings("unchecked")
    private static <P extends Payload> Envelope<P> ofType(Envelope<Payload> envelope, Class<P> payloadType) {
        if (!payloadType.isInstance(envelope.payload())) {
            throw new MalformedMessageException(
                    "expected " + payloadType.getSimpleName() + " but got type " + envelope.type());
        }
        return (Envelope<P>) (Envelope<?>) envelope;
    }
}
