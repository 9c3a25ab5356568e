package org.tessera.orchestrator.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;
import static org.tessera.orchestrator.support.TestApi.token;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.RunProbe;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.support.Workers;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class DashboardApiTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Event> received = new ArrayList<>();

    /** One Server-Sent Event. */
    record Event(String name, String data) {}

    @Test
    void theRootLeadsToTheDashboardWhichIsServedWithItsSignInSettingsAndErrorSentences() {
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", endsWith("/dashboard/"));
        given().get("/dashboard/").then().statusCode(200).body(containsString("<title>Tessera"));
        given().get("/dashboard/config")
                .then()
                .statusCode(200)
                .body("client_id", org.hamcrest.Matchers.equalTo("tessera-dashboard"))
                .body("issuer", org.hamcrest.Matchers.equalTo("https://tessera.local/"))
                .body("events", org.hamcrest.Matchers.equalTo("/api/dashboard/v1/events"));
        given().get("/dashboard/error-messages")
                .then()
                .statusCode(200)
                .body("INPUT_UNREADABLE", containsString("damaged"));
    }

    @Test
    void theEventStreamPushesTheCallersRunsAndTheTileProgressOfTheWatchedRun() throws Exception {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));
        RunProbe.awaitState(runId, RunState.SCHEDULED.name());
        UUID first = UUID.fromString(TestApi.as(user)
                .get("/api/v1/runs/{id}/items", runId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getString("find { it.external_id == 'slide-0' }.item_id"));

        BlockingQueue<Event> events = open(user, "?run_id=" + runId);
        Event runs = await(events, e -> e.name().equals("runs"));
        assertThat(runs.data()).contains(runId.toString());
        await(events, e -> e.name().equals("items") && e.data().contains("\"progress\":null"));

        Workers.started(runId, first, 1);
        Workers.progress(runId, first, 1, 7, 20);
        Event items = await(events, e -> e.name().equals("items") && e.data().contains("\"tiles_done\":7"));
        assertThat(items.data()).contains("\"tiles_total\":20");
        Event run = await(events, e -> e.name().equals("run") && e.data().contains("\"PROCESSING\""));
        assertThat(run.data()).contains("\"item_processing_count\":1");

        Workers.userError(runId, first);
        Event failed = await(events, e -> e.name().equals("items") && e.data().contains("USER_ERROR"));
        assertThat(failed.data()).contains("\"error_code\":\"");
    }

    @Test
    void aRunTheCallerCannotReadIsRefusedBeforeTheStreamStartsAndATokenIsRequired() throws Exception {
        UUID runId = submit(freshUser(), testRun(1));
        HttpResponse<String> foreign =
                http.send(request(freshUser(), "?run_id=" + runId).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(404);
        HttpResponse<String> anonymous =
                http.send(HttpRequest.newBuilder(url("")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> bad =
                http.send(request(freshUser(), "?runs=everything").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(422);
        assertThat(bad.body()).contains("runs: one of");
    }

    private BlockingQueue<Event> open(String user, String query) throws Exception {
        HttpResponse<InputStream> response =
                http.send(request(user, query).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("dashboard-events-reader").start(() -> {
            try (BufferedReader lines =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = "message";
                List<String> data = new ArrayList<>();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(name, String.join("\n", data)));
                        }
                        name = "message";
                        data.clear();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.add(line.substring(5).strip());
                    }
                }
            } catch (Exception e) {
                // the test ended
            }
        });
        return events;
    }

    /** The first event, received so far or within 30 s, that matches; events arrive in any order across names. */
    private Event await(BlockingQueue<Event> events, Predicate<Event> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Event event = events.poll(500, TimeUnit.MILLISECONDS);
            if (event != null) {
                received.add(event);
            }
            for (Event seen : received) {
                if (wanted.test(seen)) {
                    return seen;
                }
            }
        }
        throw new AssertionError("no such event within 30 s; received: " + received);
    }

    private HttpRequest.Builder request(String user, String query) {
        return HttpRequest.newBuilder(url(query)).header("Authorization", "Bearer " + token(user));
    }

    private static URI url(String query) {
        return URI.create("http://localhost:" + RestAssured.port + "/api/dashboard/v1/events" + query);
    }
}
