package org.tessera.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tessera.orchestrator.support.TestApi.as;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.tessera.orchestrator.support.FinishedRuns;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.OpenApiSpec;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/**
 * Every operation of the Aignostics Platform API 1.8.0 document is served: each is called at least once with valid
 * input, the request body is checked against the document's schema before it is sent, and the answer must be a status
 * the document lists for the operation, with a body that satisfies the document's schema for that status. The version
 * documents are served by another part of the platform; until they are, those operations are reported as skipped (and
 * only when the server does not know the route at all).
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class ApiCompletenessTest {

    private static final OpenApiSpec SPEC = OpenApiSpec.load();

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** One call of an operation: what was sent, what came back, and which status means success. */
    private record Exchange(String requestBody, Response response, int expectedStatus, boolean expectsItems) {}

    @Test
    void everyOperationOfTheDocumentHasACall() {
        assertThat(SPEC.version()).isEqualTo("1.8.0");
        Map<String, Supplier<Exchange>> calls = calls(new Fixture(null, null, null, null, null, null, null));
        assertThat(calls.keySet())
                .containsExactlyInAnyOrderElementsOf(SPEC.operations().stream()
                        .map(OpenApiSpec.Operation::operationId)
                        .toList());
    }

    @TestFactory
    Stream<DynamicTest> everyOperationAnswersAsTheDocumentSays() {
        String owner = freshUser();
        String colleague = freshUser();
        FinishedRuns.Finished finished = FinishedRuns.withOneOutput(owner);
        UUID open = submit(owner, testRun(1));
        String grantId = as(owner)
                .body(Map.of(
                        "resource_type", "run",
                        "resource_id", finished.runId().toString(),
                        "subject_type", "user",
                        "subject_id", colleague,
                        "relation", "viewer"))
                .post("/api/v1/access/grants")
                .then()
                .statusCode(201)
                .extract()
                .path("grant_id");
        String shareTokenId = as(owner)
                .body(Map.of())
                .post("/api/v1/access/share-tokens")
                .then()
                .statusCode(201)
                .extract()
                .path("share_token_id");
        String version = as(owner)
                .get("/api/v1/applications/test-app")
                .then()
                .statusCode(200)
                .extract()
                .path("versions[0].number");
        Fixture fixture = new Fixture(owner, finished, open, grantId, shareTokenId, version, new String[1]);
        Map<String, Supplier<Exchange>> calls = calls(fixture);
        return SPEC.operations().stream()
                .map(operation -> DynamicTest.dynamicTest(
                        operation.toString(), () -> check(operation, calls.get(operation.operationId()))));
    }

    /**
     * @param documentName the name of a version document, once the list has shown one
     */
    private record Fixture(
            String owner,
            FinishedRuns.Finished finished,
            UUID openRun,
            String grantId,
            String shareTokenId,
            String version,
            String[] documentName) {}

    private static void check(OpenApiSpec.Operation operation, Supplier<Exchange> call) throws Exception {
        assertThat(call).as("a call for " + operation).isNotNull();
        Exchange exchange = call.get();
        Response response = exchange.response();
        int status = response.statusCode();
        if (operation.path().contains("/documents") && notServed(response)) {
            Assumptions.abort(operation + " is not served yet (" + status + " without an API error code)");
        }
        if (exchange.requestBody() != null) {
            JsonNode schema = SPEC.requestSchema(operation).orElseThrow();
            assertThat(SPEC.violations(schema, exchange.requestBody()))
                    .as("request body of " + operation + " against the document")
                    .isEmpty();
        }
        assertThat(SPEC.documentedStatuses(operation))
                .as(operation + " answered " + status + ": " + response.asString())
                .contains(Integer.toString(status));
        assertThat(status).as(operation + " answered: " + response.asString()).isEqualTo(exchange.expectedStatus());
        if (status == 307) {
            assertThat(response.header("Location"))
                    .as("Location of " + operation)
                    .startsWith("http");
        }
        String body = response.asString();
        var schema = SPEC.responseSchema(operation, status);
        if (schema.isPresent() && status != 307) {
            assertThat(SPEC.violations(schema.get(), body))
                    .as("response of " + operation + " against the document: " + body)
                    .isEmpty();
        }
        if (exchange.expectsItems()) {
            assertThat(MAPPER.readTree(body)).as("a list with something in it").isNotEmpty();
        }
    }

    /** The route does not exist (as opposed to an API answer about a missing document, which carries a code). */
    private static boolean notServed(Response response) {
        int status = response.statusCode();
        if (status == 501 || status == 405) {
            return true;
        }
        if (status != 404) {
            return false;
        }
        try {
            return !MAPPER.readTree(response.asString()).has("code");
        } catch (Exception e) {
            return true;
        }
    }

    private static Map<String, Supplier<Exchange>> calls(Fixture f) {
        Map<String, Supplier<Exchange>> calls = new LinkedHashMap<>();
        String runs = "/api/v1/runs";
        Supplier<String> run = () -> runs + "/" + f.finished().runId();
        Supplier<String> versionPath = () -> "/api/v1/applications/test-app/versions/" + f.version();
        Supplier<String> document = () ->
                versionPath.get() + "/documents/" + (f.documentName()[0] == null ? "user-guide" : f.documentName()[0]);

        calls.put(
                "list_applications_v1_applications_get",
                () -> get(f, "/api/v1/applications", Map.of("page", 1, "page-size", 5), true));
        calls.put(
                "read_application_by_id_v1_applications__application_id__get",
                () -> get(f, "/api/v1/applications/test-app", Map.of(), false));
        calls.put(
                "application_version_details_v1_applications__application_id__versions__version__get",
                () -> get(f, versionPath.get(), Map.of(), false));
        calls.put(
                "list_runs_v1_runs_get",
                () -> get(f, runs, Map.of("submitted_by", "me", "page_size", 5, "sort", "-submitted_at"), true));
        calls.put("create_run_v1_runs_post", () -> {
            Map<String, Object> body = testRun(1);
            body.put("custom_metadata", Map.of("study", "abc-1", "confidence", 0.75));
            return send(f, "POST", runs, body, 201);
        });
        calls.put("get_run_v1_runs__run_id__get", () -> get(f, run.get(), Map.of(), false));
        calls.put(
                "cancel_run_v1_runs__run_id__cancel_post",
                () -> send(f, "POST", runs + "/" + f.openRun() + "/cancel", null, 202));
        calls.put(
                "list_run_items_v1_runs__run_id__items_get",
                () -> get(f, run.get() + "/items", Map.of("page_size", 5, "sort", "external_id"), true));
        calls.put(
                "get_item_by_run_v1_runs__run_id__items__external_id__get",
                () -> get(f, run.get() + "/items/" + f.finished().externalId(), Map.of(), false));
        calls.put(
                "get_artifact_url_v1_runs__run_id__artifacts__artifact_id__file_get",
                () -> send(f, "GET", run.get() + "/artifacts/" + f.finished().artifactId() + "/file", null, 307));
        calls.put(
                "delete_run_items_v1_runs__run_id__artifacts_delete",
                () -> send(f, "DELETE", run.get() + "/artifacts", null, 200));
        calls.put(
                "put_run_custom_metadata_v1_runs__run_id__custom_metadata_put",
                () -> send(
                        f,
                        "PUT",
                        run.get() + "/custom-metadata",
                        Map.of("custom_metadata", Map.of("department", "D1", "study", "abc-1")),
                        200));
        calls.put(
                "put_item_custom_metadata_by_run_v1_runs__run_id__items__external_id__custom_metadata_put",
                () -> send(
                        f,
                        "PUT",
                        run.get() + "/items/" + f.finished().externalId() + "/custom-metadata",
                        Map.of("custom_metadata", Map.of("case", "abc")),
                        200));
        calls.put("get_me_v1_me_get", () -> get(f, "/api/v1/me", Map.of(), false));
        calls.put("list_version_documents", () -> {
            Exchange exchange = get(f, versionPath.get() + "/documents", Map.of(), true);
            if (exchange.response().statusCode() == 200) {
                List<String> names = exchange.response().jsonPath().getList("name", String.class);
                if (names != null && !names.isEmpty()) {
                    f.documentName()[0] = names.getFirst();
                }
            }
            return exchange;
        });
        calls.put("get_version_document", () -> get(f, document.get(), Map.of(), false));
        calls.put("get_version_document_file", () -> send(f, "GET", document.get() + "/file", null, 307));
        calls.put("get_version_document_content", () -> send(f, "GET", document.get() + "/content", null, 307));
        calls.put(
                "create_grant_v1_access_grants_post",
                () -> send(
                        f,
                        "POST",
                        "/api/v1/access/grants",
                        Map.of(
                                "resource_type", "run",
                                "resource_id", f.finished().runId().toString(),
                                "subject_type", "organization_user",
                                "relation", "viewer"),
                        201));
        calls.put(
                "list_grants_v1_access_grants_get",
                () -> get(
                        f,
                        "/api/v1/access/grants",
                        Map.of(
                                "resource_type",
                                "run",
                                "resource_id",
                                f.finished().runId().toString(),
                                "relation",
                                "viewer",
                                "revoked",
                                false,
                                "page_size",
                                5,
                                "sort",
                                "-created_at"),
                        true));
        calls.put(
                "get_grant_v1_access_grants__grant_id__get",
                () -> get(f, "/api/v1/access/grants/" + f.grantId(), Map.of(), false));
        calls.put(
                "revoke_grant_v1_access_grants__grant_id__delete",
                () -> send(f, "DELETE", "/api/v1/access/grants/" + f.grantId(), null, 200));
        calls.put(
                "create_share_token_v1_access_share_tokens_post",
                () -> send(
                        f,
                        "POST",
                        "/api/v1/access/share-tokens",
                        Map.of("expires_at", Instant.now().plusSeconds(86_400).toString()),
                        201));
        calls.put(
                "list_share_tokens_v1_access_share_tokens_get",
                () -> get(
                        f,
                        "/api/v1/access/share-tokens",
                        Map.of("created_by", "me", "revoked", false, "page_size", 5, "sort", "-created_at"),
                        true));
        calls.put(
                "get_share_token_v1_access_share_tokens__share_token_id__get",
                () -> get(f, "/api/v1/access/share-tokens/" + f.shareTokenId(), Map.of(), false));
        calls.put(
                "revoke_share_token_v1_access_share_tokens__share_token_id__delete",
                () -> send(f, "DELETE", "/api/v1/access/share-tokens/" + f.shareTokenId(), null, 200));
        return calls;
    }

    private static Exchange get(Fixture f, String path, Map<String, Object> query, boolean expectsItems) {
        RequestSpecification request = as(f.owner()).redirects().follow(false);
        query.forEach(request::queryParam);
        return new Exchange(null, request.get(path), 200, expectsItems);
    }

    private static Exchange send(Fixture f, String method, String path, Object body, int expectedStatus) {
        RequestSpecification request = as(f.owner()).redirects().follow(false);
        String json = null;
        if (body != null) {
            try {
                json = MAPPER.writeValueAsString(body);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            request.body(json);
        }
        return new Exchange(json, request.request(method, path), expectedStatus, false);
    }
}
