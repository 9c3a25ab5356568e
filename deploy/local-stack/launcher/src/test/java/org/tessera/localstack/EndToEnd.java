package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.tessera.contracts.Crc32c;

/** What the end-to-end tests on the real stack share: where the repository is, waiting for runs, checksums, metrics. */
final class EndToEnd {

    private EndToEnd() {}

    /** The repository root: the tests run in the module's folder, below it. */
    static Path projectRoot() {
        return StackOptions.repositoryRoot();
    }

    /** Polls the run until its API state is TERMINATED and returns it then. */
    static JsonNode awaitTerminated(DemoClient client, String runId, Duration timeout) {
        return await("run " + runId + " to terminate")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> client.run(runId),
                        run -> run.path("state").asText().equals("TERMINATED"));
    }

    /** The CRC32C the API states for one of the item's output artifacts ({@code checksum_base64_crc32c}). */
    static String statedChecksum(JsonNode item, String artifactName) {
        for (JsonNode artifact : item.path("output_artifacts")) {
            if (artifact.path("name").asText().equals(artifactName)) {
                return artifact.path("metadata").path("checksum_base64_crc32c").asText();
            }
        }
        throw new AssertionError("no artifact " + artifactName + " on "
                + item.path("external_id").asText());
    }

    /** The CRC32C of a file, in the API's form (base64 of the big-endian value). */
    static String checksumOf(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Crc32c.base64Of(in);
        }
    }

    /** A service's Prometheus metrics, from {@code /q/metrics} on its management interface. */
    static String metrics(URI managementUrl) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(managementUrl.resolve("/q/metrics"))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    /** The sum of a Prometheus counter's samples whose labels contain {@code label}. */
    static double sum(String metrics, String name, String label) {
        double total = 0;
        for (String line : metrics.lines().toList()) {
            int space = line.lastIndexOf(' ');
            if (line.startsWith("#") || space < 0) {
                continue;
            }
            String series = line.substring(0, space);
            if ((series.equals(name) || series.startsWith(name + "{")) && series.contains(label)) {
                total += Double.parseDouble(line.substring(space + 1));
            }
        }
        return total;
    }
}
