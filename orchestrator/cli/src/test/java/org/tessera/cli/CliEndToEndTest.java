package org.tessera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.tessera.contracts.Crc32c;
import org.tessera.imaging.synthetic.SyntheticSlideGenerator;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.Seed;
import org.tessera.localstack.StackOptions;

/**
 * The client against the real local stack (Kafka, PostgreSQL, object store, token issuer, orchestrator and worker
 * from their packaged jars), each command in its own JVM with pipes for output, as a script would run it: exit codes,
 * {@code --json} documents and lines, line-oriented progress, and the files it writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A member of the demo organization whose monthly WSI limit the test sets to 0. */
    private static final String CAPPED = "cli-capped";

    private LocalStack stack;
    private Path work;
    private Map<String, String> env;
    private TesseraCli cli;
    private String runId;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startStack() throws IOException {
        Path root = projectRoot();
        Path stateDir = root.resolve("orchestrator/cli/target/cli-e2e-stack");
        String prefix = "tessera.seed.users." + CAPPED;
        stack = LocalStack.start(StackOptions.defaults(root, stateDir)
                .withStartTimeout(Duration.ofMinutes(3))
                .withOrchestratorConfig(Map.of(
                        prefix + ".organization", Seed.standard().primary().id(),
                        prefix + ".role", "MEMBER",
                        prefix + ".email", "capped@demo.tessera.local")));
        work = stateDir.resolve("work");
        Files.createDirectories(work);
        env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", work.resolve("config").toString());
        env.put("TESSERA_API_URL", stack.apiUrl().toString());
        env.put("TESSERA_ISSUER", stack.accessUrl().toString());
        cli = TesseraCli.onClassPath(env);
    }

    @AfterAll
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(0)
    void withoutSignInOrWithAWrongCommandLineTheExitCodeSaysWhy() throws Exception {
        TesseraCli.Result usage = cli.run("runs", "frobnicate");
        assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(ExitCode.USAGE);

        TesseraCli.Result anonymous = cli.run("apps", "list", "--json");
        assertThat(anonymous.exitCode()).as(anonymous.toString()).isEqualTo(ExitCode.AUTH);
        JsonNode error = JSON.readTree(anonymous.stdout()).path("error");
        assertThat(error.path("exit_code").asInt()).isEqualTo(ExitCode.AUTH);
        assertThat(error.path("message").asText()).contains("not signed in").contains("tessera login");

        TesseraCli.Result refused = cli.run("apps", "list", "--token", "not-a-token");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.AUTH);
        assertThat(refused.stderr()).contains("401");
    }

    @Test
    @Order(1)
    void loginByDeviceCodeCachesTheTokenForTheOwnerOnly() throws Exception {
        TesseraCli.Running login = cli.start("login", "--json");
        JsonNode prompt = JSON.readTree(login.nextLine());
        assertThat(prompt.path("event").asText()).isEqualTo("device_authorization");
        String userCode = prompt.path("user_code").asText();

        // The person approves in a browser: here, the verification page's form, posted as a browser would.
        HttpResponse<String> approved = http.send(
                HttpRequest.newBuilder(
                                URI.create(prompt.path("verification_uri").asText()))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("user_code=" + userCode + "&user="
                                + Seed.standard().member().subject()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);

        TesseraCli.Result result = login.await();
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCode.OK);
        JsonNode signedIn = JSON.readTree(result.lines().getLast());
        assertThat(signedIn.path("subject").asText()).isEqualTo("demo-member");
        assertThat(signedIn.path("organization_id").asText()).isEqualTo("demo");

        Path credentials = Path.of(signedIn.path("credentials_file").asText());
        assertThat(credentials).startsWith(work.resolve("config/tessera"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(credentials)))
                .isEqualTo("rw-------");

        TesseraCli.Result apps = cli.run("apps", "list", "--json");
        assertThat(apps.exitCode()).as(apps.toString()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(apps.stdout()).findValuesAsText("application_id"))
                .contains("test-app", "he-tme");

        TesseraCli.Result table = cli.run("apps", "list");
        assertThat(table.lines().getFirst()).startsWith("APPLICATION").contains("LATEST");
        assertThat(table.stdout()).doesNotContain("\u001b[");

        // A cache others can read is refused, not used.
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-r--r--"));
        try {
            TesseraCli.Result exposed = cli.run("apps", "list");
            assertThat(exposed.exitCode()).as(exposed.toString()).isEqualTo(ExitCode.AUTH);
            assertThat(exposed.stderr()).contains("refusing to read").contains("chmod 600");
        } finally {
            Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        }
    }

    @Test
    @Order(2)
    void submitWatchAndDownloadVerifyEveryResultsChecksum() throws Exception {
        Path slides = Files.createDirectories(work.resolve("slides"));
        SyntheticSlideGenerator.generate(slides.resolve("case-a.tiff"), 1536, 1024, 0.5, 3L);
        SyntheticSlideGenerator.generate(slides.resolve("case-b.tiff"), 1024, 768, 0.25, 4L);

        TesseraCli.Result submitted =
                cli.run("runs", "submit", "test-app", slides.toString(), "--json", "--tag", "cli-e2e");
        assertThat(submitted.exitCode()).as(submitted.toString()).isEqualTo(ExitCode.OK);
        JsonNode submission = JSON.readTree(submitted.stdout());
        runId = submission.path("run_id").asText();
        assertThat(submission.path("items").findValuesAsText("external_id"))
                .containsExactly("case-a.tiff", "case-b.tiff");
        JsonNode first = submission.path("items").get(0);
        // Read from the file by the platform's readers, and the checksum of the bytes on disk.
        assertThat(first.path("width_px").asInt()).isEqualTo(1536);
        assertThat(first.path("height_px").asInt()).isEqualTo(1024);
        assertThat(first.path("resolution_mpp").asDouble()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(first.path("checksum_base64_crc32c").asText())
                .isEqualTo(Crc32c.base64Of(Files.readAllBytes(slides.resolve("case-a.tiff"))));
        assertThat(first.path("object_key").asText()).startsWith("uploads/demo/demo-member/");

        // Not a terminal: a line per change, no escape sequences, and the exit code tells the outcome.
        TesseraCli.Result watched = cli.run("runs", "watch", runId, "--interval", "1");
        assertThat(watched.exitCode()).as(watched.toString()).isEqualTo(ExitCode.OK);
        assertThat(watched.stdout()).doesNotContain("\u001b[").contains("run " + runId + " ");
        assertThat(watched.lines()).anyMatch(line -> line.equals("item case-a.tiff SUCCEEDED"));
        assertThat(watched.lines()).anyMatch(line -> line.equals("item case-b.tiff SUCCEEDED"));
        assertThat(watched.lines().getLast()).contains("2 of 2 slides succeeded");

        TesseraCli.Result watchedJson = cli.run("runs", "watch", runId, "--json", "--interval", "1");
        assertThat(watchedJson.exitCode()).isEqualTo(ExitCode.OK);
        List<JsonNode> events = new ArrayList<>();
        for (String line : watchedJson.lines()) {
            events.add(JSON.readTree(line));
        }
        assertThat(events).extracting(e -> e.path("event").asText()).contains("run", "item");
        JsonNode finished = events.getLast();
        assertThat(finished.path("event").asText()).isEqualTo("run_finished");
        assertThat(finished.path("succeeded").asInt()).isEqualTo(2);

        Path results = work.resolve("results");
        TesseraCli.Result downloaded = cli.run("runs", "download", runId, "-o", results.toString(), "--json");
        assertThat(downloaded.exitCode()).as(downloaded.toString()).isEqualTo(ExitCode.OK);
        List<JsonNode> files = artifactEvents(downloaded);
        Map<String, String> checksums = artifactChecksums();
        assertThat(files).hasSize(checksums.size()).isNotEmpty();
        for (JsonNode file : files) {
            Path path = Path.of(file.path("file").asText());
            assertThat(path).startsWith(results.resolve(runId));
            assertThat(file.path("outcome").asText()).isEqualTo("downloaded");
            assertThat(Crc32c.base64Of(Files.readAllBytes(path)))
                    .isEqualTo(checksums.get(file.path("external_id").asText() + "/"
                            + file.path("artifact").asText()));
        }

        // An interrupted download: half a .part file resumes with a range request; the rest are already there.
        Path victim = Path.of(files.getFirst().path("file").asText());
        byte[] whole = Files.readAllBytes(victim);
        Files.delete(victim);
        Files.write(
                victim.resolveSibling(victim.getFileName() + ".part"),
                java.util.Arrays.copyOf(whole, whole.length / 2));
        TesseraCli.Result resumed = cli.run("runs", "download", runId, "-o", results.toString(), "--json");
        assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCode.OK);
        Map<String, String> outcomes = new HashMap<>();
        artifactEvents(resumed)
                .forEach(e ->
                        outcomes.put(e.path("file").asText(), e.path("outcome").asText()));
        assertThat(outcomes.remove(victim.toString())).isEqualTo("resumed");
        assertThat(outcomes.values()).containsOnly("already_present");
        assertThat(Files.readAllBytes(victim)).isEqualTo(whole);

        // A .part whose bytes are wrong fails the checksum: exit 7, and the bad file is gone.
        Files.delete(victim);
        Path part = victim.resolveSibling(victim.getFileName() + ".part");
        Files.write(part, new byte[whole.length / 2]);
        TesseraCli.Result corrupt = cli.run("runs", "download", runId, "-o", results.toString());
        assertThat(corrupt.exitCode()).as(corrupt.toString()).isEqualTo(ExitCode.INTEGRITY);
        assertThat(corrupt.stderr()).contains("does not match");
        assertThat(part).doesNotExist();
        assertThat(victim).doesNotExist();

        // Before the next test deletes the run's outputs: tessera view fetches them for a local slide.
        theViewerShowsTheLocalSlideWithTheRunsResults();
    }

    /** The run's results for case-a.tiff are fetched (external id = file name) and laid over the local slide. */
    private void theViewerShowsTheLocalSlideWithTheRunsResults() throws Exception {
        TesseraCli.Running view =
                cli.start("view", work.resolve("slides/case-a.tiff").toString(), "--run", runId, "--json");
        try {
            JsonNode ready = JSON.readTree(view.nextLine());
            assertThat(ready.path("event").asText()).isEqualTo("viewer_ready");
            URI page = URI.create(ready.path("url").asText());
            assertThat(page.getHost()).isEqualTo("127.0.0.1");
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> html =
                        http.send(HttpRequest.newBuilder(page).build(), BodyHandlers.ofString());
                assertThat(html.statusCode()).isEqualTo(200);
                assertThat(html.body()).contains("<canvas");
                HttpResponse<String> info = http.send(
                        HttpRequest.newBuilder(page.resolve("/api/viewer/v1/local/info"))
                                .build(),
                        BodyHandlers.ofString());
                assertThat(info.statusCode()).as(info.body()).isEqualTo(200);
                JsonNode slideInfo = JSON.readTree(info.body());
                assertThat(slideInfo.path("levels").get(0).path("width").asInt())
                        .isEqualTo(1536);
                assertThat(slideInfo.path("maps")).as(info.body()).isNotEmpty();
                assertThat(slideInfo.path("features")).as(info.body()).isNotEmpty();
            }
        } finally {
            view.interrupt();
        }
    }

    @Test
    @Order(3)
    void listCancelAndDeleteAnswerWithTheirExitCodes() throws Exception {
        TesseraCli.Result list = cli.run("runs", "list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(list.stdout()).findValuesAsText("run_id")).contains(runId);

        TesseraCli.Result cancelFinished = cli.run("runs", "cancel", runId);
        assertThat(cancelFinished.exitCode()).as(cancelFinished.toString()).isEqualTo(ExitCode.REJECTED);
        assertThat(cancelFinished.stderr()).contains("409");

        TesseraCli.Result delete = cli.run("runs", "delete", runId, "--json");
        assertThat(delete.exitCode()).as(delete.toString()).isEqualTo(ExitCode.OK);
        assertThat(JSON.readTree(delete.stdout()).path("event").asText()).isEqualTo("results_deleted");

        TesseraCli.Result unknown = cli.run("runs", "watch", "00000000-0000-0000-0000-000000000000");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCode.REJECTED);
    }

    @Test
    @Order(4)
    void aQuotaRefusalNamesTheQuotaAndExitsWithTheQuotaCode() throws Exception {
        String adminToken = stack.token(stack.seed().admin());
        HttpResponse<String> capped = http.send(
                HttpRequest.newBuilder(stack.apiUrl().resolve("/api/admin/v1/organizations/demo/users/" + CAPPED))
                        .header("Authorization", "Bearer " + adminToken)
                        .header("Content-Type", "application/json")
                        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"monthly_wsi_limit\":0}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(capped.statusCode()).as(capped.body()).isEqualTo(200);

        Path slide = work.resolve("slides/case-a.tiff");
        Map<String, String> cappedEnv = new HashMap<>(env);
        cappedEnv.put("TESSERA_TOKEN", stack.token(CAPPED, "demo", "member"));
        TesseraCli.Result refused =
                TesseraCli.onClassPath(cappedEnv).run("runs", "submit", "test-app", slide.toString(), "--json");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.QUOTA);
        JsonNode error = JSON.readTree(refused.lines().getLast()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("QUOTA.USER_MONTHLY_WSIS");
        assertThat(error.path("message").asText()).contains("402");
        assertThat(refused.stderr()).contains("QUOTA.USER_MONTHLY_WSIS");
    }

    @Test
    @Order(5)
    void anUnreadableSlideStopsTheSubmissionAndTheViewerNamingTheFile() throws Exception {
        Path bad = Files.write(work.resolve("not-a-slide.tiff"), "plain text, not a TIFF".getBytes());
        TesseraCli.Result refused = cli.run("runs", "submit", "test-app", bad.toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(refused.stderr()).contains("not-a-slide.tiff");

        TesseraCli.Result unreadable = cli.run("view", bad.toString());
        assertThat(unreadable.exitCode()).as(unreadable.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(unreadable.stderr()).contains("not-a-slide.tiff");
    }

    private static List<JsonNode> artifactEvents(TesseraCli.Result result) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : result.lines()) {
            JsonNode event = JSON.readTree(line);
            if (event.path("event").asText().equals("artifact")) {
                events.add(event);
            }
        }
        return events;
    }

    /** {@code <external id>/<artifact name>} to the checksum the API states, read independently of the client. */
    private Map<String, String> artifactChecksums() {
        DemoClient api =
                new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        Map<String, String> checksums = new HashMap<>();
        for (JsonNode item : api.items(runId)) {
            for (JsonNode artifact : item.path("output_artifacts")) {
                if (artifact.path("output").asText().equals("AVAILABLE")) {
                    checksums.put(
                            item.path("external_id").asText() + "/"
                                    + artifact.path("name").asText(),
                            artifact.path("metadata")
                                    .path("checksum_base64_crc32c")
                                    .asText());
                }
            }
        }
        return checksums;
    }

    private static Path projectRoot() {
        return StackOptions.repositoryRoot();
    }
}
