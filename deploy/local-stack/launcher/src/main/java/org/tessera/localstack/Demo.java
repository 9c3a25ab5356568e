package org.tessera.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.tessera.localstack.ResultDownloader.Download;

/**
 * The demo a new user runs first: as the organization's member, submit three synthetic slides (one corrupt) to the
 * free test application through the REST API, follow the run to its end, and download the results.
 */
public final class Demo {

    public static final String APPLICATION = "test-app";
    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration REPRINT_AFTER = Duration.ofSeconds(10);

    /** What the demo did, for the summary and for tests. */
    public record Outcome(
            String runId, JsonNode finalRun, List<JsonNode> items, List<Download> downloads, Path resultsDir) {}

    private final URI apiUrl;
    private final AccessClient access;
    private final Path workDir;
    private final Path projectRoot;
    private final PrintStream out;
    private final Duration runTimeout;

    /**
     * @param apiUrl the orchestrator's root URL
     * @param accessUrl the local token issuer and URL signer
     * @param workDir where slides are generated ({@code demo/}) and results downloaded ({@code results/})
     */
    public Demo(URI apiUrl, URI accessUrl, Path workDir, Path projectRoot, PrintStream out, Duration runTimeout) {
        this.apiUrl = apiUrl;
        this.access = new AccessClient(accessUrl);
        this.workDir = workDir;
        this.projectRoot = projectRoot;
        this.out = out;
        this.runTimeout = runTimeout;
    }

    /** The slide viewer's page for one item of a run. */
    static String viewerLink(String base, String runId, JsonNode item) {
        return base + "/viewer/?run=" + runId + "&item=" + item.path("item_id").asText();
    }

    public static Demo against(LocalStack stack, PrintStream out, Duration runTimeout) {
        return new Demo(
                stack.apiUrl(),
                stack.accessUrl(),
                stack.options().stateDir(),
                stack.options().projectRoot(),
                out,
                runTimeout);
    }

    public Outcome run() throws IOException, InterruptedException {
        StackUser member = Seed.standard().member();
        DemoClient client = new DemoClient(apiUrl, () -> access.token(member.subject()));

        JsonNode health = client.health();
        out.println("platform health: " + health.path("status").asText());
        JsonNode application = client.application(APPLICATION);
        String version = latestVersion(application);
        out.printf("application %s, latest version %s%n", APPLICATION, version);
        checkMetadataSchema(client.applicationVersion(APPLICATION, version));

        Path demoDir = workDir.resolve("demo");
        out.println("generating synthetic slides in " + demoDir.resolve("slides") + " ...");
        SlideSet slides = SlideSet.generate(demoDir.resolve("slides"), SlideSet.demoSpecs(), 42L);
        for (SlideSet.Slide slide : slides.slides()) {
            out.printf(
                    Locale.ROOT,
                    "  %-16s %6d x %-6d %.2f µm/px %8.1f KiB%s%n",
                    slide.externalId(),
                    slide.slide().width(),
                    slide.slide().height(),
                    slide.slide().mpp(),
                    slide.slide().sizeBytes() / 1024.0,
                    slide.corrupt() ? "  (corrupt on purpose)" : "");
        }
        String prefix = "uploads/" + member.organizationId() + "/" + UUID.randomUUID();
        SlideSet uploaded = slides.upload(client, SlideSet.UrlSigning.of(access), prefix);
        out.println("uploaded through signed PUT URLs to the object store under " + prefix + "/");

        String runId = client.submitRun(uploaded.runRequest(APPLICATION, version));
        out.printf("submitted run %s as %s (POST /api/v1/runs)%n", runId, member.subject());

        JsonNode run = follow(client, runId);
        List<JsonNode> items = client.items(runId);
        out.println();
        out.println("run " + runId + " ended: " + run.path("state").asText() + " / "
                + run.path("termination_reason").asText() + ", output "
                + run.path("output").asText());
        for (JsonNode item : items) {
            out.printf(
                    "  %-16s %s / %s%s%n",
                    item.path("external_id").asText(),
                    item.path("state").asText(),
                    item.path("termination_reason").asText(),
                    item.path("error_code").isTextual()
                            ? "  " + item.path("error_code").asText() + ": "
                                    + item.path("error_message").asText("")
                            : "  " + item.path("output_artifacts").size() + " output artifacts");
        }

        Path resultsDir = workDir.resolve("results");
        List<Download> downloads = ResultDownloader.downloadAll(client, runId, resultsDir);
        out.println();
        out.printf("downloaded %d artifacts (each through the 307, CRC32C verified):%n", downloads.size());
        for (Download download : downloads) {
            out.printf("  %s  (%,d bytes)%n", relative(download.file()), java.nio.file.Files.size(download.file()));
        }
        out.println("results are in " + relative(resultsDir.resolve(runId)));
        out.println();
        String base = apiUrl.toString().replaceAll("/$", "");
        out.println("dashboard:     " + base + "/dashboard/   (sign in as " + member.subject() + ")");
        items.stream()
                .filter(item ->
                        "SUCCEEDED".equals(item.path("termination_reason").asText()))
                .findFirst()
                .or(() -> items.stream().findFirst())
                .ifPresent(item -> out.println("viewer:        " + viewerLink(base, runId, item)));
        return new Outcome(runId, run, items, downloads, resultsDir.resolve(runId));
    }

    /** Polls the run until it is terminated, printing a progress line whenever it changes (and every 10 s). */
    private JsonNode follow(DemoClient client, String runId) throws InterruptedException {
        Instant start = Instant.now();
        String lastLine = "";
        Instant lastPrint = Instant.EPOCH;
        while (true) {
            JsonNode run = client.run(runId);
            List<JsonNode> items = run.path("state").asText().equals("TERMINATED") ? List.of() : client.items(runId);
            Duration elapsed = Duration.between(start, Instant.now());
            String line = RunProgress.line(elapsed, run, items);
            String withoutClock = line.substring(line.indexOf(']') + 1);
            if (!withoutClock.equals(lastLine) || Instant.now().isAfter(lastPrint.plus(REPRINT_AFTER))) {
                out.println(line);
                lastLine = withoutClock;
                lastPrint = Instant.now();
            }
            if (run.path("state").asText().equals("TERMINATED")) {
                return run;
            }
            if (elapsed.compareTo(runTimeout) > 0) {
                throw new ApiException("run " + runId + " did not end within " + runTimeout.toMinutes()
                        + " min; see the service logs in " + relative(workDir.resolve("logs")));
            }
            Thread.sleep(POLL);
        }
    }

    /**
     * Clients validate each input's metadata against the version's schema before posting; the demo at least refuses to
     * submit when the schema asks for a field it does not send, naming the field, instead of collecting a 422.
     */
    static void checkMetadataSchema(JsonNode version) {
        for (JsonNode input : version.path("input_artifacts")) {
            if (!input.path("name").asText().equals(SlideSet.INPUT_ARTIFACT)) {
                continue;
            }
            for (JsonNode required : input.path("metadata_schema").path("required")) {
                if (!SlideSet.METADATA_FIELDS.contains(required.asText())) {
                    throw new ApiException("version "
                            + version.path("version_number").asText() + " of " + APPLICATION
                            + " requires metadata field '" + required.asText() + "' for " + SlideSet.INPUT_ARTIFACT
                            + ", which the demo does not send (it sends " + SlideSet.METADATA_FIELDS + ")");
                }
            }
            return;
        }
        throw new ApiException("version " + version.path("version_number").asText() + " of " + APPLICATION
                + " has no input artifact named " + SlideSet.INPUT_ARTIFACT);
    }

    private Path relative(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(projectRoot) ? projectRoot.relativize(absolute) : absolute;
    }

    /** The highest semantic version listed, as clients pick it when none is given. */
    static String latestVersion(JsonNode application) {
        List<String> versions = new ArrayList<>();
        for (JsonNode version : application.path("versions")) {
            versions.add(version.path("number").asText(""));
        }
        return versions.stream()
                .filter(v -> !v.isBlank())
                .max(Demo::compareSemver)
                .orElseThrow(
                        () -> new ApiException("application " + APPLICATION + " lists no versions: " + application));
    }

    static int compareSemver(String a, String b) {
        String[] left = a.split("[-+]", 2)[0].split("\\.");
        String[] right = b.split("[-+]", 2)[0].split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int l = i < left.length ? parse(left[i]) : 0;
            int r = i < right.length ? parse(right[i]) : 0;
            if (l != r) {
                return Integer.compare(l, r);
            }
        }
        // A release outranks its pre-releases (1.0.0 > 1.0.0-beta).
        return Boolean.compare(!a.contains("-"), !b.contains("-"));
    }

    private static int parse(String part) {
        try {
            return Integer.parseInt(part);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
