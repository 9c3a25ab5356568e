package org.tessera.worker.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.DeadLetter;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.FailureKind;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.ItemFailed;
import org.tessera.contracts.ItemProgress;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.ItemSucceeded;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.imaging.synthetic.SyntheticSlide;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.ObjectStoreSettings;
import org.tessera.objectstore.ObjectStores;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.worker.inference.InferenceEngine;
import org.tessera.worker.pipeline.SlidePipeline;
import org.tessera.worker.testing.SlideServer;

/** The worker against a real broker: jobs in, item events and dead letters out, outputs in the object store. */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(WorkerTestResource.class)
class WorkerKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    SlidePipeline pipeline;

    @Inject
    InferenceEngine engine;

    private static EventCollector events;
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void connect() {
        String bootstrap = KafkaTestResource.broker().bootstrapServers();
        events = new EventCollector(bootstrap, List.of(Topics.ITEM_EVENTS, Topics.DEAD_LETTERS));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    @AfterAll
    static void disconnect() {
        producer.close();
        events.close();
    }

    @Test
    void goodSlideSucceedsWithRealOutputsInTheStore() throws Exception {
        SyntheticSlide slide =
                SyntheticSlideGenerator.generate(WorkerTestResource.root.resolve("good.tiff"), 3000, 2200, 0.5, 21);
        String url = WorkerTestResource.server.route("good.tiff", SlideServer.Route.file(slide.path()));
        Job job = send("test-app", url, slide.checksumBase64Crc32c());

        ItemSucceeded succeeded = awaitTerminal(job, ItemSucceeded.class);

        List<Envelope<?>> itemEvents = itemEventsOf(job);
        assertThat(itemEvents.getFirst().payload()).isInstanceOf(ItemStarted.class);
        assertThat(itemEvents.getLast().payload()).isInstanceOf(ItemSucceeded.class);
        assertThat(itemEvents).allSatisfy(e -> assertThat(e.itemId()).isEqualTo(job.itemId()));
        assertThat(itemEvents.stream()
                        .map(Envelope::payload)
                        .filter(ItemProgress.class::isInstance)
                        .map(p -> ((ItemProgress) p).stage()))
                .contains("DOWNLOADING", "TISSUE_DETECTION", "UPLOADING");
        assertThat(events.all().stream()
                        .filter(r -> r.topic().equals(Topics.ITEM_EVENTS)
                                && r.envelope().runId().equals(job.runId())))
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(job.runId().toString()));
        assertThat(succeeded.workerId()).isEqualTo("test-worker");

        assertThat(succeeded.outputArtifacts())
                .extracting(OutputArtifact::name)
                .containsExactlyInAnyOrder(
                        "tissue_qc:segmentation_map_image",
                        "tissue_qc:geojson_polygons",
                        "tissue_qc:csv_class_information",
                        "tissue_segmentation:segmentation_map_image",
                        "tissue_segmentation:geojson_polygons",
                        "tissue_segmentation:csv_class_information");
        ObjectStore store = ObjectStores.create(new ObjectStoreSettings(
                Optional.of(WorkerTestResource.root.resolve("store")),
                java.net.URI.create("http://127.0.0.1:1"),
                "test-signing-key"));
        for (OutputArtifact artifact : succeeded.outputArtifacts()) {
            assertThat(artifact.objectKey())
                    .isEqualTo(job.outputPrefix() + "/" + artifact.name().replace(':', '_')
                            + switch (artifact.mediaType()) {
                                case "image/tiff" -> ".tiff";
                                case "application/geo+json" -> ".geojson";
                                default -> ".csv";
                            });
            byte[] stored;
            try (InputStream in = store.open(artifact.objectKey())) {
                stored = in.readAllBytes();
            }
            assertThat((long) stored.length).isEqualTo(artifact.sizeBytes());
            assertThat(Crc32c.base64Of(stored)).isEqualTo(artifact.checksumBase64Crc32c());
        }
        assertMapMetadata(succeeded, slide);
        JsonNode geojson;
        try (InputStream in = store.open(job.outputPrefix() + "/tissue_qc_geojson_polygons.geojson")) {
            geojson = ContractsJson.mapper().readTree(in);
        }
        assertThat(geojson.path("type").asText()).isEqualTo("FeatureCollection");
        // Each tissue piece gives at least one polygon; artefacts and pieces of QC classes may add more.
        assertThat(geojson.path("features").size())
                .isGreaterThanOrEqualTo(slide.tissueRegions().size());
        assertThat(geojson.path("features")
                        .get(0)
                        .path("properties")
                        .path("objectType")
                        .asText())
                .isEqualTo("annotation");
        String csv;
        try (InputStream in = store.open(job.outputPrefix() + "/tissue_qc_csv_class_information.csv")) {
            csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(csv).startsWith("class,pixels,area_mm2,percent\nBackground,");
        assertThat(csv).contains("\nTissue,");
        assertThat(Files.list(WorkerTestResource.root.resolve("work")))
                .as("work dir cleaned")
                .isEmpty();
    }

    @Test
    void heTmeJobYieldsTissueCellAndReadoutArtifactsWithQuPathDetections() throws Exception {
        SyntheticSlide slide =
                SyntheticSlideGenerator.generate(WorkerTestResource.root.resolve("he-tme.tiff"), 1536, 1280, 0.5, 33);
        String url = WorkerTestResource.server.route("he-tme.tiff", SlideServer.Route.file(slide.path()));
        Job job = send("he-tme", url, slide.checksumBase64Crc32c());

        ItemSucceeded succeeded = awaitTerminal(job, ItemSucceeded.class);

        assertThat(succeeded.outputArtifacts())
                .extracting(OutputArtifact::name)
                .containsExactlyInAnyOrder(
                        "tissue_qc:segmentation_map_image",
                        "tissue_qc:geojson_polygons",
                        "tissue_qc:csv_class_information",
                        "tissue_segmentation:segmentation_map_image",
                        "tissue_segmentation:geojson_polygons",
                        "tissue_segmentation:csv_class_information",
                        "cell_classification:geojson_polygons",
                        "readout_generation:slide_readouts",
                        "readout_generation:cell_readouts");
        ObjectStore store = store();
        for (OutputArtifact artifact : succeeded.outputArtifacts()) {
            byte[] stored;
            try (InputStream in = store.open(artifact.objectKey())) {
                stored = in.readAllBytes();
            }
            assertThat((long) stored.length).as(artifact.name()).isEqualTo(artifact.sizeBytes());
            assertThat(Crc32c.base64Of(stored)).as(artifact.name()).isEqualTo(artifact.checksumBase64Crc32c());
        }
        assertMapMetadata(succeeded, slide);
        JsonNode cells;
        try (InputStream in = store.open(job.outputPrefix() + "/cell_classification_geojson_polygons.geojson")) {
            cells = ContractsJson.mapper().readTree(in);
        }
        assertThat(cells.path("type").asText()).isEqualTo("FeatureCollection");
        assertThat(cells.path("features").size()).isPositive();
        assertThat(cells.path("features"))
                .allSatisfy(
                        f -> assertThat(f.path("properties").path("objectType").asText())
                                .isEqualTo("detection"));
        String cellCsv;
        try (InputStream in = store.open(job.outputPrefix() + "/readout_generation_cell_readouts.csv")) {
            cellCsv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(cellCsv.lines().count()).isEqualTo(cells.path("features").size() + 1L);
    }

    /**
     * Both maps carry their size, pixel size and class colours, as the output metadata schema names them; every other
     * output says the slide was stain-normalized, without a warning.
     */
    private static void assertMapMetadata(ItemSucceeded succeeded, SyntheticSlide slide) {
        List<OutputArtifact> maps = succeeded.outputArtifacts().stream()
                .filter(a -> a.name().endsWith(":segmentation_map_image"))
                .toList();
        assertThat(maps).hasSize(2);
        for (OutputArtifact map : maps) {
            ObjectNode metadata = map.metadata();
            assertThat(metadata).as(map.name()).isNotNull();
            double mpp = metadata.path("resolution_mpp").asDouble();
            assertThat(mpp).isGreaterThan(0.5);
            // The map covers the slide: its pixel count times its pixel size is the slide's extent.
            assertThat(metadata.path("width_px").asInt() * mpp).isCloseTo(slide.width() * 0.5, within(2 * mpp));
            assertThat(metadata.path("height_px").asInt() * mpp).isCloseTo(slide.height() * 0.5, within(2 * mpp));
            JsonNode colors = metadata.path("class_colors");
            assertThat(colors.path("Background")).hasSize(3);
            assertThat(colors.path("Background").get(0).asInt()).isEqualTo(255);
            assertThat(colors.size()).isEqualTo(5);
            assertThat(metadata.properties())
                    .extracting(java.util.Map.Entry::getKey)
                    .containsExactlyInAnyOrder("width_px", "height_px", "resolution_mpp", "class_colors");
        }
        assertThat(succeeded.outputArtifacts().stream().filter(a -> !a.name().endsWith(":segmentation_map_image")))
                .allSatisfy(a -> {
                    assertThat(a.metadata().path("stain_normalization").asText())
                            .as(a.name())
                            .isEqualTo("applied");
                    assertThat(a.metadata().has("stain_normalization_warning")).isFalse();
                });
    }

    private static ObjectStore store() {
        return ObjectStores.create(new ObjectStoreSettings(
                Optional.of(WorkerTestResource.root.resolve("store")),
                java.net.URI.create("http://127.0.0.1:1"),
                "test-signing-key"));
    }

    @Test
    void corruptSlideFailsAsUnreadableUserError() throws Exception {
        SyntheticSlide corrupt =
                SyntheticSlideGenerator.writeCorrupt(WorkerTestResource.root.resolve("corrupt.tiff"), 5);
        String url = WorkerTestResource.server.route("corrupt.tiff", SlideServer.Route.file(corrupt.path()));
        Job job = send("test-app", url, corrupt.checksumBase64Crc32c());

        ItemFailed failed = awaitTerminal(job, ItemFailed.class);

        assertThat(failed.kind()).isEqualTo(FailureKind.USER_ERROR);
        assertThat(failed.errorCode()).isEqualTo(ErrorCodes.INPUT_UNREADABLE);
        assertThat(failed.message()).contains("whole_slide_image");
    }

    @Test
    void inputProblemsMapToTheirCodes() throws Exception {
        SyntheticSlide slide =
                SyntheticSlideGenerator.generate(WorkerTestResource.root.resolve("small.tiff"), 600, 500, 0.5, 2);
        String good = WorkerTestResource.server.route("small.tiff", SlideServer.Route.file(slide.path()));
        String forbidden = WorkerTestResource.server.route("forbidden.tiff", SlideServer.Route.status(403));
        String missing = WorkerTestResource.server.url("missing.tiff");
        Job wrongChecksum = send("he-tme", good, Crc32c.base64Of(new byte[] {1, 2, 3}));
        Job refused = send("test-app", forbidden, slide.checksumBase64Crc32c());
        Job notFound = send("test-app", missing, slide.checksumBase64Crc32c());
        Job metadataService = send("test-app", "http://169.254.169.254/latest/slide.tiff", null);

        assertThat(awaitTerminal(wrongChecksum, ItemFailed.class).errorCode())
                .isEqualTo(ErrorCodes.INPUT_CHECKSUM_MISMATCH);
        assertThat(awaitTerminal(refused, ItemFailed.class).errorCode()).isEqualTo(ErrorCodes.INPUT_URL_FORBIDDEN);
        assertThat(awaitTerminal(notFound, ItemFailed.class).errorCode()).isEqualTo(ErrorCodes.INPUT_URL_NOT_FOUND);
        assertThat(awaitTerminal(metadataService, ItemFailed.class).errorCode())
                .isEqualTo(ErrorCodes.INPUT_URL_NOT_ALLOWED);
    }

    @Test
    void jobLongerThanMaxPollIntervalIsNeitherRebalancedNorRedelivered() throws Exception {
        SyntheticSlide slide =
                SyntheticSlideGenerator.generate(WorkerTestResource.root.resolve("slow.tiff"), 2000, 2000, 0.5, 8);
        // About 6 s of trickling download against a max.poll.interval.ms of 3 s and heartbeats every second.
        long chunks = (slide.sizeBytes() + 16 * 1024 - 1) / (16 * 1024);
        Duration delay = Duration.ofMillis(Math.max(50, 6000 / chunks));
        String url = WorkerTestResource.server.route("slow.tiff", SlideServer.Route.slow(slide.path(), delay));
        Instant sent = Instant.now();
        Job job = send("test-app", url, slide.checksumBase64Crc32c());

        awaitTerminal(job, ItemSucceeded.class);
        assertThat(Duration.between(sent, Instant.now())).isGreaterThan(Duration.ofSeconds(4));

        // Give a wrongly evicted consumer's redelivery time to show up as a second start.
        List<Envelope<?>> events =
                await().during(Duration.ofSeconds(4)).atMost(WAIT).until(() -> itemEventsOf(job), e -> true);
        assertThat(events.stream().filter(e -> e.payload() instanceof ItemStarted))
                .hasSize(1);
        assertThat(events.stream().filter(e -> e.payload() instanceof ItemSucceeded))
                .hasSize(1);
        assertThat(events.stream()
                        .filter(e -> e.payload() instanceof ItemProgress p
                                && p.stage().equals("DOWNLOADING")))
                .as("heartbeats while downloading")
                .hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aRedeliveredAttemptWhoseItemWasAlreadyHandedOutAgainIsSkipped() throws Exception {
        SyntheticSlide slide =
                SyntheticSlideGenerator.generate(WorkerTestResource.root.resolve("stale.tiff"), 800, 600, 0.5, 12);
        String url = WorkerTestResource.server.route("stale.tiff", SlideServer.Route.file(slide.path()));
        UUID runId = UUID.randomUUID();
        UUID itemId = UUID.randomUUID();
        // What a worker crash leaves: attempt 1 uncommitted, and behind it on the item's partition the attempt 2 the
        // orchestrator's lease watchdog dispatched. One batch, so the worker sees both before it starts attempt 1.
        Properties props = new Properties();
        props.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "2000");
        try (KafkaProducer<String, byte[]> batching = new KafkaProducer<>(props)) {
            for (int attempt = 1; attempt <= 2; attempt++) {
                Envelope<SlideJob> envelope = Envelope.of(
                        UUID.randomUUID(),
                        Instant.now(),
                        runId,
                        itemId,
                        slideJob(
                                itemId,
                                "test-app",
                                url,
                                slide.checksumBase64Crc32c(),
                                attempt,
                                prefixOf(runId, itemId)));
                batching.send(
                        new ProducerRecord<>(Topics.SLIDE_JOBS, itemId.toString(), ContractsJson.toBytes(envelope)));
            }
            batching.flush();
        }
        Job job = new Job(runId, itemId, prefixOf(runId, itemId));

        ItemSucceeded succeeded = awaitTerminal(job, ItemSucceeded.class);
        assertThat(succeeded.attempt()).isEqualTo(2);

        // Long enough for a wrongly processed attempt 1 to have reported after attempt 2 (one small slide takes ~1 s).
        List<Envelope<?>> events =
                await().during(Duration.ofSeconds(3)).atMost(WAIT).until(() -> itemEventsOf(job), e -> true);
        assertThat(events)
                .extracting(e -> e.payload() instanceof org.tessera.contracts.ItemEvent event ? event.attempt() : -1)
                .as("attempts of the item's events")
                .containsOnly(2);
        given().when()
                .get(management("/q/metrics"))
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.matchesPattern(
                        "(?s).*\\ntessera_worker_jobs_superseded_total(\\{[^}]*})? [1-9].*"));
    }

    @Test
    void unreadableRecordGoesToTheDeadLetterTopic() {
        String key = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(Topics.SLIDE_JOBS, key, "{not json".getBytes(StandardCharsets.UTF_8)));
        producer.flush();

        DeadLetter letter = await().atMost(WAIT)
                .until(
                        () -> events.all().stream()
                                .filter(r -> r.topic().equals(Topics.DEAD_LETTERS) && key.equals(r.key()))
                                .map(r -> (DeadLetter) r.envelope().payload())
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(letter.sourceTopic()).isEqualTo(Topics.SLIDE_JOBS);
        assertThat(letter.originalValue()).isEqualTo("{not json");
        assertThat(letter.reason()).isNotBlank();
        assertThat(letter.consumer()).isEqualTo("tessera-workers");
    }

    /** Health and metrics are on the management port, not the worker's HTTP port. */
    private static String management(String path) {
        String base = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("test.management.url", String.class);
        return java.net.URI.create(base).resolve(path).toString();
    }

    @Test
    void healthIsUpAndMetricsAreExposed() {
        given().when().get("/q/metrics").then().statusCode(404);
        given().when()
                .get(management("/q/health/ready"))
                .then()
                .statusCode(200)
                .body(containsString("slide-job-consumer"))
                .body(
                        "checks[0].data.jpeg-decoder",
                        either(startsWith("libjpeg-turbo")).or(startsWith("JDK ImageIO (")))
                .body(
                        "checks[0].data.openslide",
                        either(startsWith("available: ")).or(startsWith("unavailable: ")))
                .body("checks[0].data.inference", containsString("batch size 3, intra-op threads 1"));
        await().atMost(WAIT)
                .untilAsserted(() -> given().when()
                        .get(management("/q/metrics"))
                        .then()
                        .statusCode(200)
                        .body(containsString("tessera_worker_")));
    }

    @Test
    void inferenceSettingsReachTheEngineThePipelineRunsItsModelsOn() {
        InferenceEngine used = pipeline.analyzer().engine();
        assertThat(used).isSameAs(engine);
        assertThat(used.settings()).isEqualTo(new InferenceEngine.Settings(InferenceEngine.Provider.CPU, 3, 1));
        assertThat(used.usesCuda()).isFalse();
    }

    record Job(UUID runId, UUID itemId, String outputPrefix) {}

    private static Job send(String application, String url, String checksum) throws Exception {
        UUID runId = UUID.randomUUID();
        UUID itemId = UUID.randomUUID();
        String prefix = prefixOf(runId, itemId);
        SlideJob job = slideJob(itemId, application, url, checksum, 1, prefix);
        Envelope<SlideJob> envelope = Envelope.of(UUID.randomUUID(), Instant.now(), runId, itemId, job);
        producer.send(new ProducerRecord<>(Topics.SLIDE_JOBS, itemId.toString(), ContractsJson.toBytes(envelope)))
                .get();
        return new Job(runId, itemId, prefix);
    }

    private static String prefixOf(UUID runId, UUID itemId) {
        return "outputs/" + runId + "/" + itemId;
    }

    private static SlideJob slideJob(
            UUID itemId, String application, String url, String checksum, int attempt, String prefix) {
        ObjectNode metadata = ContractsJson.mapper().createObjectNode();
        if (checksum != null) {
            metadata.put("checksum_base64_crc32c", checksum);
        }
        metadata.put("media_type", "image/tiff");
        metadata.put("resolution_mpp", 0.5);
        return new SlideJob(
                "slide-" + itemId,
                application,
                "1.0.0",
                "org-1",
                attempt,
                List.of(new InputArtifact("whole_slide_image", url, metadata)),
                prefix);
    }

    private static List<Envelope<?>> itemEventsOf(Job job) {
        return events.all().stream()
                .filter(r -> r.topic().equals(Topics.ITEM_EVENTS))
                .map(EventCollector.Received::envelope)
                .filter(e -> job.itemId().equals(e.itemId()))
                .<Envelope<?>>map(e -> e)
                .toList();
    }

    private static <T> T awaitTerminal(Job job, Class<T> type) {
        Object terminal = await().atMost(WAIT)
                .until(
                        () -> itemEventsOf(job).stream()
                                .map(Envelope::payload)
                                .filter(p -> p instanceof ItemSucceeded || p instanceof ItemFailed)
                                .findFirst(),
                        Optional::isPresent)
                .orElseThrow();
        assertThat(terminal).isInstanceOf(type);
        return type.cast(terminal);
    }
}
