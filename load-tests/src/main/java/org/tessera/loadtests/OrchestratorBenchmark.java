package org.tessera.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ItemProgress;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.Payload;
import org.tessera.contracts.RunState;
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.Topics;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.StackOptions;

/**
 * Measures the orchestrator on a real local stack (Kafka, PostgreSQL, orchestrator; the worker is stopped so that
 * nothing but this harness produces item events):
 *
 * <ol>
 *   <li>latency of {@code POST /v1/runs} with 500 items, sequential requests after a warm-up;
 *   <li>item-event ingestion: with several 500-item runs scheduled, every item's started, progress and succeeded
 *       events are produced to Kafka as fast as a producer can, and the clock stops when the orchestrator has
 *       published COMPLETED for every run (so the figure includes de-duplication, state changes and the outbox).
 * </ol>
 *
 * Arguments: {@code [latency-requests=20] [ingestion-runs=10] [items-per-run=500]}.
 */
public final class OrchestratorBenchmark {

    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

    public static void main(String[] args) throws Exception {
        int latencyRequests = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int ingestionRuns = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int itemsPerRun = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Path root = Path.of(System.getProperty("tessera.root", "."))
                .toAbsolutePath()
                .normalize();

        StackOptions options = StackOptions.defaults(root, root.resolve(".local-stack-bench"))
                // Nothing must be re-queued while the harness plays the worker.
                .withOrchestratorConfig(Map.of("tessera.orchestrator.item-lease-timeout", "PT1H"));
        System.out.println("starting the local stack (Kafka, PostgreSQL, orchestrator) ...");
        try (LocalStack stack = LocalStack.start(options)) {
            stack.stopWorker();
            DemoClient client = new DemoClient(
                    stack.apiUrl(), () -> stack.token(stack.seed().member()));
            System.out.printf(
                    Locale.ROOT,
                    "machine: %d cores, %s%n",
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.arch"));

            submissionLatency(client, latencyRequests, itemsPerRun);
            ingestion(stack, client, ingestionRuns, itemsPerRun);
        }
    }

    private static void submissionLatency(DemoClient client, int requests, int items) {
        for (int i = 0; i < 3; i++) {
            client.submitRun(runRequest("warm-up-" + i, items));
        }
        double[] millis = new double[requests];
        for (int i = 0; i < requests; i++) {
            JsonNode request = runRequest("latency-" + i, items);
            long start = System.nanoTime();
            client.submitRun(request);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf(
                Locale.ROOT,
                "POST /v1/runs with %d items, %d sequential requests: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
                items,
                requests,
                percentile(millis, 0.50),
                percentile(millis, 0.95),
                millis[millis.length - 1]);
    }

    private static void ingestion(LocalStack stack, DemoClient client, int runs, int items) throws Exception {
        try (KafkaConsumer<String, byte[]> runEvents = runEventConsumer(stack.kafkaBootstrapServers())) {
            List<String> runIds = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                runIds.add(client.submitRun(runRequest("ingest-" + r, items)));
            }
            awaitRunStates(runEvents, new HashSet<>(runIds), RunState.SCHEDULED);
            Map<String, List<String>> itemIds = new HashMap<>();
            for (String runId : runIds) {
                itemIds.put(
                        runId,
                        client.items(runId).stream()
                                .map(i -> i.path("item_id").asText())
                                .toList());
            }

            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            Instant now = Instant.now();
            for (String runId : runIds) {
                UUID run = UUID.fromString(runId);
                for (String itemId : itemIds.get(runId)) {
                    UUID item = UUID.fromString(itemId);
                    String key = "outputs/" + runId + "/" + itemId + "/tissue_qc_csv_class_information.csv";
                    for (Payload payload : List.<Payload>of(
                            new ItemStarted(1, "bench"),
                            new ItemProgress(1, "bench", "TILING", 50, 100),
                            new ItemSucceeded(
                                    1,
                                    "bench",
                                    List.of(new OutputArtifact(
                                            "tissue_qc:csv_class_information", key, "text/csv", 42, "AAAAAA=="))))) {
                        Envelope<Payload> envelope = Envelope.of(UUID.randomUUID(), now, run, item, payload);
                        records.add(new ProducerRecord<>(Topics.ITEM_EVENTS, runId, ContractsJson.toBytes(envelope)));
                    }
                }
            }

            long start = System.nanoTime();
            try (KafkaProducer<String, byte[]> producer = producer(stack.kafkaBootstrapServers())) {
                records.forEach(producer::send);
                producer.flush();
            }
            double producedSeconds = (System.nanoTime() - start) / 1e9;
            awaitRunStates(runEvents, new HashSet<>(runIds), RunState.COMPLETED);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "item-event ingestion: %d events (%d runs x %d items x 3) applied in %.2f s = %.0f events/s"
                            + " (producing them took %.2f s)%n",
                    records.size(),
                    runs,
                    items,
                    seconds,
                    records.size() / seconds,
                    producedSeconds);
        }
    }

    private static void awaitRunStates(KafkaConsumer<String, byte[]> consumer, Set<String> runIds, RunState state) {
        Set<String> waiting = new HashSet<>(runIds);
        long deadline = System.nanoTime() + RUN_TIMEOUT.toNanos();
        while (!waiting.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(waiting.size() + " runs did not reach " + state + " in " + RUN_TIMEOUT);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                Envelope<Payload> envelope = ContractsJson.read(record.value());
                if (envelope.payload() instanceof RunStateChanged changed && changed.state() == state) {
                    waiting.remove(envelope.runId().toString());
                }
            }
        }
    }

    private static KafkaConsumer<String, byte[]> runEventConsumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.RUN_EVENTS));
        return consumer;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** A test-app run whose items point at URLs that are never fetched (the worker is stopped). */
    static JsonNode runRequest(String externalPrefix, int items) {
        ObjectNode request = DemoClient.object();
        request.put("application_id", "test-app");
        request.putNull("version_number");
        request.putObject("custom_metadata").putObject("sdk").putArray("tags").add("benchmark");
        ArrayNode list = request.putArray("items");
        for (int i = 0; i < items; i++) {
            ObjectNode item = list.addObject();
            item.put("external_id", externalPrefix + "-slide-" + i);
            ObjectNode artifact = item.putArray("input_artifacts").addObject();
            artifact.put("name", "whole_slide_image");
            artifact.put(
                    "download_url", "https://slides.example.org/bucket/" + externalPrefix + "/" + i + ".svs?sig=x");
            ObjectNode metadata = artifact.putObject("metadata");
            metadata.put("checksum_base64_crc32c", "AAAAAA==");
            metadata.put("width_px", 40_000);
            metadata.put("height_px", 30_000);
            metadata.put("resolution_mpp", 0.25);
            metadata.put("media_type", "application/octet-stream");
        }
        return request;
    }

    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private OrchestratorBenchmark() {}
}
