package org.tessera.contracts.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * Attributes of the platform's spans (deploy/README.md, "Tracing", lists which span carries which): the platform's
 * ids, what a worker's stage handled, and the OpenTelemetry messaging conventions for Kafka. The names are part of the
 * documented trace contract that dashboards and trace queries rely on.
 */
public final class TraceAttributes {

    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("tessera.run.id");
    public static final AttributeKey<String> ITEM_ID = AttributeKey.stringKey("tessera.item.id");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tessera.item.attempt");
    public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("tessera.error.code");
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("tessera.event.type");

    // The orchestrator's: item and run state after a transition.
    public static final AttributeKey<String> ITEM_STATE = AttributeKey.stringKey("tessera.item.state");
    public static final AttributeKey<String> RUN_STATE = AttributeKey.stringKey("tessera.run.state");

    // The worker's: the job, and what each stage handled.
    public static final AttributeKey<String> APPLICATION = AttributeKey.stringKey("tessera.application.id");
    public static final AttributeKey<String> APPLICATION_VERSION =
            AttributeKey.stringKey("tessera.application.version");
    public static final AttributeKey<String> WORKER_ID = AttributeKey.stringKey("tessera.worker.id");
    public static final AttributeKey<String> ERROR_KIND = AttributeKey.stringKey("tessera.error.kind");
    public static final AttributeKey<Long> BYTES = AttributeKey.longKey("tessera.bytes");
    public static final AttributeKey<Long> TILES = AttributeKey.longKey("tessera.tiles");
    public static final AttributeKey<Long> OUTPUTS = AttributeKey.longKey("tessera.outputs");
    public static final AttributeKey<String> MODEL = AttributeKey.stringKey("tessera.model.name");
    public static final AttributeKey<Double> INFERENCE_MS = AttributeKey.doubleKey("tessera.model.inference_ms");
    public static final AttributeKey<String> SLIDE_FORMAT = AttributeKey.stringKey("tessera.slide.format");
    public static final AttributeKey<String> SLIDE_BACKEND = AttributeKey.stringKey("tessera.slide.backend");
    public static final AttributeKey<Long> SLIDE_WIDTH = AttributeKey.longKey("tessera.slide.width_px");
    public static final AttributeKey<Long> SLIDE_HEIGHT = AttributeKey.longKey("tessera.slide.height_px");
    public static final AttributeKey<Long> SLIDE_LEVELS = AttributeKey.longKey("tessera.slide.levels");

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
