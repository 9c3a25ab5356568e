package org.tessera.orchestrator.flow;

import static org.awaitility.Awaitility.await;
import static org.tessera.orchestrator.support.TestApi.as;

import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.RunState;
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.support.KafkaProbe;

/** Waiting for the asynchronous parts of a run's life, by what is visible on Kafka and through the API. */
final class FlowSupport {

    private FlowSupport() {}

    /** The run's state change to {@code state}, as published on the run-events topic. */
    static Envelope<RunStateChanged> awaitRunState(UUID runId, RunState state) {
        return KafkaProbe.awaitEnvelopes(
                        Topics.RUN_EVENTS,
                        RunStateChanged.class,
                        e -> e.runId().equals(runId) && e.payload().state() == state,
                        1)
                .getFirst();
    }

    /** External id to item id, from the API. */
    static Map<String, UUID> itemIds(String user, UUID runId) {
        JsonPath items = as(user).queryParam("page_size", 100)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        Map<String, UUID> ids = new LinkedHashMap<>();
        List<String> externalIds = items.getList("external_id", String.class);
        List<String> itemIds = items.getList("item_id", String.class);
        for (int i = 0; i < externalIds.size(); i++) {
            ids.put(externalIds.get(i), UUID.fromString(itemIds.get(i)));
        }
        return ids;
    }

    /** Polls {@code GET /v1/runs/{id}} until the body satisfies the condition, and returns it. */
    static JsonPath awaitRun(String user, UUID runId, Predicate<JsonPath> condition) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    var response = as(user).get("/api/v1/runs/{id}", runId);
                    // A run put on Kafka is only readable once admission stored it.
                    if (response.statusCode() == 404) {
                        return false;
                    }
                    last[0] = response.then().statusCode(200).extract().jsonPath();
                    return condition.test(last[0]);
                });
        return last[0];
    }

    static JsonPath awaitItem(String user, UUID runId, String externalId, Predicate<JsonPath> condition) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    last[0] = as(user).get("/api/v1/runs/{id}/items/{external}", runId, externalId)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    return condition.test(last[0]);
                });
        return last[0];
    }

    static Predicate<JsonPath> terminated() {
        return run -> "TERMINATED".equals(run.getString("state"));
    }
}
