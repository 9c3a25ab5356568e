package org.tessera.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An object store reached over HTTP through URLs this service signs itself (it holds the shared signing key), for
 * services that do not share a filesystem with the {@link ObjectStoreServer}.
 */
public final class HttpObjectStore extends SigningObjectStore {

    /** Signed URLs used internally only live as long as one request may take. */
    private static final Duration INTERNAL_TTL = Duration.ofMinutes(15);

    private final HttpClient http;

    public HttpObjectStore(UrlSigner signer) {
        super(signer);
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public void put(String key, Path file, String mediaType) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(signer.sign("PUT", key, INTERNAL_TTL))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofFile(file))
                .build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        expectSuccess("PUT", key, response.statusCode(), response.body());
    }

    @Override
    public InputStream open(String key) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(signer.sign("GET", key, INTERNAL_TTL))
                .GET()
                .build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 404) {
            response.body().close();
            throw new NoSuchFileException(key);
        }
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readNBytes(512), java.nio.charset.StandardCharsets.UTF_8);
            }
            expectSuccess("GET", key, response.statusCode(), body);
        }
        return response.body();
    }

    @Override
    public boolean exists(String key) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(signer.sign("GET", key, INTERNAL_TTL))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build();
        int status = send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 404) {
            return false;
        }
        expectSuccess("HEAD", key, status, "");
        return true;
    }

    @Override
    public boolean delete(String key) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(signer.sign("DELETE", key, INTERNAL_TTL))
                .DELETE()
                .build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return false;
        }
        expectSuccess("DELETE", key, response.statusCode(), response.body());
        return true;
    }

    @Override
    public int deletePrefix(String prefix) throws IOException {
        ObjectKeys.requireValidPrefix(prefix);
        HttpRequest request = HttpRequest.newBuilder(signer.signDeletePrefix(prefix, INTERNAL_TTL))
                .DELETE()
                .build();
        HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
        expectSuccess("DELETE", prefix, response.statusCode(), response.body());
        return Integer.parseInt(response.body().trim());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to the object store", e);
        }
    }

    private static void expectSuccess(String method, String key, int status, String body) throws IOException {
        if (status / 100 != 2) {
            throw new IOException("object store refused " + method + " " + key + ": HTTP " + status + " " + body);
        }
    }
}
