package org.tessera.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.tessera.orchestrator.flow.FlowSupport.awaitItem;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRun;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRunState;
import static org.tessera.orchestrator.flow.FlowSupport.itemIds;
import static org.tessera.orchestrator.flow.FlowSupport.terminated;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.DeadLetter;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.ItemEvent;
import org.tessera.contracts.ItemStarted;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.RunState;
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Workers;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class RunFlowTest {

    @Test
    void theApiAdmitsItsRunWithoutKafkaAndTheDispatcherSendsOneJobPerItem() {
        String user = freshUser();
        UUID runId = submit(user, testRun(3));

        assertThat(awaitRunState(runId, RunState.RECEIVED).payload().previousState())
                .isNull();
        Envelope<RunStateChanged> scheduled = awaitRunState(runId, RunState.SCHEDULED);
        assertThat(scheduled.payload().previousState()).isEqualTo(RunState.RECEIVED);
        assertThat(scheduled.payload().statistics().pending()).isEqualTo(3);

        Map<String, UUID> items = itemIds(user, runId);
        List<Envelope<SlideJob>> jobs = KafkaProbe.awaitEnvelopes(
                Topics.SLIDE_JOBS, SlideJob.class, e -> e.runId().equals(runId), 3);
        assertThat(jobs).hasSize(3);
        assertThat(jobs).allSatisfy(job -> {
            assertThat(job.payload().attempt()).isEqualTo(1);
            assertThat(job.payload().applicationId()).isEqualTo("test-app");
            assertThat(job.payload().applicationVersion()).isEqualTo("1.1.0");
            assertThat(job.payload().organizationId()).isEqualTo("demo");
            assertThat(job.payload().outputPrefix()).isEqualTo("outputs/" + runId + "/" + job.itemId() + "/");
            assertThat(job.payload().inputArtifacts()).singleElement().satisfies(input -> {
                assertThat(input.name()).isEqualTo("whole_slide_image");
                assertThat(input.metadata().get("width_px").asInt()).isEqualTo(40_000);
            });
            assertThat(items.get(job.payload().externalId())).isEqualTo(job.itemId());
        });
        // Slide jobs are keyed by item id.
        assertThat(KafkaProbe.records(Topics.SLIDE_JOBS).stream()
                        .filter(r -> items.containsValue(UUID.fromString(r.key())))
                        .count())
                .isEqualTo(3);
        // Admitted by its organization's line: no request of the run went through the topic other services use. The
        // relay publishes in order, so one written with the run would be there before the jobs.
        assertThat(KafkaProbe.records(Topics.RUN_REQUESTS))
                .noneMatch(r -> runId.toString().equals(r.key()));
    }

    @Test
    void itemEventsDriveTheRunToCompleted() {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIds(user, runId);
        UUID first = items.get("slide-0");
        UUID second = items.get("slide-1");

        Workers.started(runId, first, 1);
        Workers.progress(runId, first, 1, 10, 100);
        JsonPath processing = awaitRun(user, runId, run -> "PROCESSING".equals(run.getString("state")));
        assertThat(processing.getInt("statistics.item_processing_count")).isEqualTo(1);
        assertThat(processing.getString("output")).isEqualTo("NONE");
        JsonPath running = awaitItem(user, runId, "slide-0", i -> i.get("progress") != null);
        assertThat(running.getLong("progress.tiles_done")).isEqualTo(10);
        assertThat(running.getLong("progress.tiles_total")).isEqualTo(100);
        assertThat(awaitItem(user, runId, "slide-1", i -> true).getString("progress"))
                .isNull();

        Workers.succeeded(runId, first);
        JsonPath partial = awaitRun(user, runId, run -> run.getInt("statistics.item_succeeded_count") == 1);
        assertThat(partial.getString("state")).isEqualTo("PROCESSING");
        assertThat(partial.getString("output")).isEqualTo("PARTIAL");

        Workers.started(runId, second, 1);
        Workers.succeeded(runId, second);
        JsonPath done = awaitRun(user, runId, terminated());
        assertThat(done.getString("termination_reason")).isEqualTo("ALL_ITEMS_PROCESSED");
        assertThat(done.getString("output")).isEqualTo("FULL");
        assertThat(done.getInt("statistics.item_succeeded_count")).isEqualTo(2);
        assertThat(done.getString("terminated_at")).isNotNull();

        Envelope<RunStateChanged> completed = awaitRunState(runId, RunState.COMPLETED);
        assertThat(completed.payload().statistics().succeeded()).isEqualTo(2);
        awaitRunState(runId, RunState.RUNNING);

        JsonPath item = awaitItem(user, runId, "slide-0", i -> true);
        assertThat(item.getString("state")).isEqualTo("TERMINATED");
        assertThat(item.getString("termination_reason")).isEqualTo("SUCCEEDED");
        assertThat(item.getString("output")).isEqualTo("FULL");
        assertThat(item.getString("output_artifacts[0].name")).isEqualTo("tissue_qc:geojson_polygons");
        assertThat(item.getString("output_artifacts[0].output")).isEqualTo("AVAILABLE");
        assertThat(item.getString("output_artifacts[0].state")).isEqualTo("TERMINATED");
        assertThat(item.getString("output_artifacts[0].metadata.media_type")).isEqualTo("application/geo+json");
        assertThat(item.getString("output_artifacts[0].metadata.checksum_base64_crc32c"))
                .isEqualTo(Crc32c.base64Of("{}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void failedItemsEndTheRunCompletedWithErrorAndTheirCodesShow() {
        String user = freshUser();
        UUID runId = submit(user, testRun(3));
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIds(user, runId);

        Workers.succeeded(runId, items.get("slide-0"));
        Workers.userError(runId, items.get("slide-1"));
        Workers.systemError(runId, items.get("slide-2"));

        JsonPath done = awaitRun(user, runId, terminated());
        assertThat(done.getString("termination_reason")).isEqualTo("ALL_ITEMS_PROCESSED");
        assertThat(done.getString("output")).isEqualTo("PARTIAL");
        assertThat(done.getMap("statistics"))
                .containsEntry("item_count", 3)
                .containsEntry("item_succeeded_count", 1)
                .containsEntry("item_user_error_count", 1)
                .containsEntry("item_system_error_count", 1)
                .containsEntry("item_pending_count", 0)
                .containsEntry("item_processing_count", 0)
                .containsEntry("item_skipped_count", 0);
        awaitRunState(runId, RunState.COMPLETED_WITH_ERROR);

        JsonPath bad = awaitItem(user, runId, "slide-1", i -> true);
        assertThat(bad.getString("termination_reason")).isEqualTo("USER_ERROR");
        assertThat(bad.getString("error_code")).isEqualTo(ErrorCodes.INPUT_UNREADABLE);
        assertThat(bad.getString("error_message")).contains("slide-1.tiff");
        assertThat(bad.getList("output_artifacts")).isEmpty();

        as(user).queryParam("termination_reason", "USER_ERROR")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(200)
                .body("external_id", org.hamcrest.Matchers.contains("slide-1"));
    }

    @Test
    void aRunWhereNothingSucceededHasNoOutput() {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        awaitRunState(runId, RunState.SCHEDULED);
        Workers.userError(runId, itemIds(user, runId).get("slide-0"));

        JsonPath done = awaitRun(user, runId, terminated());
        assertThat(done.getString("output")).isEqualTo("NONE");
        assertThat(done.getString("termination_reason")).isEqualTo("ALL_ITEMS_PROCESSED");
    }

    @Test
    void duplicateLateAndReorderedEventsChangeNothing() {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIds(user, runId);
        UUID item = items.get("slide-0");

        // The result overtakes the start; the start, a failure and a redelivery of the result arrive late.
        Envelope<ItemEvent> success = Workers.envelope(
                runId,
                item,
                new org.tessera.contracts.ItemSucceeded(
                        1,
                        Workers.WORKER,
                        List.of(Workers.output(runId, item, "tissue_qc:geojson_polygons", "{}".getBytes()))));
        Workers.send(success);
        Workers.started(runId, item, 1);
        Workers.userError(runId, item);
        Workers.send(success);
        Envelope<ItemEvent> start = Workers.envelope(runId, items.get("slide-1"), new ItemStarted(1, Workers.WORKER));
        Workers.send(start);
        Workers.send(start);
        // Item events of one run share a partition, so once this last one shows, all above were applied.
        Workers.progress(runId, items.get("slide-1"), 1, 7, 9);

        JsonPath run = awaitRun(user, runId, r -> r.getInt("statistics.item_processing_count") == 1);
        assertThat(run.getInt("statistics.item_succeeded_count")).isEqualTo(1);
        assertThat(run.getInt("statistics.item_user_error_count")).isZero();
        assertThat(run.getInt("statistics.item_pending_count")).isZero();
        JsonPath first = awaitItem(user, runId, "slide-0", i -> true);
        assertThat(first.getString("termination_reason")).isEqualTo("SUCCEEDED");
        assertThat(first.getString("error_code")).isNull();
        assertThat(first.getList("output_artifacts")).hasSize(1);
        // One RUNNING announcement, however many starts arrived.
        assertThat(KafkaProbe.awaitEnvelopes(
                        Topics.RUN_EVENTS,
                        RunStateChanged.class,
                        e -> e.runId().equals(runId) && e.payload().state() == RunState.RUNNING,
                        1))
                .hasSize(1);
    }

    @Test
    void unreadableRecordsLandOnTheDeadLetterTopicWithTheReason() {
        String key = "garbage-" + UUID.randomUUID();
        KafkaProbe.send(Topics.ITEM_EVENTS, key, "{not json".getBytes(StandardCharsets.UTF_8));
        KafkaProbe.send(Topics.RUN_REQUESTS, key, "{\"type\":\"run.requested\"}".getBytes(StandardCharsets.UTF_8));
        UUID strangerRun = UUID.randomUUID();
        Workers.started(strangerRun, UUID.randomUUID(), 1);

        var fromItems = KafkaProbe.awaitEnvelopes(
                Topics.DEAD_LETTERS,
                DeadLetter.class,
                e -> e.payload().sourceTopic().equals(Topics.ITEM_EVENTS)
                        && "{not json".equals(e.payload().originalValue()),
                1);
        assertThat(fromItems.getFirst().payload().reason()).contains("unreadable item event");
        assertThat(fromItems.getFirst().payload().consumer()).isEqualTo("tessera-orchestrator-items");
        var fromRequests = KafkaProbe.awaitEnvelopes(
                Topics.DEAD_LETTERS,
                DeadLetter.class,
                e -> e.payload().sourceTopic().equals(Topics.RUN_REQUESTS)
                        && "{\"type\":\"run.requested\"}".equals(e.payload().originalValue()),
                1);
        assertThat(fromRequests.getFirst().payload().reason()).contains("unreadable run request");
        var unknownItem = KafkaProbe.awaitEnvelopes(
                Topics.DEAD_LETTERS, DeadLetter.class, e -> e.runId().equals(strangerRun), 1);
        assertThat(unknownItem.getFirst().payload().reason()).contains("unknown item");
        // The dead letter keeps the original record's key.
        assertThat(KafkaProbe.records(Topics.DEAD_LETTERS).stream().filter(r -> key.equals(r.key())))
                .hasSize(2);
    }

    @Test
    void aReportThatCannotBeStoredIsDeadLetteredWithoutHoldingUpTheOthers() {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIds(user, runId);
        OutputArtifact broken = new OutputArtifact("tissue_qc:geojson_polygons", null, "application/geo+json", 2, null);

        Workers.succeeded(runId, items.get("slide-0"), 1, List.of(broken));
        Workers.succeeded(runId, items.get("slide-1"));

        awaitItem(user, runId, "slide-1", i -> "TERMINATED".equals(i.getString("state")));
        assertThat(awaitItem(user, runId, "slide-0", i -> true).getString("state"))
                .isEqualTo("PENDING");
        var letter = KafkaProbe.awaitEnvelopes(
                        Topics.DEAD_LETTERS,
                        DeadLetter.class,
                        e -> e.runId().equals(runId)
                                && e.payload().sourceTopic().equals(Topics.ITEM_EVENTS),
                        1)
                .getFirst();
        assertThat(letter.payload().reason()).contains("incomplete output artifact");
    }

    @Test
    void cancellingSkipsOpenItemsAndASecondCancelConflicts() {
        String user = freshUser();
        UUID runId = submit(user, testRun(3));
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIds(user, runId);
        Workers.succeeded(runId, items.get("slide-0"));
        Workers.started(runId, items.get("slide-1"), 1);
        awaitRun(user, runId, r -> r.getInt("statistics.item_processing_count") == 1);

        as(user).post("/api/v1/runs/{id}/cancel", runId).then().statusCode(202);

        JsonPath run = as(user).get("/api/v1/runs/{id}", runId).then().extract().jsonPath();
        assertThat(run.getString("state")).isEqualTo("TERMINATED");
        assertThat(run.getString("termination_reason")).isEqualTo("CANCELED_BY_USER");
        assertThat(run.getString("output")).isEqualTo("PARTIAL");
        assertThat(run.getInt("statistics.item_skipped_count")).isEqualTo(2);
        assertThat(run.getInt("statistics.item_succeeded_count")).isEqualTo(1);
        as(user).queryParam("state", "TERMINATED")
                .queryParam("termination_reason", "SKIPPED")
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(200)
                .body("external_id", org.hamcrest.Matchers.containsInAnyOrder("slide-1", "slide-2"))
                .body("error_message[0]", org.hamcrest.Matchers.containsString("cancelled by the user"));
        assertThat(awaitRunState(runId, RunState.CANCELLED_BY_USER)
                        .payload()
                        .statistics()
                        .skipped())
                .isEqualTo(2);

        as(user).post("/api/v1/runs/{id}/cancel", runId).then().statusCode(409);

        // A worker still finishing a skipped item changes nothing.
        Workers.succeeded(runId, items.get("slide-1"));
        Workers.progress(runId, items.get("slide-2"), 1, 1, 2);
        awaitItem(user, runId, "slide-2", i -> true);
        JsonPath after =
                as(user).get("/api/v1/runs/{id}", runId).then().extract().jsonPath();
        assertThat(after.getInt("statistics.item_skipped_count")).isEqualTo(2);
        assertThat(after.getString("termination_reason")).isEqualTo("CANCELED_BY_USER");
    }

    @Test
    void anotherUsersRunIsNotFound() {
        String owner = freshUser();
        String stranger = freshUser();
        UUID runId = submit(owner, testRun(1));
        UUID artifact = UUID.randomUUID();

        as(stranger).get("/api/v1/runs/{id}", runId).then().statusCode(404);
        as(stranger).get("/api/v1/runs/{id}/items", runId).then().statusCode(404);
        as(stranger).get("/api/v1/runs/{id}/items/slide-0", runId).then().statusCode(404);
        as(stranger).post("/api/v1/runs/{id}/cancel", runId).then().statusCode(404);
        as(stranger).delete("/api/v1/runs/{id}/artifacts", runId).then().statusCode(404);
        as(stranger)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", runId, artifact)
                .then()
                .statusCode(404);
        as(stranger).get("/api/v1/runs").then().statusCode(200).body("$", org.hamcrest.Matchers.empty());
        as(owner).get("/api/v1/runs/{id}", runId).then().statusCode(200);
        as(owner).get("/api/v1/runs/not-a-uuid").then().statusCode(422).body("detail[0].loc[1]", equalTo("run_id"));
    }

    @Test
    void downloadsRedirectToAShortLivedSignedUrlUntilTheOutputsAreDeleted() throws Exception {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        awaitRunState(runId, RunState.SCHEDULED);
        UUID item = itemIds(user, runId).get("slide-0");
        byte[] geojson = "{\"type\":\"FeatureCollection\",\"features\":[]}".getBytes(StandardCharsets.UTF_8);
        OutputArtifact output = Workers.output(runId, item, "tissue_qc:geojson_polygons", geojson);
        ObjectStoreTestResource.store().write(output.objectKey(), new java.io.ByteArrayInputStream(geojson));

        as(user).delete("/api/v1/runs/{id}/artifacts", runId).then().statusCode(409);
        Workers.succeeded(runId, item, 1, List.of(output));
        JsonPath done = awaitItem(user, runId, "slide-0", i -> "TERMINATED".equals(i.getString("state")));
        String artifactId = done.getString("output_artifacts[0].output_artifact_id");
        String checksum = done.getString("output_artifacts[0].metadata.checksum_base64_crc32c");

        String location = as(user).redirects()
                .follow(false)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", runId, artifactId)
                .then()
                .statusCode(307)
                .extract()
                .header("Location");
        // Fetched like a client does: no Authorization header, the signature is the credential.
        HttpResponse<byte[]> file = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(location)).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(geojson);
        assertThat(Crc32c.base64Of(file.body())).isEqualTo(checksum);

        awaitRun(user, runId, terminated());
        as(user).delete("/api/v1/runs/{id}/artifacts", runId).then().statusCode(200);
        as(user).redirects()
                .follow(false)
                .get("/api/v1/runs/{id}/artifacts/{a}/file", runId, artifactId)
                .then()
                .statusCode(410);
        as(user).delete("/api/v1/runs/{id}/artifacts", runId).then().statusCode(410);
        assertThat(ObjectStoreTestResource.store().exists(output.objectKey())).isFalse();
        JsonPath deleted = awaitItem(user, runId, "slide-0", i -> true);
        assertThat(deleted.getString("output_artifacts[0].output")).isEqualTo("DELETED_BY_USER");
        assertThat(deleted.getString("output_artifacts[0].metadata")).isNull();
    }

    @Test
    void aMapsWidthHeightResolutionAndClassColoursFromTheWorkerAreServedMergedIntoItsMetadata() {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        awaitRunState(runId, RunState.SCHEDULED);
        UUID item = itemIds(user, runId).get("slide-0");
        byte[] tiff = new byte[] {'I', 'I', 42, 0, 8, 0, 0, 0};
        OutputArtifact plain = Workers.output(runId, item, "tissue_qc:segmentation_map_image", tiff);
        com.fasterxml.jackson.databind.node.ObjectNode described =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        described.put("width_px", 640).put("height_px", 480).put("resolution_mpp", 8.0);
        described.putObject("class_colors").putArray("tissue").add(44).add(160).add(44);
        // A worker cannot overrule what the platform states about the stored file.
        described.put("size_bytes", 1).put("media_type", "text/plain");
        // Keys the version's output metadata schema does not declare would make the served metadata invalid.
        described.put("colour_space", "sRGB");
        OutputArtifact map = new OutputArtifact(
                plain.name(), plain.objectKey(), "image/tiff", tiff.length, plain.checksumBase64Crc32c(), described);
        OutputArtifact csv = Workers.output(runId, item, "tissue_qc:csv_class_information", new byte[] {'a'});

        Workers.succeeded(runId, item, 1, List.of(map, csv));

        JsonPath done = awaitItem(user, runId, "slide-0", i -> "TERMINATED".equals(i.getString("state")));
        assertThat(done.getInt("output_artifacts[0].metadata.width_px")).isEqualTo(640);
        assertThat(done.getInt("output_artifacts[0].metadata.height_px")).isEqualTo(480);
        assertThat(done.getDouble("output_artifacts[0].metadata.resolution_mpp"))
                .isEqualTo(8.0);
        assertThat(done.getList("output_artifacts[0].metadata.class_colors.tissue", Integer.class))
                .containsExactly(44, 160, 44);
        assertThat(done.getLong("output_artifacts[0].metadata.size_bytes")).isEqualTo(tiff.length);
        assertThat(done.getString("output_artifacts[0].metadata.media_type")).isEqualTo("image/tiff");
        assertThat(done.getString("output_artifacts[0].metadata.checksum_base64_crc32c"))
                .isEqualTo(plain.checksumBase64Crc32c());
        assertThat(done.getMap("output_artifacts[0].metadata")).doesNotContainKey("colour_space");
        assertThat(done.getMap("output_artifacts[1].metadata"))
                .containsOnlyKeys("checksum_base64_crc32c", "media_type", "size_bytes");
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var schema = org.tessera.orchestrator.application.ApplicationCatalogue.load(mapper)
                .application("test-app")
                .flatMap(app -> app.version("1.0.0"))
                .flatMap(version -> version.outputArtifact("tissue_qc:segmentation_map_image"))
                .orElseThrow()
                .metadataSchema();
        assertThat(org.tessera.orchestrator.application.MetadataSchema.compile(schema)
                        .validate(mapper.valueToTree(done.getMap("output_artifacts[0].metadata"))))
                .as("served metadata against the version's output metadata schema")
                .isEmpty();
    }
}
