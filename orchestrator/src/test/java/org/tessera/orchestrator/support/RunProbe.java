package org.tessera.orchestrator.support;

import static org.awaitility.Awaitility.await;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.RunRequested;
import org.tessera.contracts.Topics;

/** Follows runs of any organization through the API and the database, and submits runs over Kafka. */
public final class RunProbe {

    private RunProbe() {}

    /** Polls {@code GET /v1/runs/{id}} as the run's submitter until the body satisfies the condition. */
    public static JsonPath awaitRun(String user, String organizationId, UUID runId, Predicate<JsonPath> condition) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    var response = Tenants.as(user, organizationId).get("/api/v1/runs/{id}", runId);
                    // A run put on Kafka is only readable once admission stored it.
                    if (response.statusCode() == 404) {
                        return false;
                    }
                    last[0] = response.then().statusCode(200).extract().jsonPath();
                    return condition.test(last[0]);
                });
        return last[0];
    }

    public static Predicate<JsonPath> terminated() {
        return run -> "TERMINATED".equals(run.getString("state"));
    }

    /** The run's lifecycle state as stored. */
    public static String state(UUID runId) {
        return (String) Tenants.rows("SELECT state FROM run WHERE run_id = ?", runId)
                .getFirst()
                .get("state");
    }

    /** Waits until the run's stored lifecycle state is the given one. */
    public static void awaitState(UUID runId, String state) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> !Tenants.rows("SELECT 1 FROM run WHERE run_id = ? AND state = ?", runId, state)
                        .isEmpty());
    }

    /** Held back by a parallel-run limit: the line considered the run and could not admit it. */
    public static boolean isWaiting(UUID runId) {
        return Tenants.number("SELECT count(*) FROM waiting_run WHERE run_id = ? AND held_at IS NOT NULL", runId) == 1;
    }

    /** External id to item id. */
    public static Map<String, UUID> itemIds(UUID runId) {
        Map<String, UUID> ids = new LinkedHashMap<>();
        for (Map<String, Object> row :
                Tenants.rows("SELECT external_id, item_id FROM item WHERE run_id = ? ORDER BY position", runId)) {
            ids.put((String) row.get("external_id"), (UUID) row.get("item_id"));
        }
        return ids;
    }

    /** Puts a run request on Kafka the way another service would: a fresh run id, {@code items} test-app slides. */
    public static UUID requestOverKafka(String user, String organizationId, int items) {
        UUID runId = UUID.randomUUID();
        List<RunRequested.Item> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            var metadata = ContractsJson.mapper().createObjectNode();
            metadata.put("checksum_base64_crc32c", "AAAAAA==");
            metadata.put("width_px", 1000);
            metadata.put("height_px", 800);
            metadata.put("resolution_mpp", 0.5);
            list.add(new RunRequested.Item(
                    UUID.randomUUID(),
                    "ext-" + i,
                    null,
                    List.of(new InputArtifact(
                            "whole_slide_image", "https://slides.example.org/" + i + ".tiff", metadata))));
        }
        RunRequested payload = new RunRequested("test-app", null, organizationId, user, null, list);
        KafkaProbe.send(
                Topics.RUN_REQUESTS,
                runId.toString(),
                Envelope.of(UUID.randomUUID(), Instant.now(), runId, null, payload));
        return runId;
    }
}
