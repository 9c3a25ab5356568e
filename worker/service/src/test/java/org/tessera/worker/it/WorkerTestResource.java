package org.tessera.worker.it;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tessera.contracts.Topics;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.worker.testing.SlideServer;

/**
 * Everything the worker needs around it in a {@code @QuarkusTest}: the real in-JVM broker with the topics created,
 * a filesystem object store in a temp dir, a slide HTTP server on 127.0.0.1, and settings that make the interesting
 * cases fast: 1 s heartbeats, a max.poll.interval.ms of 3 s that a slow download easily outlasts, and inference
 * settings other than the defaults.
 */
public class WorkerTestResource implements QuarkusTestResourceLifecycleManager {

    static SlideServer server;
    static Path root;

    @Override
    public Map<String, String> start() {
        try {
            root = Files.createTempDirectory("tessera-worker-it-");
            server = new SlideServer();
            KafkaTestResource.broker()
                    .createTopics(
                            List.of(Topics.SLIDE_JOBS, Topics.ITEM_EVENTS, Topics.DEAD_LETTERS, Topics.RUN_EVENTS), 3);
            return Map.ofEntries(
                    Map.entry("tessera.objectstore.root", root.resolve("store").toString()),
                    Map.entry("tessera.objectstore.public-url", "http://127.0.0.1:1"),
                    Map.entry("tessera.objectstore.signing-key", "test-signing-key"),
                    Map.entry("tessera.worker.id", "test-worker"),
                    Map.entry("tessera.worker.work-dir", root.resolve("work").toString()),
                    Map.entry("tessera.worker.fetch.allow-loopback", "true"),
                    Map.entry("tessera.worker.fetch.retries", "0"),
                    Map.entry("tessera.worker.heartbeat-interval", "PT1S"),
                    Map.entry("tessera.worker.system-retries", "1"),
                    Map.entry("tessera.worker.retry-backoff", "PT0.1S"),
                    Map.entry("tessera.worker.max-input-bytes", Long.toString(50L * 1024 * 1024)),
                    Map.entry("tessera.worker.kafka.max-poll-interval", "PT3S"),
                    Map.entry("tessera.worker.kafka.session-timeout", "PT10S"),
                    // Not the defaults, so a test can tell that these settings, and not built-in ones, reach the
                    // engine the pipeline runs its models on.
                    Map.entry("tessera.worker.inference.provider", "cpu"),
                    Map.entry("tessera.worker.inference.batch-size", "3"),
                    Map.entry("tessera.worker.inference.threads", "1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
