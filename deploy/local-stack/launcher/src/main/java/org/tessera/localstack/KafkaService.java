package org.tessera.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.tessera.contracts.Topics;

/**
 * A real Apache Kafka broker in its own JVM: KRaft, one node that is both broker and controller, storage formatted in
 * standalone mode, every listener on 127.0.0.1. It runs from the {@code kafka_2.13} jars this module depends on, so
 * nothing has to be downloaded besides Maven artifacts.
 */
public final class KafkaService implements AutoCloseable {

    static final String NAME = "kafka";

    /**
     * Topics created before any service starts, with the orchestrator's default partition count
     * ({@code tessera.kafka.topic-partitions}), so that no consumer races the orchestrator's own topic creation or the
     * broker's auto-creation with other settings.
     */
    static final int PARTITIONS = StackOptions.DEFAULT_TOPIC_PARTITIONS;

    static final List<String> TOPICS =
            List.of(Topics.RUN_REQUESTS, Topics.RUN_EVENTS, Topics.SLIDE_JOBS, Topics.ITEM_EVENTS, Topics.DEAD_LETTERS);

    private final ChildProcess process;
    private final int port;
    private final int partitions;

    private KafkaService(ChildProcess process, int port, int partitions) {
        this.process = process;
        this.port = port;
        this.partitions = partitions;
    }

    public static KafkaService start(StackOptions options, int port, int controllerPort) throws IOException {
        return start(options, port, controllerPort, true);
    }

    /**
     * Starts the broker again on the storage (and cluster id) an earlier {@link #start} formatted and {@link #close}
     * left behind, as a broker restart would: same ports, same logs, same committed offsets.
     */
    public static KafkaService restart(StackOptions options, int port, int controllerPort) throws IOException {
        return start(options, port, controllerPort, false);
    }

    private static KafkaService start(StackOptions options, int port, int controllerPort, boolean format)
            throws IOException {
        Path home = options.stateDir().resolve("data").resolve("kafka");
        Path logDirs = home.resolve("log-dirs");
        Files.createDirectories(logDirs);
        Path config = home.resolve("server.properties");
        Files.writeString(config, serverProperties(port, controllerPort, logDirs), StandardCharsets.UTF_8);

        String classpath = classpath();
        if (format) {
            format(options, classpath, config, home);
        }

        List<String> server = new ArrayList<>(javaCommand(options, classpath, options.serviceHeap()));
        server.addAll(List.of("kafka.Kafka", config.toString()));
        ChildProcess process = ChildProcess.start(
                NAME, server, Map.of(), home, options.logDir().resolve(NAME + ".log"));
        KafkaService kafka = new KafkaService(process, port, options.topicPartitions());
        try {
            kafka.awaitReady(options.startTimeout());
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    private static void format(StackOptions options, String classpath, Path config, Path home) throws IOException {
        Path formatLog = options.logDir().resolve("kafka-format.log");
        List<String> format = new ArrayList<>(javaCommand(options, classpath, "256m"));
        format.addAll(List.of(
                "kafka.tools.StorageTool",
                "format",
                "--config",
                config.toString(),
                "--cluster-id",
                Uuid.randomUuid().toString(),
                "--standalone",
                "--ignore-formatted"));
        try (ChildProcess formatter = ChildProcess.start("kafka-format", format, Map.of(), home, formatLog)) {
            var exit = formatter.waitFor(options.startTimeout());
            if (exit.isEmpty() || exit.getAsInt() != 0) {
                throw new StackException(
                        NAME,
                        exit.isEmpty()
                                ? "formatting the storage did not finish in time"
                                : "formatting the storage failed with exit code " + exit.getAsInt(),
                        formatLog);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException(NAME, "interrupted while formatting the storage");
        }
    }

    static String serverProperties(int port, int controllerPort, Path logDirs) {
        String listener = "PLAINTEXT://127.0.0.1:" + port;
        String controller = "127.0.0.1:" + controllerPort;
        return String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.bootstrap.servers=" + controller,
                        "listeners=" + listener + ",CONTROLLER://" + controller,
                        "advertised.listeners=" + listener,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                        "log.dirs=" + logDirs,
                        "num.partitions=" + PARTITIONS,
                        "auto.create.topics.enable=true",
                        // A single broker: every internal topic must live with one replica.
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=4",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        // Consumers joining right after start would otherwise wait 3 s for a rebalance.
                        "group.initial.rebalance.delay.ms=0",
                        "log.retention.hours=24",
                        // The compacted offsets topic is tiny here; the default 128 MiB buffer would be most of the
                        // heap.
                        "log.cleaner.dedupe.buffer.size=16777216",
                        "log.segment.bytes=16777216")
                + "\n";
    }

    private static List<String> javaCommand(StackOptions options, String classpath, String heap) {
        return List.of(
                options.javaCommand(),
                "-Xms64m",
                "-Xmx" + heap,
                "-XX:+UseSerialGC",
                // Kafka's buffer unmapping uses sun.misc.Unsafe, which JDK 25 warns about at every start.
                "--sun-misc-unsafe-memory-access=allow",
                "-Djava.awt.headless=true",
                // The broker logs through slf4j-simple to stderr, which goes to its log file. (java.util.logging
                // would lose the shutdown messages: its handlers close in a shutdown hook of their own.)
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
                "-Dorg.slf4j.simpleLogger.showThreadName=false",
                "-Dorg.slf4j.simpleLogger.showShortLogName=true",
                "-cp",
                classpath);
    }

    /** The broker's classpath, written at build time next to this class by the dependency plugin. */
    static String classpath() {
        try (InputStream in = KafkaService.class.getResourceAsStream("kafka.classpath")) {
            if (in == null) {
                throw new StackException(
                        NAME,
                        "kafka.classpath is missing from the launcher; build it with ./mvnw install -pl local-stack");
            }
            String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            List<String> missing = Arrays.stream(classpath.split(java.io.File.pathSeparator))
                    .filter(entry -> !Files.exists(Path.of(entry)))
                    .toList();
            if (!missing.isEmpty()) {
                throw new StackException(
                        NAME,
                        "jars of the broker's classpath are missing (" + missing.getFirst()
                                + "); rebuild with ./mvnw install -pl local-stack");
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        Readiness.await(NAME, process, timeout, "listener on 127.0.0.1:" + port, () -> Ports.isListening(port));
        // An open port is not a working broker: wait until it answers metadata requests and owns the topics.
        Readiness.await(NAME, process, timeout, "cluster metadata and topics", this::createTopics);
    }

    private boolean createTopics() throws InterruptedException, ExecutionException {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        try (Admin admin = Admin.create(config)) {
            if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                return false;
            }
            Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            List<NewTopic> missing = TOPICS.stream()
                    .filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, partitions, (short) 1))
                    .collect(Collectors.toList());
            try {
                admin.createTopics(missing).all().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(TOPICS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        // Kafka flushes and closes its log segments on SIGTERM; give it time so the next start needs no recovery.
        process.stop(Duration.ofSeconds(30));
    }
}
