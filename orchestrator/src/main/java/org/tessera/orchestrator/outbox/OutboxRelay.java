package org.tessera.orchestrator.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.tessera.contracts.KafkaConnection;
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.orchestrator.common.persistence.AdvisoryLocks;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.common.tracing.TraceContext;

/**
 * Publishes the outbox to Kafka: takes the oldest rows, sends them, waits for the broker's acknowledgement, then
 * deletes them, all inside one database transaction. A crash between send and delete re-sends (consumers
 * de-duplicate by event id); nothing is ever lost.
 *
 * <p>Replicas coordinate through PostgreSQL: a transaction-scoped advisory lock lets one relay publish at a time, so
 * messages with the same key keep their order across replicas, and {@code FOR UPDATE SKIP LOCKED} guarantees that two
 * relays never hold the same row even if the lock were bypassed.
 *
 * <p>A payload stored as an LZ4 block ({@link StoredPayload}) is expanded before it is sent; one that cannot be expanded
 * is parked like a message the broker refuses.
 *
 * <p>A row written with a trace context is published under a producer span, a child of that context, whose own context
 * travels in the record's {@code traceparent}/{@code tracestate} headers; rows without one are sent without headers.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    /** Largest message the relay sends; TopicSetup gives the run-requests topic the same limit. */
    public static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry metrics;

    @Inject
    Clock clock;

    @Inject
    KafkaConnection kafka;

    @Inject
    OutboxSettings settings;

    @Inject
    Tracer tracer;

    private final Semaphore wakeups = new Semaphore(0);
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();
    private volatile boolean running;
    private volatile Instant gaugesRefreshedAt = Instant.EPOCH;
    private Thread thread;
    private Producer<String, byte[]> producer;
    private Timer publishLag;

    void start(@Observes StartupEvent event) {
        metrics.gauge("tessera.outbox.pending", pending);
        metrics.gauge("tessera.outbox.oldest.age.seconds", oldestAgeMillis, v -> v.get() / 1000.0);
        publishLag = Timer.builder("tessera.outbox.publish.lag")
                .description("Time from writing a message into the outbox until the broker acknowledged it")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(metrics);
        if (!settings.enabled()) {
            LOG.info("outbox relay disabled (tessera.outbox.enabled=false)");
            return;
        }
        producer = new KafkaProducer<>(producerConfig(), new StringSerializer(), new ByteArraySerializer());
        running = true;
        thread = Thread.ofPlatform().name("outbox-relay").daemon().start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            wakeups.release();
            try {
                thread.join(settings.sendTimeout().toMillis() + 5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** Asks the relay to look at the outbox now (called after a transaction that wrote to it has committed). */
    public void wake() {
        if (wakeups.availablePermits() == 0) {
            wakeups.release();
        }
    }

    private Properties producerConfig() {
        Properties props = kafka.properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tessera-orchestrator-outbox");
        // Idempotence + acks=all: a retried send cannot duplicate or reorder messages within a partition.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        // A small linger lets a 500-job fan-out travel in a few requests without delaying single messages much.
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        // A 500-item run request with generous metadata can exceed the 1 MiB default; the run-requests topic is
        // created with a matching max.message.bytes (see TopicSetup).
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(MAX_MESSAGE_BYTES));
        // Batches travel and rest on the broker compressed (LZ4 by default; consumers expand them without being
        // told): a run request is a sixth of its JSON, and a fan-out of slide jobs less.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, settings.compression());
        // The send must finish (or fail) well inside the database transaction that holds the rows.
        long timeout = settings.sendTimeout().toMillis();
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout, 15_000)));
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(Math.min(timeout, 15_000)));
        return props;
    }

    private void loop() {
        int failures = 0;
        while (running) {
            int published = 0;
            try {
                published = publishBatch();
                failures = 0;
            } catch (RuntimeException e) {
                failures++;
                LOG.warnf(e, "outbox relay could not publish (attempt %d); will retry", failures);
            }
            refreshGauges();
            if (!running) {
                break;
            }
            if (failures > 0) {
                sleep(backoff(failures));
            } else if (published < settings.batchSize()) {
                awaitWakeup();
            }
        }
    }

    private int publishBatch() {
        long timeoutSeconds = Math.max(10, settings.sendTimeout().toSeconds() * 2);
        return Transactions.inNew(dataSource, (int) timeoutSeconds, this::publishBatch);
    }

    /** An outbox row as stored: {@code payload} is an LZ4 block when {@code lz4Size} is not null. */
    private record Row(
            long id,
            String topic,
            String key,
            byte[] payload,
            Integer lz4Size,
            OffsetDateTime createdAt,
            TraceContext trace) {}

    private int publishBatch(Connection c) throws Exception {
        if (!AdvisoryLocks.OUTBOX_RELAY.tryLock(c)) {
            return 0;
        }
        List<Row> rows = Jdbc.list(
                c,
                "SELECT id, topic, message_key, payload, payload_lz4_size, created_at, traceparent, tracestate"
                        + " FROM outbox ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                rs -> new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getBytes(4),
                        rs.getObject(5, Integer.class),
                        rs.getObject(6, OffsetDateTime.class),
                        new TraceContext(rs.getString(7), rs.getString(8))),
                settings.batchSize());
        if (rows.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        Span[] spans = new Span[rows.size()];
        List<Row> parked = new ArrayList<>();
        try {
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                byte[] payload;
                try {
                    payload = StoredPayload.expand(row.payload(), row.lz4Size());
                } catch (IllegalStateException e) {
                    acks.add(null);
                    parked.add(row);
                    LOG.errorf(
                            "outbox message %d for %s cannot be read (%s); parked in outbox_parked",
                            row.id(), row.topic(), e.getMessage());
                    continue;
                }
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(row.topic(), row.key(), payload);
                if (row.trace().present()) {
                    spans[i] = publishSpan(row);
                    TraceContext.of(Context.root().with(spans[i])).writeTo(record.headers());
                }
                acks.add(producer.send(record));
            }
            producer.flush();
            for (int i = 0; i < acks.size(); i++) {
                if (acks.get(i) == null) {
                    continue;
                }
                try {
                    acks.get(i).get(settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
                    end(spans, i, null);
                } catch (ExecutionException e) {
                    if (!isUndeliverable(e.getCause())) {
                        throw e;
                    }
                    parked.add(rows.get(i));
                    end(spans, i, "undeliverable, parked: " + e.getCause().getMessage());
                    LOG.errorf(
                            "outbox message %d for %s can never be delivered (%s); parked in outbox_parked",
                            rows.get(i).id(), rows.get(i).topic(), e.getCause().getMessage());
                }
            }
        } finally {
            for (int i = 0; i < spans.length; i++) {
                end(spans, i, "not acknowledged; the batch is published again");
            }
        }
        park(c, parked);
        Jdbc.update(c, "DELETE FROM outbox WHERE id = ANY(?)", ids(rows));
        Instant now = clock.instant();
        for (Row row : rows) {
            publishLag.record(Duration.between(row.createdAt().toInstant(), now));
        }
        return rows.size();
    }

    /** A producer span under the row's trace context, named and described as the messaging conventions say. */
    private Span publishSpan(Row row) {
        return tracer.spanBuilder(row.topic() + " publish")
                .setSpanKind(SpanKind.PRODUCER)
                .setParent(row.trace().asParent())
                .setAttribute(TraceAttributes.MESSAGING_SYSTEM, "kafka")
                .setAttribute(TraceAttributes.MESSAGING_OPERATION, "publish")
                .setAttribute(TraceAttributes.MESSAGING_DESTINATION, row.topic())
                .setAttribute(TraceAttributes.MESSAGING_KEY, row.key())
                .startSpan();
    }

    /** Ends the i-th span once (with an error status when {@code error} is not null); no-op without one. */
    private static void end(Span[] spans, int i, String error) {
        Span span = spans[i];
        if (span == null) {
            return;
        }
        if (error != null) {
            span.setStatus(StatusCode.ERROR, error);
        }
        span.end();
        spans[i] = null;
    }

    /**
     * A message the broker will refuse however often it is sent (too large, invalid topic) would block every message
     * behind it; it is moved aside, with the reason, for an operator to look at.
     */
    private static boolean isUndeliverable(Throwable error) {
        return error instanceof RecordTooLargeException
                || error instanceof InvalidTopicException
                || error instanceof RecordBatchTooLargeException;
    }

    private void park(Connection c, List<Row> parked) throws SQLException {
        if (parked.isEmpty()) {
            return;
        }
        Jdbc.update(
                c,
                "INSERT INTO outbox_parked (id, topic, message_key, payload, payload_lz4_size, created_at,"
                        + " parked_at, traceparent, tracestate) SELECT id, topic, message_key, payload,"
                        + " payload_lz4_size, created_at, now(), traceparent, tracestate FROM outbox WHERE id = ANY(?)",
                ids(parked));
        metrics.counter("tessera.outbox.parked").increment(parked.size());
    }

    private static Jdbc.SqlArray ids(List<Row> rows) {
        return Jdbc.array("bigint", rows.stream().map(Row::id).toList());
    }

    private void refreshGauges() {
        Instant now = clock.instant();
        if (Duration.between(gaugesRefreshedAt, now).compareTo(Duration.ofSeconds(1)) < 0) {
            return;
        }
        gaugesRefreshedAt = now;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT count(*), min(created_at) FROM outbox");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                pending.set(rs.getLong(1));
                OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
                oldestAgeMillis.set(
                        oldest == null
                                ? 0
                                : Math.max(
                                        0,
                                        Duration.between(oldest.toInstant(), now)
                                                .toMillis()));
            }
        } catch (SQLException e) {
            LOG.debug("cannot read outbox gauges", e);
        }
    }

    private void awaitWakeup() {
        try {
            if (wakeups.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private Duration backoff(int failures) {
        long millis = Math.min(5_000, settings.pollInterval().toMillis() * (1L << Math.min(failures, 6)));
        return Duration.ofMillis(millis);
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
