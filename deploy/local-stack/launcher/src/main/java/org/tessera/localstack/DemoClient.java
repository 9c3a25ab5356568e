package org.tessera.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.CRC32C;
import org.tessera.contracts.Crc32c;

/**
 * Talks to the platform's REST API the way a real client does: bearer token on API calls, JSON in snake_case, artifact
 * downloads through the API's 307 redirect whose {@code Location} is fetched without the token and checked against the
 * artifact's CRC32C, slide uploads with a plain PUT to a signed URL.
 */
public final class DemoClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A downloaded artifact.
     *
     * @param redirectStatus what the API answered (clients require a 3xx; the platform sends 307)
     * @param location the signed URL the file came from
     * @param file where it was written
     * @param checksum its CRC32C, equal to the artifact's {@code checksum_base64_crc32c}
     */
    public record ArtifactDownload(int redirectStatus, URI location, Path file, String checksum) {}

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final int PAGE_SIZE = 100;

    private final URI apiRoot;
    private final Supplier<String> token;
    private final HttpClient http;

    /**
     * @param apiRoot e.g. {@code http://127.0.0.1:8180/}; API calls go to {@code <root>api/v1/...}
     * @param token supplies the bearer token for each call
     */
    public DemoClient(URI apiRoot, Supplier<String> token) {
        String root = apiRoot.toString();
        this.apiRoot = URI.create(root.endsWith("/") ? root : root + "/");
        this.token = token;
        // Redirects are never followed automatically: the artifact endpoint's 307 must be seen, and its target must
        // be fetched without the Authorization header.
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public static ObjectMapper json() {
        return JSON;
    }

    /** {@code GET /health}, which clients call before submitting. */
    public JsonNode health() {
        return send("GET", apiRoot.resolve("health"), null, false, 200);
    }

    public JsonNode me() {
        return get("me");
    }

    /** {@code GET /v1/applications}: what the caller's organization has. */
    public JsonNode applications() {
        return get("applications");
    }

    public JsonNode application(String applicationId) {
        return get("applications/" + encode(applicationId));
    }

    public JsonNode applicationVersion(String applicationId, String version) {
        return get("applications/" + encode(applicationId) + "/versions/" + encode(version));
    }

    /** {@code POST /v1/runs}; returns the new run's id. */
    public String submitRun(JsonNode request) {
        JsonNode created = send("POST", api("runs"), request, true, 201);
        return created.path("run_id").asText();
    }

    public JsonNode run(String runId) {
        return get("runs/" + encode(runId));
    }

    /** The HTTP status of {@code GET /v1/runs/{id}}, for checks that a run is (in)visible to this user. */
    public int runStatus(String runId) {
        return call("GET", api("runs/" + encode(runId)), null, true).statusCode();
    }

    /** {@code POST /v1/runs/{id}/cancel}; returns the HTTP status (202, or 409 when already terminated). */
    public int cancel(String runId) {
        return call("POST", api("runs/" + encode(runId) + "/cancel"), null, true)
                .statusCode();
    }

    /** {@code DELETE /v1/runs/{id}/artifacts}: deletes the run's output files; returns the HTTP status. */
    public int deleteArtifacts(String runId) {
        return call("DELETE", api("runs/" + encode(runId) + "/artifacts"), null, true)
                .statusCode();
    }

    /** Every item of the run, following pagination until a short page. */
    public List<JsonNode> items(String runId) {
        List<JsonNode> items = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode batch = get("runs/" + encode(runId) + "/items?page=" + page + "&page_size=" + PAGE_SIZE);
            batch.forEach(items::add);
            if (batch.size() < PAGE_SIZE) {
                return items;
            }
        }
    }

    public JsonNode item(String runId, String externalId) {
        return get("runs/" + encode(runId) + "/items/" + encode(externalId));
    }

    /**
     * Downloads an output artifact: the API must answer a redirect with a {@code Location}; that URL is fetched
     * without credentials into {@code target}, and the file's CRC32C must equal {@code expectedChecksum}, otherwise
     * the file is deleted and the download fails.
     *
     * @return the redirect's status and target, and the verified file
     */
    public ArtifactDownload downloadArtifact(String runId, String artifactId, String expectedChecksum, Path target) {
        URI endpoint = api("runs/" + encode(runId) + "/artifacts/" + encode(artifactId) + "/file");
        HttpResponse<String> redirect = call("GET", endpoint, null, true);
        if (redirect.statusCode() < 300 || redirect.statusCode() > 399) {
            throw new ApiException(
                    "GET " + endpoint + " (expected a redirect)", redirect.statusCode(), redirect.body());
        }
        URI location = redirect.headers()
                .firstValue("Location")
                .map(endpoint::resolve)
                .orElseThrow(() -> new ApiException(
                        "GET " + endpoint + " answered " + redirect.statusCode() + " without a Location header"));
        HttpRequest fetch = HttpRequest.newBuilder(location)
                .timeout(Duration.ofMinutes(10))
                .GET()
                .build();
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            HttpResponse<InputStream> response = http.send(fetch, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body;
                try (InputStream in = response.body()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                throw new ApiException(
                        "GET " + location.getPath() + " (signed artifact URL)", response.statusCode(), body);
            }
            CRC32C crc = new CRC32C();
            try (InputStream in = response.body();
                    OutputStream out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    crc.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
            }
            String actual = Crc32c.base64(crc.getValue());
            if (!actual.equals(expectedChecksum)) {
                Files.deleteIfExists(target);
                throw new ApiException("artifact " + artifactId + " of run " + runId + ": CRC32C " + actual
                        + " does not match checksum_base64_crc32c " + expectedChecksum + "; file deleted");
            }
            return new ArtifactDownload(redirect.statusCode(), location, target, actual);
        } catch (IOException e) {
            throw new UncheckedIOException("downloading artifact " + artifactId + " from " + location.getPath(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted while downloading artifact " + artifactId);
        }
    }

    /** Uploads a file with a plain PUT to a signed URL, as a client hands a slide to its bucket. */
    public void upload(URI signedPutUrl, Path file, String mediaType) {
        try {
            HttpRequest request = HttpRequest.newBuilder(signedPutUrl)
                    .timeout(Duration.ofMinutes(10))
                    .header("Content-Type", mediaType)
                    .PUT(HttpRequest.BodyPublishers.ofFile(file))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new ApiException("PUT " + signedPutUrl.getPath(), response.statusCode(), response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("uploading " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted while uploading " + file);
        }
    }

    /** A client identical to this one but with another user's token. */
    public DemoClient as(Supplier<String> otherToken) {
        return new DemoClient(apiRoot, otherToken);
    }

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    private JsonNode get(String path) {
        return send("GET", api(path), null, true, 200);
    }

    private URI api(String path) {
        return apiRoot.resolve("api/v1/" + path);
    }

    private JsonNode send(String method, URI uri, JsonNode body, boolean authenticated, int expectedStatus) {
        HttpResponse<String> response = call(method, uri, body, authenticated);
        if (response.statusCode() != expectedStatus) {
            throw new ApiException(method + " " + uri.getPath(), response.statusCode(), response.body());
        }
        try {
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new ApiException(method + " " + uri.getPath() + " answered malformed JSON: " + e.getMessage());
        }
    }

    private HttpResponse<String> call(String method, URI uri, JsonNode body, boolean authenticated) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        if (authenticated) {
            request.header("Authorization", "Bearer " + token.get());
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(method + " " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted during " + method + " " + uri);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
