package org.tessera.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A client of the {@link AccessServer}: bearer tokens for users and signed object-store URLs, over HTTP. */
public final class AccessClient {

    private final URI accessUrl;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public AccessClient(URI accessUrl) {
        String url = accessUrl.toString();
        this.accessUrl = URI.create(url.endsWith("/") ? url : url + "/");
    }

    public String token(String user) {
        return post("token?user=" + encode(user));
    }

    /** A URL signed for {@code method} (PUT or GET) on the object {@code key}. */
    public URI sign(String method, String key, Duration ttl) {
        return URI.create(post("sign?method=" + encode(method) + "&key=" + encode(key) + "&ttl_s=" + ttl.toSeconds()));
    }

    private String post(String pathAndQuery) {
        URI uri = accessUrl.resolve(pathAndQuery);
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new ApiException("POST " + uri.getPath(), response.statusCode(), response.body());
            }
            return response.body().strip();
        } catch (IOException e) {
            throw new ApiException("POST " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted during POST " + uri);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
