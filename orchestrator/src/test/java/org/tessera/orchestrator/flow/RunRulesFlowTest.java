package org.tessera.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.flow.FlowSupport.awaitItem;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRun;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRunState;
import static org.tessera.orchestrator.flow.FlowSupport.itemIds;
import static org.tessera.orchestrator.flow.FlowSupport.terminated;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ContractsJson;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.InputArtifact;
import org.tessera.contracts.RunRequested;
import org.tessera.contracts.RunState;
import org.tessera.contracts.RunStateChanged;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.run.rules.DeadlineWatchdog;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.support.Workers;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** The run rules of docs/organizations.md: error threshold, scheduling (due date, deadline) and callback context. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class RunRulesFlowTest {

    @Inject
    DeadlineWatchdog deadlines;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void byDefaultTheEleventhFailedItemCancelsTheRunSkipsItsOpenItemsAndKeepsItsResults() {
        // 14 items: max(10, ceil(25 % of 14)) = 10 failures are tolerated, the 11th cancels the run.
        String user = freshUser();
        UUID runId = submit(user, testRun(14));
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIds(user, runId);
        Workers.succeeded(runId, items.get("slide-0"));
        Workers.started(runId, items.get("slide-12"), 1);
        for (int i = 1; i <= 10; i++) {
            Workers.userError(runId, items.get("slide-" + i));
        }
        JsonPath tolerated = awaitRun(user, runId, r -> r.getInt("statistics.item_user_error_count") == 10);
        assertThat(tolerated.getString("state")).isEqualTo("PROCESSING");

        Workers.systemError(runId, items.get("slide-11"));

        JsonPath run = awaitRun(user, runId, terminated());
        assertThat(run.getString("termination_reason")).isEqualTo("CANCELED_BY_SYSTEM");
        assertThat(run.getString("error_code")).isEqualTo("SCHEDULER.ITEMS_WITH_ERROR_THRESHOLD_REACHED");
        assertThat(run.getString("error_message")).contains("more than 10 items");
        assertThat(run.getString("output")).isEqualTo("PARTIAL");
        assertThat(run.getMap("statistics"))
                .containsEntry("item_succeeded_count", 1)
                .containsEntry("item_user_error_count", 10)
                .containsEntry("item_system_error_count", 1)
                .containsEntry("item_skipped_count", 2)
                .containsEntry("item_pending_count", 0)
                .containsEntry("item_processing_count", 0);
        // The processing item is skipped too: the run's end is final at once.
        JsonPath processing = awaitItem(user, runId, "slide-12", i -> true);
        assertThat(processing.getString("termination_reason")).isEqualTo("SKIPPED");
        assertThat(processing.getString("error_message")).contains("threshold of 10 items");
        assertThat(awaitItem(user, runId, "slide-13", i -> true).getString("termination_reason"))
                .isEqualTo("SKIPPED");
        assertThat(awaitRunState(runId, RunState.CANCELLED_BY_SYSTEM).payload().errorCode())
                .isEqualTo(ErrorCodes.SCHEDULER_ITEMS_WITH_ERROR_THRESHOLD_REACHED);
        assertProcessedItemStaysDownloadable(() -> as(user), runId, "slide-0");
    }

    @Test
    void anOrganizationsOverrideAppliesToItsRunsAndIsReadBackByItsAdmins() {
        String org = Organizations.create("rules");
        String admin = Organizations.user(org, Role.ADMIN);
        String member = Organizations.user(org, Role.MEMBER);
        Organizations.asOperator()
                .body(Map.of("min_failed_items", 1, "max_failed_percent", 20))
                .put("/api/admin/v1/organizations/{org}/run-rules", org)
                .then()
                .statusCode(200)
                .body("organization_id", equalTo(org))
                .body("min_failed_items", equalTo(1))
                .body("max_failed_percent", equalTo(20));
        Organizations.as(admin, org)
                .get("/api/admin/v1/organizations/{org}/run-rules", org)
                .then()
                .statusCode(200)
                .body("min_failed_items", equalTo(1))
                .body("max_failed_percent", equalTo(20));

        // 5 items: max(1, ceil(20 % of 5)) = 1 failure is tolerated, the second cancels the run.
        UUID runId = Organizations.submit(member, org, testRun(5));
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIdsOf(member, org, runId);
        Workers.userError(runId, items.get("slide-0"));
        Workers.progress(runId, items.get("slide-2"), 1, 1, 10);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> runOf(member, org, runId).getInt("statistics.item_processing_count") == 1);
        assertThat(runOf(member, org, runId).getString("state")).isEqualTo("PROCESSING");
        Workers.systemError(runId, items.get("slide-1"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "TERMINATED".equals(runOf(member, org, runId).getString("state")));
        JsonPath run = runOf(member, org, runId);
        assertThat(run.getString("error_code")).isEqualTo("SCHEDULER.ITEMS_WITH_ERROR_THRESHOLD_REACHED");
        assertThat(run.getString("error_message")).contains("more than 1 items");
        assertThat(run.getInt("statistics.item_skipped_count")).isEqualTo(3);
        assertThat(run.getString("output")).isEqualTo("NONE");

        // Resetting a part falls back to the application version's value.
        Organizations.asOperator()
                .body(Map.of("max_failed_percent", 100))
                .put("/api/admin/v1/organizations/{org}/run-rules", org)
                .then()
                .statusCode(200)
                .body("min_failed_items", nullValue())
                .body("max_failed_percent", equalTo(100));
    }

    @Test
    void onlySuperAdminsSetRunRulesAndBadValuesAreNamed() {
        String org = Organizations.create("rules");
        String admin = Organizations.user(org, Role.ADMIN);
        String member = Organizations.user(org, Role.MEMBER);
        String otherOrg = Organizations.create("rules");
        String otherAdmin = Organizations.user(otherOrg, Role.ADMIN);
        String path = "/api/admin/v1/organizations/{org}/run-rules";

        Organizations.as(admin, org)
                .body(Map.of("min_failed_items", 100))
                .put(path, org)
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        Organizations.as(member, org)
                .get(path, org)
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        Organizations.as(otherAdmin, otherOrg)
                .get(path, org)
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        Organizations.asOperator()
                .body(Map.of("min_failed_items", -1, "max_failed_percent", 101, "max_failed_items", 3))
                .put(path, org)
                .then()
                .statusCode(422)
                .body(
                        "detail.loc",
                        contains(
                                List.of("body", "max_failed_items"),
                                List.of("body", "min_failed_items"),
                                List.of("body", "max_failed_percent")))
                .body("detail.type", contains("extra_forbidden", "greater_than_equal", "less_than_equal"));
        Organizations.asOperator()
                .body("{\"min_failed_items\": \"ten\"}")
                .put(path, org)
                .then()
                .statusCode(422)
                .body("detail[0].msg", containsString("min_failed_items"))
                .body("detail[0].type", equalTo("int_type"));
        Organizations.asOperator()
                .body(Map.of("min_failed_items", 1))
                .put(path, "no-such-organization")
                .then()
                .statusCode(404)
                .body("code", equalTo("RESOURCE.NOT_FOUND"));
        Organizations.asOperator()
                .get(path, org)
                .then()
                .statusCode(200)
                .body("min_failed_items", nullValue())
                .body("max_failed_percent", nullValue());
    }

    @Test
    void schedulingAndCallbackContextAreStoredReturnedAndCarriedOnEveryStateChange() {
        String user = freshUser();
        Instant due = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant deadline = due.plus(6, ChronoUnit.HOURS);
        Map<String, Object> body = new LinkedHashMap<>(testRun(1));
        body.put("scheduling", Map.of("due_date", due.toString(), "deadline", deadline.toString()));
        body.put("callback_context", "{\"lims\":{\"order\":\"A-1\"},\"weight\":1.50}");
        String json = jsonWith(body);

        String id = as(user).body(json)
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("run_id");
        UUID runId = UUID.fromString(id);

        JsonPath run = as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(Instant.parse(run.getString("scheduling.due_date"))).isEqualTo(due);
        assertThat(Instant.parse(run.getString("scheduling.deadline"))).isEqualTo(deadline);

        awaitRunState(runId, RunState.SCHEDULED);
        UUID item = itemIds(user, runId).get("slide-0");
        Workers.started(runId, item, 1);
        Workers.succeeded(runId, item);
        awaitRunState(runId, RunState.COMPLETED);
        List<Envelope<RunStateChanged>> changes = KafkaProbe.awaitEnvelopes(
                Topics.RUN_EVENTS, RunStateChanged.class, e -> e.runId().equals(runId), 4);
        assertThat(changes)
                .extracting(e -> e.payload().state())
                .containsExactlyInAnyOrder(RunState.RECEIVED, RunState.SCHEDULED, RunState.RUNNING, RunState.COMPLETED);
        assertThat(changes).allSatisfy(change -> {
            assertThat(change.payload().callbackContext().at("/lims/order").asText())
                    .isEqualTo("A-1");
            // Verbatim: 1.50 stays 1.50.
            assertThat(change.payload().callbackContext().get("weight").toString())
                    .isEqualTo("1.50");
        });
        as(user).get("/api/v1/runs/{id}", runId)
                .then()
                .body("num_preceding_items_org", nullValue())
                .body("num_preceding_items_platform", nullValue());
    }

    @Test
    void aRunWithoutSchedulingHasNoneAndNoCallbackContextOnItsEvents() {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));

        as(user).get("/api/v1/runs/{id}", runId).then().statusCode(200).body("scheduling", nullValue());
        assertThat(awaitRunState(runId, RunState.SCHEDULED).payload().callbackContext())
                .isNull();
    }

    @Test
    void badSchedulingAndAnOversizedCallbackContextAreRefusedNamingTheField() {
        String user = freshUser();
        Instant now = Instant.now();
        Map<String, Object> passed = new LinkedHashMap<>(testRun(1));
        passed.put("scheduling", Map.of("deadline", now.minusSeconds(60).toString()));
        Map<String, Object> inverted = new LinkedHashMap<>(testRun(1));
        inverted.put(
                "scheduling",
                Map.of(
                        "due_date",
                        now.plus(2, ChronoUnit.DAYS).toString(),
                        "deadline",
                        now.plus(1, ChronoUnit.DAYS).toString()));
        Map<String, Object> large = new LinkedHashMap<>(testRun(1));
        large.put("callback_context", Map.of("note", "x".repeat(1100)));
        Map<String, Object> notADate = new LinkedHashMap<>(testRun(1));
        notADate.put("scheduling", Map.of("due_date", "next week"));

        as(user).body(passed)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "scheduling", "deadline"))
                .body("detail[0].type", equalTo("datetime_future"));
        as(user).body(inverted)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "scheduling", "due_date"))
                .body("detail[0].msg", containsString("scheduling.deadline"));
        as(user).body(large)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "callback_context"))
                .body("detail[0].msg", containsString("1024 bytes"));
        as(user).body(notADate)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "scheduling", "due_date"))
                .body("detail[0].type", equalTo("datetime_parsing"));
        as(user).get("/api/v1/runs").then().statusCode(200).body("$", empty());
    }

    @Test
    void aRunStillOpenAtItsDeadlineIsCancelledBySystemAndKeepsWhatWasProcessed() throws SQLException {
        String user = freshUser();
        Map<String, Object> body = new LinkedHashMap<>(testRun(3));
        body.put(
                "scheduling",
                Map.of("deadline", Instant.now().plus(1, ChronoUnit.HOURS).toString()));
        body.put("callback_context", Map.of("order", "D-1"));
        UUID runId = submit(user, body);
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIds(user, runId);
        Workers.succeeded(runId, items.get("slide-0"));
        Workers.started(runId, items.get("slide-1"), 1);
        awaitRun(user, runId, r -> r.getInt("statistics.item_processing_count") == 1);
        assertThat(deadlines.cancelOverdueRuns()).as("nothing is overdue yet").isZero();

        deadlinePasses(runId);
        deadlines.cancelOverdueRuns();

        JsonPath run = awaitRun(user, runId, terminated());
        assertThat(run.getString("termination_reason")).isEqualTo("CANCELED_BY_SYSTEM");
        assertThat(run.getString("error_code")).isEqualTo("SCHEDULER.DEADLINE_EXCEEDED");
        assertThat(run.getString("error_message")).contains("deadline");
        assertThat(run.getInt("statistics.item_skipped_count")).isEqualTo(2);
        assertThat(run.getInt("statistics.item_succeeded_count")).isEqualTo(1);
        Envelope<RunStateChanged> cancelled = awaitRunState(runId, RunState.CANCELLED_BY_SYSTEM);
        assertThat(cancelled.payload().errorCode()).isEqualTo(ErrorCodes.SCHEDULER_DEADLINE_EXCEEDED);
        assertThat(cancelled.payload().callbackContext().get("order").asText()).isEqualTo("D-1");
        assertProcessedItemStaysDownloadable(() -> as(user), runId, "slide-0");
        // Once cancelled it is no longer overdue: a second round finds nothing to do for it.
        deadlines.cancelOverdueRuns();
        assertThat(KafkaProbe.awaitEnvelopes(
                        Topics.RUN_EVENTS,
                        RunStateChanged.class,
                        e -> e.runId().equals(runId) && e.payload().state() == RunState.CANCELLED_BY_SYSTEM,
                        1))
                .hasSize(1);
    }

    @Test
    void aRunRequestFromAnotherServiceKeepsItsSchedulingAndCallbackContextAndIsRejectedWhenTheyAreInconsistent() {
        String user = freshUser();
        Instant due = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant deadline = due.plus(1, ChronoUnit.DAYS);
        ObjectNode context = ContractsJson.mapper().createObjectNode().put("ticket", "K-9");
        UUID accepted = UUID.randomUUID();
        UUID inverted = UUID.randomUUID();

        sendRequest(accepted, user, new RunRequested.Scheduling(due, deadline), context);
        sendRequest(inverted, user, new RunRequested.Scheduling(deadline, due), context);

        Envelope<RunStateChanged> scheduled = awaitRunState(accepted, RunState.SCHEDULED);
        assertThat(scheduled.payload().callbackContext()).isEqualTo(context);
        JsonPath run = as(user).get("/api/v1/runs/{id}", accepted)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(Instant.parse(run.getString("scheduling.due_date"))).isEqualTo(due);
        assertThat(Instant.parse(run.getString("scheduling.deadline"))).isEqualTo(deadline);
        Envelope<RunStateChanged> rejected = awaitRunState(inverted, RunState.REJECTED);
        assertThat(rejected.payload().errorCode()).isEqualTo(ErrorCodes.RUN_REJECTED_INVALID_REQUEST);
        assertThat(rejected.payload().errorMessage()).contains("scheduling.due_date");
        assertThat(rejected.payload().callbackContext()).isEqualTo(context);
    }

    private static void sendRequest(
            UUID runId, String user, RunRequested.Scheduling scheduling, ObjectNode callbackContext) {
        ObjectNode metadata = ContractsJson.mapper().createObjectNode();
        TestApi.slideMetadata().forEach((key, value) -> metadata.putPOJO(key, value));
        RunRequested request = new RunRequested(
                "test-app",
                null,
                TestApi.ORG,
                user,
                null,
                List.of(new RunRequested.Item(
                        UUID.randomUUID(),
                        "slide-0",
                        null,
                        List.of(new InputArtifact(
                                "whole_slide_image", "https://slides.example.org/a.tiff", metadata)))),
                scheduling,
                callbackContext);
        KafkaProbe.send(
                Topics.RUN_REQUESTS,
                runId.toString(),
                Envelope.of(UUID.randomUUID(), Instant.now(), runId, null, request));
    }

    private void deadlinePasses(UUID runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("UPDATE run SET deadline = now() - interval '1 second' WHERE run_id = ?")) {
            ps.setObject(1, runId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static void assertProcessedItemStaysDownloadable(
            Supplier<RequestSpecification> as, UUID runId, String externalId) {
        JsonPath item = as.get()
                .get("/api/v1/runs/{id}/items/{ext}", runId, externalId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(item.getString("termination_reason")).isEqualTo("SUCCEEDED");
        assertThat(item.getString("output_artifacts[0].output")).isEqualTo("AVAILABLE");
        as.get()
                .redirects()
                .follow(false)
                .get(
                        "/api/v1/runs/{id}/artifacts/{a}/file",
                        runId,
                        item.getString("output_artifacts[0].output_artifact_id"))
                .then()
                .statusCode(307);
    }

    private static JsonPath runOf(String user, String org, UUID runId) {
        return Organizations.as(user, org)
                .get("/api/v1/runs/{id}", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static Map<String, UUID> itemIdsOf(String user, String org, UUID runId) {
        JsonPath items = Organizations.as(user, org)
                .queryParam("page_size", 100)
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

    /** The body as JSON text, with {@code callback_context} inserted as raw JSON (so 1.50 is sent as written). */
    private static String jsonWith(Map<String, Object> body) {
        Map<String, Object> rest = new LinkedHashMap<>(body);
        Object callback = rest.remove("callback_context");
        try {
            String text = new ObjectMapper().writeValueAsString(rest);
            return text.substring(0, text.length() - 1) + ",\"callback_context\":" + callback + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
