package org.tessera.worker.job;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.KafkaConnection;
import org.tessera.contracts.MalformedMessageException;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.contracts.tracing.KafkaTraceHeaders;
import org.tessera.contracts.tracing.TraceAttributes;
import org.tessera.worker.common.tracing.Spans;

/**
 * Takes slide jobs from Kafka, one at a time, and runs each to its terminal event.
 *
 * <p>Why a plain {@link KafkaConsumer} loop and not a SmallRye channel: a slide can take an hour, and the consumer
 * must keep calling {@code poll()} meanwhile or the group coordinator evicts it after {@code max.poll.interval.ms} and
 * hands the job to another worker. The loop below owns that contract explicitly: when a job starts it pauses every
 * assigned partition, keeps polling (which returns nothing while paused but keeps the membership alive), commits the
 * job's offset only after the terminal event is acknowledged by the broker, then resumes. SmallRye's connector can be
 * tuned into similar behaviour (blocking worker thread, {@code max.poll.records=1}, throttled commit with
 * {@code unprocessed-record-max-age.ms=-1}), but then correctness rests on several interacting connector defaults;
 * here it is a dozen lines that a test exercises directly. Redelivery after a crash is Kafka's: an uncommitted job is
 * consumed again by the next worker with the same attempt number, so its event ids repeat and the orchestrator drops
 * duplicates. Before a job runs, {@link NewerAttempts} checks whether the orchestrator has already handed its item out
 * again under a later attempt; such a stale job is committed and skipped, since nothing it reported would count.
 *
 * <p>Each job runs under a consumer span whose parent is the orchestrator's span from the record's
 * {@code traceparent} header (a new trace when there is none): the pipeline's stages nest beneath it, and the item's
 * events carry its context back to the orchestrator.
 */
@ApplicationScoped
public class SlideJobConsumer {

    private static final System.Logger LOG = System.getLogger(SlideJobConsumer.class.getName());

    private final WorkerConfig config;
    private final KafkaConnection kafka;
    private final WorkerId workerId;
    private final JobRunner runner;
    private final DeadLetterWriter deadLetters;
    private final WorkerMetrics metrics;
    private final Tracer tracer;

    /** How long the look-ahead may take before a job runs anyway. */
    private static final Duration LOOK_AHEAD_TIMEOUT = Duration.ofSeconds(10);

    private volatile boolean running;
    private volatile Instant lastPoll = Instant.EPOCH;
    private volatile Thread loop;
    private ExecutorService jobs;

    SlideJobConsumer(
            WorkerConfig config,
            KafkaConnection kafka,
            WorkerId workerId,
            JobRunner runner,
            DeadLetterWriter deadLetters,
            WorkerMetrics metrics,
            Tracer tracer) {
        this.config = config;
        this.tracer = tracer;
        this.metrics = metrics;
        this.kafka = kafka;
        this.workerId = workerId;
        this.runner = runner;
        this.deadLetters = deadLetters;
    }

    void start(@Observes StartupEvent event) {
        jobs = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("slide-job").factory());
        running = true;
        loop = Thread.ofPlatform().name("slide-job-poller").start(this::pollLoop);
        LOG.log(
                System.Logger.Level.INFO,
                "worker " + workerId + " consuming " + Topics.SLIDE_JOBS + " as group " + config.groupId());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        Thread poller = loop;
        if (poller != null) {
            poller.join(Duration.ofSeconds(30));
        }
        if (jobs != null) {
            // An unfinished job stays uncommitted, so Kafka hands it to another worker.
            jobs.shutdownNow();
            jobs.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /** Whether the poll loop is alive and polled recently (for health checks). */
    public boolean healthy() {
        Thread poller = loop;
        Duration sincePoll = Duration.between(lastPoll, Instant.now());
        return running
                && poller != null
                && poller.isAlive()
                && sincePoll.compareTo(
                                config.kafka().pollTimeout().multipliedBy(4).plusSeconds(10))
                        < 0;
    }

    private void pollLoop() {
        while (running) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties());
                    NewerAttempts newer =
                            new NewerAttempts(kafka, "worker-" + workerId + "-look-ahead", LOOK_AHEAD_TIMEOUT)) {
                consume(consumer, newer);
            } catch (WakeupException e) {
                // shutting down
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "slide-job consumer failed; reconnecting", e);
                sleepQuietly(Duration.ofSeconds(2));
            }
        }
    }

    private void consume(KafkaConsumer<String, byte[]> consumer, NewerAttempts newer) {
        InFlight[] current = new InFlight[1];
        consumer.subscribe(List.of(Topics.SLIDE_JOBS), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (current[0] != null && partitions.contains(current[0].partition())) {
                    // The job keeps running and still reports; only its offset can no longer be committed here.
                    LOG.log(System.Logger.Level.WARNING, "partition of the running job was revoked: " + partitions);
                }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                // Newly assigned partitions start unpaused; while a job runs nothing else may be fetched.
                if (current[0] != null) {
                    consumer.pause(partitions);
                }
            }
        });
        while (running) {
            if (current[0] != null && current[0].future().isDone()) {
                finish(consumer, current[0]);
                current[0] = null;
                consumer.resume(consumer.paused());
            }
            ConsumerRecords<String, byte[]> records =
                    consumer.poll(config.kafka().pollTimeout());
            lastPoll = Instant.now();
            for (ConsumerRecord<String, byte[]> record : records) {
                Envelope<SlideJob> job = readOrDeadLetter(consumer, record);
                if (job == null) {
                    continue;
                }
                TopicPartition at = new TopicPartition(record.topic(), record.partition());
                int attempt = job.payload().attempt();
                int newest = newer.newerThan(at, record.offset(), job.itemId(), attempt);
                if (newest > 0) {
                    LOG.log(
                            System.Logger.Level.INFO,
                            "skipping item " + job.itemId() + " attempt " + attempt + " at " + at + "@"
                                    + record.offset() + ": attempt " + newest + " follows it on the partition");
                    metrics.superseded();
                    commit(consumer, at, record.offset() + 1);
                    continue;
                }
                consumer.pause(consumer.assignment());
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                Span span = jobSpan(record, job);
                current[0] = new InFlight(partition, record.offset(), jobs.submit(() -> {
                    Scope scope = span.makeCurrent();
                    try {
                        runner.run(job);
                    } catch (Exception | Error e) {
                        Spans.failed(span, e);
                        throw e;
                    } finally {
                        scope.close();
                        span.end();
                    }
                    return null;
                }));
            }
        }
    }

    /** The span of one slide job, from its start to the acknowledgement of its terminal event. */
    private Span jobSpan(ConsumerRecord<String, byte[]> record, Envelope<SlideJob> job) {
        Context parent = KafkaTraceHeaders.extract(record.headers());
        return tracer.spanBuilder(record.topic() + " process")
                .setSpanKind(SpanKind.CONSUMER)
                .setParent(parent)
                .setAttribute(TraceAttributes.MESSAGING_SYSTEM, "kafka")
                .setAttribute(TraceAttributes.MESSAGING_OPERATION, "process")
                .setAttribute(TraceAttributes.MESSAGING_DESTINATION, record.topic())
                .setAttribute(TraceAttributes.MESSAGING_PARTITION, Integer.toString(record.partition()))
                .setAttribute(TraceAttributes.MESSAGING_OFFSET, record.offset())
                .setAttribute(TraceAttributes.MESSAGING_KEY, String.valueOf(record.key()))
                .setAttribute(TraceAttributes.CONSUMER_GROUP, config.groupId())
                .setAttribute(TraceAttributes.RUN_ID, String.valueOf(job.runId()))
                .setAttribute(TraceAttributes.ITEM_ID, String.valueOf(job.itemId()))
                .setAttribute(TraceAttributes.ATTEMPT, (long) job.payload().attempt())
                .setAttribute(
                        TraceAttributes.APPLICATION,
                        String.valueOf(job.payload().applicationId()))
                .setAttribute(
                        TraceAttributes.APPLICATION_VERSION,
                        String.valueOf(job.payload().applicationVersion()))
                .setAttribute(TraceAttributes.WORKER_ID, workerId.value())
                .startSpan();
    }

    private void finish(KafkaConsumer<String, byte[]> consumer, InFlight done) {
        try {
            done.future().get();
            commit(consumer, done.partition(), done.offset() + 1);
        } catch (java.util.concurrent.ExecutionException e) {
            // The terminal event could not be published: leave the job uncommitted and consume it again.
            LOG.log(System.Logger.Level.ERROR, "job at " + done.partition() + "@" + done.offset() + " not reported", e);
            if (consumer.assignment().contains(done.partition())) {
                consumer.seek(done.partition(), done.offset());
            }
            sleepQuietly(config.retryBackoff());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Envelope<SlideJob> readOrDeadLetter(
            KafkaConsumer<String, byte[]> consumer, ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() == null) {
                throw new MalformedMessageException("record has no value");
            }
            Envelope<SlideJob> job = ContractsJson.read(record.value(), SlideJob.class);
            if (job.itemId() == null) {
                throw new MalformedMessageException("slide.job without item_id");
            }
            return job;
        } catch (MalformedMessageException e) {
            if (deadLetter(record, e.getMessage())) {
                commit(consumer, new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
            }
            return null;
        }
    }

    /** Publishes the dead letter, retrying until it is accepted; false only when shutting down first. */
    private boolean deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        while (running) {
            try {
                deadLetters.write(record, reason);
                return true;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "could not publish dead letter; retrying", e);
                sleepQuietly(config.retryBackoff());
            }
        }
        return false;
    }

    private void commit(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long nextOffset) {
        try {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(nextOffset)));
        } catch (RuntimeException e) {
            // After a rebalance the partition may belong to someone else; they will redeliver, ids dedupe.
            LOG.log(System.Logger.Level.WARNING, "could not commit " + partition + "@" + nextOffset, e);
        }
    }

    private Properties consumerProperties() {
        Properties props = kafka.properties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "worker-" + workerId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // One job per poll: the loop pauses as soon as it has one.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        props.put(
                ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                Long.toString(config.kafka().maxPollInterval().toMillis()));
        props.put(
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                Long.toString(config.kafka().sessionTimeout().toMillis()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record InFlight(TopicPartition partition, long offset, Future<Void> future) {}
}
