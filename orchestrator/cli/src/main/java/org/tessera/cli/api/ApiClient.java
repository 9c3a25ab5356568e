package org.tessera.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.tessera.cli.CliException;
import org.tessera.cli.ExitCode;

/**
 * The platform's REST API as the command-line client uses it: bearer token on every call, snake_case JSON, errors
 * turned into a {@link CliException} whose message is the API's {@code detail} and whose exit code follows the HTTP
 * status. Reads are retried on network errors and 5xx with backoff, as the API's clients do; 4xx never are.
 */
public final class ApiClient {

    public static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final int READ_ATTEMPTS = 4;
    private static final int PAGE_SIZE = 100;

    private final URI root;
    private final Supplier<String> token;
    private final HttpClient http;

    /** @param root e.g. {@code http://127.0.0.1:8180}; calls go to {@code <root>/api/v1/...} */
    public ApiClient(URI root, Supplier<String> token) {
        String text = root.toString();
        this.root = URI.create(text.endsWith("/") ? text : text + "/");
        this.token = token;
        // The artifact endpoint's redirect must be seen: its target is fetched without the bearer token.
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI root() {
        return root;
    }

    public HttpClient http() {
        return http;
    }

    /** {@code GET /health}: the platform's status, {@code UP} when it takes runs. */
    public String health() {
        HttpResponse<String> response = call("GET", root.resolve("health"), null, false, true);
        try {
            return JSON.readTree(response.body()).path("status").asText("UNKNOWN");
        } catch (IOException e) {
            return "UNKNOWN";
        }
    }

    public JsonNode get(String path) {
        return json("GET " + path, call("GET", api(path), null, true, true), 200);
    }

    /** Every element of a paginated list, following pages until a short one. */
    public List<JsonNode> getAll(String path, String pageSizeParameter) {
        List<JsonNode> all = new ArrayList<>();
        String separator = path.contains("?") ? "&" : "?";
        for (int page = 1; ; page++) {
            JsonNode batch = get(path + separator + "page=" + page + "&" + pageSizeParameter + "=" + PAGE_SIZE);
            batch.forEach(all::add);
            if (batch.size() < PAGE_SIZE) {
                return all;
            }
        }
    }

    public JsonNode post(String path, JsonNode body, int expectedStatus) {
        return json("POST " + path, call("POST", api(path), body, true, false), expectedStatus);
    }

    /** A call whose answer has no body worth reading; returns the status after checking it is one of {@code ok}. */
    public int send(String method, String path, int... ok) {
        HttpResponse<String> response = call(method, api(path), null, true, false);
        for (int status : ok) {
            if (response.statusCode() == status) {
                return status;
            }
        }
        throw failure(method + " " + path, response);
    }

    /** The {@code Location} of a redirect the API answers (the artifact download endpoint's 307). */
    public URI redirect(String path) {
        URI endpoint = api(path);
        HttpResponse<String> response = call("GET", endpoint, null, true, true);
        if (response.statusCode() / 100 != 3) {
            throw failure("GET " + path, response);
        }
        return response.headers()
                .firstValue("Location")
                .map(endpoint::resolve)
                .orElseThrow(() -> new CliException(
                        ExitCode.UNAVAILABLE,
                        "GET " + path + " answered " + response.statusCode() + " without a Location"));
    }

    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private URI api(String path) {
        return root.resolve("api/v1/" + path);
    }

    private static JsonNode json(String what, HttpResponse<String> response, int expectedStatus) {
        if (response.statusCode() != expectedStatus) {
            throw failure(what, response);
        }
        try {
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(ExitCode.UNAVAILABLE, what + " answered malformed JSON: " + e.getMessage());
        }
    }

    /** The API's error as the user should read it: its {@code detail} (each field error for a 422) and code. */
    public static CliException failure(String what, HttpResponse<String> response) {
        int status = response.statusCode();
        String detail = response.body() == null ? "" : response.body().strip();
        String code = null;
        try {
            JsonNode body = JSON.readTree(detail);
            code = body.path("code").isTextual() ? body.path("code").asText() : null;
            JsonNode details = body.path("detail");
            if (details.isTextual()) {
                detail = details.asText();
            } else if (details.isArray()) {
                List<String> messages = new ArrayList<>();
                details.forEach(error -> messages.add(error.path("msg").asText(error.toString())));
                detail = String.join("; ", messages);
            }
        } catch (IOException | RuntimeException e) {
            // Not the API's JSON error body (a proxy's page, say): show it as it came.
        }
        String hint = switch (status) {
            case 401 -> " (sign in again: tessera login, or pass --token)";
            default -> "";
        };
        return new CliException(
                ExitCode.forHttpStatus(status),
                code,
                what + ": " + status + (detail.isEmpty() ? "" : " " + detail) + (code == null ? "" : " [" + code + "]")
                        + hint);
    }

    private HttpResponse<String> call(String method, URI uri, JsonNode body, boolean authenticated, boolean retry) {
        int attempts = retry ? READ_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                HttpResponse<String> response =
                        http.send(request(method, uri, body, authenticated), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() >= 500 && attempt < attempts) {
                    backoff(attempt);
                    continue;
                }
                return response;
            } catch (IOException e) {
                if (attempt >= attempts) {
                    throw new CliException(
                            ExitCode.UNAVAILABLE,
                            "cannot reach the platform at " + root + " (" + method + " " + uri.getPath() + "): "
                                    + (e instanceof ConnectException ? "connection refused" : e.toString()),
                            e);
                }
                backoff(attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CliException(ExitCode.INTERRUPTED, "interrupted");
            }
        }
    }

    private HttpRequest request(String method, URI uri, JsonNode body, boolean authenticated) throws IOException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        if (authenticated) {
            request.header("Authorization", "Bearer " + token.get());
        }
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        return request.build();
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(250L << Math.min(attempt, 5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.INTERRUPTED, "interrupted");
        }
    }
}
