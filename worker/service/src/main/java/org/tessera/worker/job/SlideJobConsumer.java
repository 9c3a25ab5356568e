package org.tessera.worker.job;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.DeadLetter;
import org.tessera.contracts.DerivedIds;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.MalformedMessageException;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.objectstore.ObjectStoreSettings;
import org.tessera.objectstore.ObjectStores;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.fetch.AddressPolicy;
import org.tessera.worker.fetch.SlideFetcher;
import org.tessera.worker.pipeline.SlidePipeline;

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
 * duplicates.
 */
@ApplicationScoped
public class SlideJobConsumer {

    private static final System.Logger LOG = System.getLogger(SlideJobConsumer.class.getName());

    private final WorkerConfig config;
    private final ObjectStoreConfig storeConfig;
    private final String bootstrapServers;
    private final MeterRegistry registry;

    private volatile boolean running;
    private volatile Instant lastPoll = Instant.EPOCH;
    private volatile Thread loop;
    private String workerId;
    private KafkaProducer<String, byte[]> producer;
    private KafkaItemEventSink sink;
    private JobRunner runner;
    private WorkerMetrics metrics;
    private ExecutorService jobs;
    private ScheduledExecutorService heartbeats;

    SlideJobConsumer(
            WorkerConfig config,
            ObjectStoreConfig storeConfig,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            MeterRegistry registry) {
        this.config = config;
        this.storeConfig = storeConfig;
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) throws IOException {
        workerId = config.id().filter(id -> !id.isBlank()).orElseGet(SlideJobConsumer::hostname);
        Files.createDirectories(config.workDir());
        producer = new KafkaProducer<>(producerProperties());
        sink = new KafkaItemEventSink(producer);
        metrics = new WorkerMetrics(registry, SlidePipeline.APPLICATIONS);
        SlideFetcher fetcher = new SlideFetcher(
                SlideFetcher.defaultClient(config.fetch().connectTimeout()),
                new AddressPolicy(config.fetch().allowLoopback(), config.fetch().allowPrivate()),
                new SlideFetcher.Settings(
                        config.maxInputBytes(),
                        config.fetch().retries(),
                        config.fetch().retryBackoff(),
                        config.fetch().responseTimeout()));
        SlideReaders readers = SlideReaders.discover();
        LOG.log(System.Logger.Level.INFO, readers.describe());
        SlidePipeline pipeline = new SlidePipeline(
                fetcher,
                readers,
                ObjectStores.create(
                        new ObjectStoreSettings(storeConfig.root(), storeConfig.publicUrl(), storeConfig.signingKey())),
                config.workDir());
        heartbeats = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("item-heartbeat").daemon(true).factory());
        jobs = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("slide-job").factory());
        runner = new JobRunner(
                pipeline::process,
                sink,
                Clock.systemUTC(),
                heartbeats,
                new JobRunner.Settings(
                        workerId, config.heartbeatInterval(), config.systemRetries(), config.retryBackoff()),
                metrics);
        running = true;
        loop = Thread.ofPlatform().name("slide-job-poller").start(this::pollLoop);
        LOG.log(
                System.Logger.Level.INFO,
                "worker " + workerId + " consuming " + Topics.SLIDE_JOBS + " as group " + config.groupId()
                        + "; slide readers: "
                        + readers.providers().stream().map(p -> p.name()).toList());
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
        if (heartbeats != null) {
            heartbeats.shutdownNow();
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
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

    public String workerId() {
        return workerId;
    }

    private void pollLoop() {
        while (running) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
                consume(consumer);
            } catch (WakeupException e) {
                // shutting down
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "slide-job consumer failed; reconnecting", e);
                sleepQuietly(Duration.ofSeconds(2));
            }
        }
    }

    private void consume(KafkaConsumer<String, byte[]> consumer) {
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
                consumer.pause(consumer.assignment());
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                current[0] = new InFlight(partition, record.offset(), jobs.submit(() -> {
                    runner.run(job);
                    return null;
                }));
            }
        }
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
        DeadLetter letter = new DeadLetter(
                record.topic(), record.partition(), record.offset(), config.groupId(), reason, text(record.value()));
        UUID eventId = DerivedIds.deadLetter(record.topic(), record.partition(), record.offset(), config.groupId());
        Envelope<DeadLetter> envelope = Envelope.of(eventId, Instant.now(), runIdOf(record.value()), null, letter);
        while (running) {
            try {
                sink.publishDeadLetter(record.key(), envelope);
                metrics.deadLettered();
                LOG.log(
                        System.Logger.Level.WARNING,
                        "dead-lettered " + record.topic() + "@" + record.offset() + ": " + reason);
                return true;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, "could not publish dead letter; retrying", e);
                sleepQuietly(config.retryBackoff());
            }
        }
        return false;
    }

    /** The run id if the broken record still has a readable one, else the nil UUID (envelopes require a run id). */
    private static UUID runIdOf(byte[] value) {
        try {
            return UUID.fromString(
                    ContractsJson.mapper().readTree(value).path("run_id").asText());
        } catch (IOException | RuntimeException e) {
            return new UUID(0, 0);
        }
    }

    private static String text(byte[] value) {
        if (value == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return Base64.getEncoder().encodeToString(value);
        }
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
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
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

    private Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "worker-" + workerId + "-events");
        // Idempotent, fully acknowledged sends keep a run's events in order and never duplicated by retries.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "worker-" + ProcessHandle.current().pid();
        }
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
