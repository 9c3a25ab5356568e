package org.tessera.orchestrator.common.tracing;

import io.opentelemetry.api.common.AttributeKey;

/** Attributes of the orchestrator's spans: the platform's ids, and the messaging conventions for Kafka. */
public final class TraceAttributes {

    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("tessera.run.id");
    public static final AttributeKey<String> ITEM_ID = AttributeKey.stringKey("tessera.item.id");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tessera.item.attempt");
    public static final AttributeKey<String> ITEM_STATE = AttributeKey.stringKey("tessera.item.state");
    public static final AttributeKey<String> RUN_STATE = AttributeKey.stringKey("tessera.run.state");
    public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("tessera.error.code");
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("tessera.event.type");
    public static final AttributeKey<Long> ITEM_COUNT = AttributeKey.longKey("tessera.run.item_count");

    public static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    public static final AttributeKey<String> MESSAGING_DESTINATION =
            AttributeKey.stringKey("messaging.destination.name");
    public static final AttributeKey<String> MESSAGING_OPERATION = AttributeKey.stringKey("messaging.operation.type");
    public static final AttributeKey<String> MESSAGING_KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    public static final AttributeKey<String> MESSAGING_PARTITION =
            AttributeKey.stringKey("messaging.destination.partition.id");
    public static final AttributeKey<Long> MESSAGING_OFFSET = AttributeKey.longKey("messaging.kafka.offset");
    public static final AttributeKey<String> CONSUMER_GROUP = AttributeKey.stringKey("messaging.consumer.group.name");

    private TraceAttributes() {}
}
