package org.tessera.worker.job;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.resources.Resource;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Qualifier;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.contracts.KafkaConnection;
import org.tessera.contracts.tracing.TracingSwitch;
import org.tessera.models.ModelRegistry;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.ObjectStoreSettings;
import org.tessera.objectstore.ObjectStores;
import org.tessera.slides.SlideLimits;
import org.tessera.slides.SlideReaders;
import org.tessera.worker.analysis.SlideAnalyzer;
import org.tessera.worker.fetch.AddressPolicy;
import org.tessera.worker.fetch.SlideFetcher;
import org.tessera.worker.inference.InferenceEngine;
import org.tessera.worker.pipeline.SlidePipeline;

/**
 * How the worker is put together: each part built once from configuration and handed to whoever needs it. The parts
 * themselves (fetcher, readers, analysis, pipeline, job runner) are plain Java and know nothing of CDI.
 */
@Singleton
class WorkerComponents {

    private static final System.Logger LOG = System.getLogger(WorkerComponents.class.getName());

    @Produces
    @Singleton
    WorkerId workerId(WorkerConfig config) {
        return new WorkerId(config.id().filter(id -> !id.isBlank()).orElseGet(WorkerComponents::hostname));
    }

    /**
     * Resource attributes of the worker's spans beside {@code service.name} ({@code quarkus.otel.service.name}): its
     * version, and its worker id as {@code service.instance.id}, the name its item events carry.
     */
    @Produces
    @Singleton
    Resource tracingResource(
            WorkerId workerId,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        return Resource.builder()
                .put("service.namespace", "tessera")
                .put("service.version", version)
                .put("service.instance.id", workerId.value())
                .build();
    }

    /** Says once at start whether spans are exported, and where to. */
    void logTracing(@Observes StartupEvent event) {
        var config = ConfigProvider.getConfig();
        if (config.getOptionalValue(TracingSwitch.SDK_DISABLED, Boolean.class).orElse(false)) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "tracing off: no OTLP endpoint configured (quarkus.otel.exporter.otlp.traces.endpoint)");
        } else {
            LOG.log(
                    System.Logger.Level.INFO,
                    "tracing on: spans exported over OTLP to "
                            + TracingSwitch.ENDPOINTS.stream()
                                    .flatMap(name -> config.getOptionalValue(name, String.class).stream())
                                    .findFirst()
                                    .orElse("the default endpoint"));
        }
    }

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * The brokers and their security settings (TLS, SASL) for every Kafka client the worker builds, from its
     * {@code kafka.*} configuration ({@code KAFKA_BOOTSTRAP_SERVERS}, {@code KAFKA_SECURITY_PROTOCOL}, ...).
     */
    @Produces
    @Singleton
    KafkaConnection kafkaConnection(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfiguration) {
        return KafkaConnection.of(kafkaConfiguration);
    }

    /** Item events and dead letters; closed after the poll loop has stopped. */
    @Produces
    @Singleton
    Producer<String, byte[]> eventProducer(KafkaConnection kafka, WorkerId workerId) {
        Properties props = kafka.properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "worker-" + workerId + "-events");
        // Idempotent, fully acknowledged sends keep a run's events in order and never duplicated by retries.
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    void closeEventProducer(@Disposes Producer<String, byte[]> producer) {
        producer.close(Duration.ofSeconds(10));
    }

    @Produces
    @Singleton
    SlideFetcher slideFetcher(WorkerConfig config) {
        WorkerConfig.Fetch fetch = config.fetch();
        return new SlideFetcher(
                new AddressPolicy(fetch.allowLoopback(), fetch.allowPrivate()),
                new SlideFetcher.Settings(
                        config.maxInputBytes(),
                        fetch.retries(),
                        fetch.retryBackoff(),
                        fetch.connectTimeout(),
                        fetch.responseTimeout(),
                        fetch.idleTimeout(),
                        fetch.minBytesPerSecond(),
                        fetch.throughputWindow(),
                        fetch.downloadDeadline(),
                        fetch.hostFailureMemory()));
    }

    @Produces
    @Singleton
    SlideReaders slideReaders(WorkerConfig config) {
        SlideReaders readers = SlideReaders.discover(limits(config.slides()));
        LOG.log(System.Logger.Level.INFO, readers.describe());
        LOG.log(
                System.Logger.Level.INFO,
                "JPEG tiles of TIFF slides decoded by "
                        + readers.jpegDecoder().map(Object::toString).orElse("no TIFF backend") + "; OpenSlide "
                        + readers.openSlide());
        return readers;
    }

    /** {@code tessera.worker.slides.*} over the readers' defaults. */
    static SlideLimits limits(WorkerConfig.Slides slides) {
        SlideLimits d = SlideLimits.defaults();
        return new SlideLimits(
                slides.maxSide().orElse(d.maxSide()),
                slides.maxPixels().orElse(d.maxPixels()),
                slides.maxTileSide().orElse(d.maxTileSide()),
                slides.maxTileBytes().orElse(d.maxTileBytes()),
                slides.maxTilesPerLevel().orElse(d.maxTilesPerLevel()),
                slides.stripCacheBytes().orElse(d.stripCacheBytes()),
                slides.maxScratchBytes().orElse(d.maxScratchBytes()),
                slides.maxExtractedBytes().orElse(d.maxExtractedBytes()),
                slides.maxZipExpansion().orElse(d.maxZipExpansion()),
                slides.maxZipEntries().orElse(d.maxZipEntries()),
                slides.maxSeriesFiles().orElse(d.maxSeriesFiles()),
                slides.maxLevels().orElse(d.maxLevels()));
    }

    /**
     * The store {@code tessera.objectstore.backend} chooses. A worker checks it can reach the store when it is built,
     * before it takes any job, so a missing bucket or refused credentials stop the start naming the setting.
     */
    @Produces
    @Singleton
    ObjectStore objectStore(ObjectStoreConfig config) {
        return objectStore(config, name -> config.s3().flatMap(s3 -> s3.setting(name)));
    }

    ObjectStore objectStore(ObjectStoreConfig config, Function<String, Optional<String>> setting) {
        ObjectStore store = ObjectStores.create(ObjectStoreSettings.configured(
                config.backend(),
                config.root(),
                config.publicUrl(),
                config.signingKey(),
                config.signingScope(),
                setting));
        store.checkAccess();
        return store;
    }

    void closeObjectStore(@Disposes ObjectStore store) throws Exception {
        if (store instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The one engine every model of this worker runs on, with {@code tessera.worker.inference.*}. */
    @Produces
    @Singleton
    InferenceEngine inferenceEngine(WorkerConfig config) {
        WorkerConfig.Inference inference = config.inference();
        return InferenceEngine.create(new InferenceEngine.Settings(
                InferenceEngine.Provider.parse(inference.provider()),
                inference.batchSize(),
                inference.threads() > 0 ? inference.threads() : InferenceEngine.Settings.defaultThreads(),
                inference.spinning()));
    }

    @Produces
    @Singleton
    SlideAnalyzer slideAnalyzer(InferenceEngine engine, Tracer tracer) {
        return new SlideAnalyzer(engine, ModelRegistry.withBuiltInModels(), tracer);
    }

    @Produces
    @Singleton
    SlidePipeline slidePipeline(
            SlideFetcher fetcher,
            SlideReaders readers,
            SlideAnalyzer analyzer,
            ObjectStore store,
            WorkerConfig config,
            Tracer tracer)
            throws IOException {
        Files.createDirectories(config.workDir());
        return new SlidePipeline(fetcher, readers, analyzer, store, config.workDir(), tracer);
    }

    /** Marks the scheduler of item heartbeats apart from the executors Quarkus itself provides. */
    @Qualifier
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
    @interface Heartbeats {}

    /** Sends the heartbeats of the item in progress. */
    @Produces
    @Singleton
    @Heartbeats
    ScheduledExecutorService heartbeats() {
        return Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("item-heartbeat").daemon(true).factory());
    }

    void stopHeartbeats(@Disposes @Heartbeats ScheduledExecutorService heartbeats) {
        heartbeats.shutdownNow();
    }

    @Produces
    @Singleton
    JobRunner jobRunner(
            SlidePipeline pipeline,
            ItemEventSink sink,
            Clock clock,
            @Heartbeats ScheduledExecutorService heartbeats,
            WorkerId workerId,
            WorkerConfig config,
            WorkerMetrics metrics) {
        return new JobRunner(
                pipeline::process,
                sink,
                clock,
                heartbeats,
                new JobRunner.Settings(
                        workerId.value(),
                        config.heartbeatInterval(),
                        config.systemRetries(),
                        config.retryBackoff(),
                        config.processingDeadline()),
                metrics);
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "worker-" + ProcessHandle.current().pid();
        }
    }
}
