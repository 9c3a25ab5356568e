package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.Payload;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.objectstore.FilesystemObjectStore;

/**
 * A worker that dies mid-slide costs the run time, never its result: on the real stack, the worker is killed with
 * SIGKILL while it holds an item, the orchestrator's lease watchdog hands the job out again under the next attempt
 * within the configured lease, and the restarted worker skips the stale redelivered attempt and finishes the new one.
 * The item is counted and charged once, the outputs the API lists are exactly the objects in the store, and replaying
 * every item event twice, shuffled, changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerRecoveryEndToEndTest {

    /** Short enough for a quick test, yet five heartbeats long, so a busy machine does not expire a live worker. */
    private static final Duration LEASE = Duration.ofSeconds(15);

    private static final Duration LEASE_CHECK = Duration.ofSeconds(2);
    private static final Duration HEARTBEAT = Duration.ofSeconds(3);
    /**
     * Slack on top of lease and check interval for what a loaded 2-core machine adds: the last heartbeat's way through
     * Kafka and the orchestrator's ingestion (the lease counts from when it was applied), the outbox relay, the send.
     */
    private static final Duration MARGIN = Duration.ofSeconds(10);
    /** Generous for a 2-core machine shared with builds: the run itself needs seconds once the worker is back. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

    private LocalStack stack;
    private DemoClient member;
    private HeldDownloadServer slideHost;
    private KafkaConsumer<String, byte[]> tap;
    private final List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
    private Path work;

    @BeforeAll
    void startStack() throws IOException {
        Path root = EndToEnd.projectRoot();
        Path stateDir = root.resolve("deploy/local-stack/launcher/target/e2e-recovery-stack");
        work = stateDir.resolve("work");
        stack = LocalStack.start(StackOptions.defaults(root, stateDir)
                .withStartTimeout(Duration.ofMinutes(3))
                .withOrchestratorConfig(Map.of(
                        "tessera.orchestrator.item-lease-timeout", LEASE.toString(),
                        "tessera.orchestrator.lease-check-interval", LEASE_CHECK.toString(),
                        "tessera.orchestrator.max-attempts", "3"))
                .withWorkerConfig(Map.of(
                        "tessera.worker.heartbeat-interval",
                        HEARTBEAT.toString(),
                        // The killed worker never leaves its group: the restarted one gets the partitions once the
                        // broker gives up on the dead member's session.
                        "tessera.worker.kafka.session-timeout",
                        "PT10S")));
        member = new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        Files.createDirectories(work);
        tap = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()));
        // Assigned, not subscribed: the test only reads, it must not join (and rebalance) anyone's group.
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.SLIDE_JOBS, Topics.ITEM_EVENTS)) {
            tap.partitionsFor(topic, Duration.ofSeconds(30))
                    .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        tap.assign(partitions);
        tap.seekToBeginning(partitions);
    }

    @AfterAll
    void stopStack() {
        if (tap != null) {
            tap.close();
        }
        if (slideHost != null) {
            slideHost.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aWorkerKilledMidSlideIsReplacedWithinTheLeaseAndTheItemSucceedsOnceUnderTheSameObjectKeys() throws Exception {
        Path slidesDir = work.resolve("slides");
        slideHost = HeldDownloadServer.start(slidesDir, RUN_TIMEOUT);
        SlideSet slides = SlideSet.generate(slidesDir, List.of(SlideSet.Spec.good("r-1", 2048, 1536, 0.5)), 23L)
                .upload(
                        member,
                        (method, key, ttl) ->
                                method.equals("PUT") ? stack.objectStore().presignPut(key, ttl) : slideHost.url(key),
                        "uploads/recovery/" + UUID.randomUUID());

        String runId = member.submitRun(slides.runRequest(Demo.APPLICATION, null));
        String itemId = member.items(runId).getFirst().path("item_id").asText();

        // The worker has started the item and is stuck halfway through its download: it is mid-slide.
        await("the worker to hold item " + itemId + " mid-download")
                .atMost(RUN_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> slideHost.isHolding()
                        && member.item(runId, "r-1").path("state").asText().equals("PROCESSING"));
        assertThat(await("attempt 1 of item " + itemId + " on " + Topics.SLIDE_JOBS)
                        .atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(200))
                        .pollInSameThread()
                        .until(() -> slideJobs(itemId), jobs -> !jobs.isEmpty()))
                .extracting(job -> job.payload().attempt())
                .containsExactly(1);

        Instant killedAt = Instant.now();
        stack.killWorker();

        ConsumerRecord<String, byte[]> republished = await("attempt 2 of item " + itemId + " on " + Topics.SLIDE_JOBS)
                .atMost(LEASE.plus(LEASE_CHECK).plus(Duration.ofMinutes(1)))
                .pollInterval(Duration.ofMillis(200))
                .pollInSameThread()
                .until(() -> slideJobRecord(itemId, 2), record -> record != null);
        Instant seenAt = Instant.now();
        Duration killToRepublish = Duration.between(killedAt, Instant.ofEpochMilli(republished.timestamp()));
        Envelope<SlideJob> job = ContractsJson.read(republished.value(), SlideJob.class);
        System.out.printf(
                "kill -> attempt 2 requeued %d ms, published %d ms, seen by the test %d ms (lease %s, check %s)%n",
                Duration.between(killedAt, job.occurredAt()).toMillis(),
                killToRepublish.toMillis(),
                Duration.between(killedAt, seenAt).toMillis(),
                LEASE,
                LEASE_CHECK);
        // The bound the configuration promises, with slack for a loaded machine; and not sooner than the lease
        // allows (the last heartbeat came at most one interval before the kill, give or take one more of jitter),
        // so it was the lease that expired and nothing else.
        assertThat(killToRepublish)
                .isLessThanOrEqualTo(LEASE.plus(LEASE_CHECK).plus(MARGIN))
                .isGreaterThanOrEqualTo(LEASE.minus(HEARTBEAT.multipliedBy(2)));
        assertThat(job.payload().outputPrefix()).isEqualTo("outputs/" + runId + "/" + itemId + "/");

        // No worker is running: the item waits as PENDING for its next attempt, and the run's counts agree.
        JsonNode waiting = member.item(runId, "r-1");
        assertThat(waiting.path("state").asText()).isEqualTo("PENDING");
        assertThat(waiting.path("output_artifacts")).isEmpty();
        JsonNode openRun = member.run(runId);
        assertThat(openRun.path("state").asText()).isEqualTo("PROCESSING");
        assertThat(openRun.path("statistics").path("item_pending_count").asInt())
                .isEqualTo(1);
        assertThat(openRun.path("statistics").path("item_processing_count").asInt())
                .isZero();

        slideHost.release();
        stack.startWorker();

        JsonNode run = EndToEnd.awaitTerminated(member, runId, RUN_TIMEOUT);
        assertThat(run.path("termination_reason").asText()).isEqualTo("ALL_ITEMS_PROCESSED");
        assertThat(run.path("output").asText()).isEqualTo("FULL");
        assertThat(RunStatistics.of(run))
                .isEqualTo(Map.of(
                        "item_count", 1,
                        "item_pending_count", 0,
                        "item_processing_count", 0,
                        "item_succeeded_count", 1,
                        "item_user_error_count", 0,
                        "item_system_error_count", 0,
                        "item_skipped_count", 0));

        // The platform's own books agree: one requeue, one terminal outcome for the stack's only item, a success.
        await("the orchestrator's item counters")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    String metrics = orchestratorMetrics();
                    assertThat(EndToEnd.sum(metrics, "tessera_items_requeued_total", ""))
                            .isEqualTo(1.0);
                    assertThat(EndToEnd.sum(metrics, "tessera_items_terminal_total", ""))
                            .isEqualTo(1.0);
                    assertThat(EndToEnd.sum(metrics, "tessera_items_terminal_total", "reason=\"SUCCEEDED\""))
                            .isEqualTo(1.0);
                });

        JsonNode item = member.item(runId, "r-1");
        assertThat(item.path("state").asText()).isEqualTo("TERMINATED");
        assertThat(item.path("termination_reason").asText()).isEqualTo("SUCCEEDED");
        assertThat(item.path("output").asText()).isEqualTo("FULL");
        List<String> names = new ArrayList<>();
        item.path("output_artifacts")
                .forEach(artifact -> names.add(artifact.path("name").asText()));
        assertThat(names).isNotEmpty().doesNotHaveDuplicates();

        // The restarted worker first got the job the dead one never committed (Kafka redelivers attempt 1), saw that
        // attempt 2 already follows it on the item's partition, and skipped it: only attempt 2 ran, and the only start
        // of attempt 1 on the topic is the dead worker's.
        Map<Integer, Set<String>> keysByAttempt = await("the success report of attempt 2")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(200))
                .pollInSameThread()
                .until(() -> successKeys(itemId), keys -> keys.containsKey(2));
        assertThat(slideJobs(itemId)).extracting(j -> j.payload().attempt()).containsExactly(1, 2);
        assertThat(keysByAttempt).containsOnlyKeys(2);
        assertThat(startsOf(itemId, 1)).as("starts of the stale attempt 1").isEqualTo(1);
        assertThat(startsOf(itemId, 2)).isEqualTo(1);
        assertThat(EndToEnd.sum(
                        EndToEnd.metrics(stack.workerManagementUrl()), "tessera_worker_jobs_superseded_total", ""))
                .isEqualTo(1.0);
        Set<String> keys = keysByAttempt.get(2);
        assertThat(keys)
                .hasSize(names.size())
                .allSatisfy(key -> assertThat(key).startsWith("outputs/" + runId + "/" + itemId + "/"));

        // The API hands out exactly those objects, each once, and each download matches its CRC32C.
        List<ResultDownloader.Download> downloads =
                ResultDownloader.downloadAll(member, runId, work.resolve("results"));
        assertThat(downloads).hasSize(names.size());
        Set<String> downloadedKeys = new TreeSet<>();
        for (ResultDownloader.Download download : downloads) {
            String path = download.download().location().getRawPath();
            assertThat(path).startsWith("/objects/");
            downloadedKeys.add(URLDecoder.decode(path.substring("/objects/".length()), StandardCharsets.UTF_8));
            assertThat(EndToEnd.checksumOf(download.file()))
                    .as(download.artifactName())
                    .isEqualTo(EndToEnd.statedChecksum(item, download.artifactName()));
        }
        assertThat(downloadedKeys).isEqualTo(keys);
        // The store holds nothing under the item's prefix but those objects.
        assertThat(objectsUnder("outputs/" + runId + "/" + itemId)).isEqualTo(keys);

        // The books are exact: one terminal outcome, one ledger row and one ledger entry, one row per artifact.
        PlatformBooks.Snapshot books = PlatformBooks.read(stack, List.of(runId));
        assertThat(PlatformBooks.figures(books)).isEqualTo(new PlatformBooks.Figures(1, 0, 0, 0, 0, 0));

        // Every item event on the topic again, twice and shuffled: late, duplicated and out of order, they change
        // nothing.
        int replayed = TopicReplay.duplicateAndShuffle(stack.kafkaBootstrapServers(), Topics.ITEM_EVENTS, 2, 8L);
        assertThat(replayed).isGreaterThan(4);
        TopicReplay.awaitConsumed(
                stack.kafkaBootstrapServers(), "tessera-orchestrator-items", Topics.ITEM_EVENTS, RUN_TIMEOUT);
        assertThat(PlatformBooks.read(stack, List.of(runId))).isEqualTo(books);
        assertThat(RunStatistics.of(member.run(runId))).isEqualTo(RunStatistics.of(run));
        String metrics = orchestratorMetrics();
        assertThat(EndToEnd.sum(metrics, "tessera_items_terminal_total", "")).isEqualTo(1.0);
        assertThat(EndToEnd.sum(metrics, "tessera_items_requeued_total", "")).isEqualTo(1.0);
    }

    /** Reads what has reached the two topics since the last call. */
    private void drain() {
        tap.poll(Duration.ofMillis(100)).forEach(seen::add);
    }

    private List<Envelope<SlideJob>> slideJobs(String itemId) {
        drain();
        return seen.stream()
                .filter(r -> r.topic().equals(Topics.SLIDE_JOBS) && itemId.equals(r.key()))
                .map(r -> ContractsJson.read(r.value(), SlideJob.class))
                .toList();
    }

    private ConsumerRecord<String, byte[]> slideJobRecord(String itemId, int attempt) {
        drain();
        return seen.stream()
                .filter(r -> r.topic().equals(Topics.SLIDE_JOBS) && itemId.equals(r.key()))
                .filter(r ->
                        ContractsJson.read(r.value(), SlideJob.class).payload().attempt() == attempt)
                .findFirst()
                .orElse(null);
    }

    /** The object keys of every success report for the item, by attempt. */
    private Map<Integer, Set<String>> successKeys(String itemId) {
        drain();
        Map<Integer, Set<String>> keys = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : seen) {
            if (!record.topic().equals(Topics.ITEM_EVENTS)) {
                continue;
            }
            Envelope<Payload> event = ContractsJson.read(record.value());
            if (event.payload() instanceof ItemSucceeded succeeded && itemId.equals(String.valueOf(event.itemId()))) {
                Set<String> reported = succeeded.outputArtifacts().stream()
                        .map(OutputArtifact::objectKey)
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(succeeded.outputArtifacts())
                        .as("artifacts of attempt " + succeeded.attempt())
                        .hasSize(reported.size());
                keys.put(succeeded.attempt(), reported);
            }
        }
        return keys;
    }

    /** How many item.started records of the item's attempt are on the item-events topic. */
    private long startsOf(String itemId, int attempt) {
        drain();
        return seen.stream()
                .filter(r -> r.topic().equals(Topics.ITEM_EVENTS))
                .map(r -> ContractsJson.read(r.value()))
                .filter(e -> itemId.equals(String.valueOf(e.itemId()))
                        && e.payload() instanceof ItemStarted started
                        && started.attempt() == attempt)
                .count();
    }

    private Set<String> objectsUnder(String prefix) throws IOException {
        FilesystemObjectStore store = (FilesystemObjectStore) stack.objectStore();
        Path root = store.root();
        try (Stream<Path> files = Files.walk(store.pathOf(prefix))) {
            return files.filter(Files::isRegularFile)
                    .map(file -> root.relativize(file).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private String orchestratorMetrics() throws IOException, InterruptedException {
        return EndToEnd.metrics(stack.orchestratorManagementUrl());
    }
}
