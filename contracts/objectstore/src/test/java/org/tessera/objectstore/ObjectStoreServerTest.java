package org.tessera.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectStoreServerTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path root;

    @TempDir
    Path scratch;

    private ObjectStoreServer server;
    private ObjectStore remote;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = ObjectStoreServer.start(root, KEY, new InetSocketAddress("127.0.0.1", 0), null);
        remote = ObjectStores.create(new ObjectStoreSettings(Optional.empty(), baseUrl(), KEY));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Test
    void uploadsThroughSignedPutAndDownloadsThroughSignedGet() throws Exception {
        URI put = remote.presignPut("inputs/org-1/slide:1.tiff", Duration.ofMinutes(5));
        HttpResponse<String> uploaded = http.send(
                HttpRequest.newBuilder(put)
                        .PUT(HttpRequest.BodyPublishers.ofString("pixels"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).isEqualTo(200);

        URI get = remote.presignGet("inputs/org-1/slide:1.tiff", Duration.ofMinutes(5));
        HttpResponse<String> downloaded =
                http.send(HttpRequest.newBuilder(get).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo("pixels");
        assertThat(downloaded.headers().firstValue("Content-Type")).contains("image/tiff");
        assertThat(Files.readString(root.resolve("inputs/org-1/slide:1.tiff"))).isEqualTo("pixels");
    }

    @Test
    void answersByteRangesAsCloudStorageDoes() throws Exception {
        byte[] content = new byte[100_000];
        new java.util.Random(3).nextBytes(content);
        server.store().write("inputs/org-1/big.svs", new java.io.ByteArrayInputStream(content));
        URI get = remote.presignGet("inputs/org-1/big.svs", Duration.ofMinutes(5));
        HttpResponse<byte[]> part = http.send(
                HttpRequest.newBuilder(get).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).contains("bytes 1000-1999/100000");
        assertThat(part.headers().firstValue("ETag")).isPresent();
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 1000, 2000));
        HttpResponse<byte[]> tail = http.send(
                HttpRequest.newBuilder(get)
                        .header("Range", "bytes=99990-200000")
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(tail.headers().firstValue("Content-Range")).contains("bytes 99990-99999/100000");
        assertThat(tail.body()).hasSize(10);
        HttpResponse<byte[]> beyond = http.send(
                HttpRequest.newBuilder(get).header("Range", "bytes=100000-").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(beyond.statusCode()).isEqualTo(416);
    }

    @Test
    void tamperedSignatureIsForbidden() throws Exception {
        server.store().write("outputs/a.csv", new java.io.ByteArrayInputStream(new byte[] {1}));
        String signed =
                remote.presignGet("outputs/a.csv", Duration.ofMinutes(5)).toString();
        String tampered = signed.substring(0, signed.length() - 2) + (signed.endsWith("A") ? "BB" : "AA");

        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(URI.create(tampered)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("signature does not match");
    }

    @Test
    void urlSignedForAnotherKeyOrMethodIsForbidden() throws Exception {
        server.store().write("outputs/a.csv", new java.io.ByteArrayInputStream(new byte[] {1}));
        String forA = remote.presignGet("outputs/a.csv", Duration.ofMinutes(5)).toString();
        URI forB = URI.create(forA.replace("outputs/a.csv", "outputs/b.csv"));
        assertThat(http.send(HttpRequest.newBuilder(forB).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<String> putWithGetUrl = http.send(
                HttpRequest.newBuilder(URI.create(forA))
                        .PUT(HttpRequest.BodyPublishers.ofString("overwrite"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(putWithGetUrl.statusCode()).isEqualTo(403);
        assertThat(Files.readAllBytes(root.resolve("outputs/a.csv"))).containsExactly(1);
    }

    @Test
    void signedResponseHeadersAreServedAndCannotBeChanged() throws Exception {
        String key = "documents/he-tme/1.0.0/user-guide";
        server.store().write(key, new java.io.ByteArrayInputStream("# Guide".getBytes(StandardCharsets.UTF_8)));
        String signed = remote.presignGet(
                        key,
                        Duration.ofMinutes(5),
                        ResponseHeaders.attachment("text/markdown; charset=utf-8", "user-guide.md"))
                .toString();

        HttpResponse<String> download =
                http.send(HttpRequest.newBuilder(URI.create(signed)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo("# Guide");
        assertThat(download.headers().firstValue("Content-Type")).contains("text/markdown; charset=utf-8");
        assertThat(download.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"user-guide.md\"");

        URI inline = URI.create(signed.replace("attachment", "inline"));
        assertThat(http.send(HttpRequest.newBuilder(inline).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);
        URI withoutDisposition = URI.create(signed.replaceAll("&response-content-disposition=[^&]*", ""));
        assertThat(http.send(HttpRequest.newBuilder(withoutDisposition).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(403);

        HttpResponse<String> plain = http.send(
                HttpRequest.newBuilder(remote.presignGet(key, Duration.ofMinutes(5)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(plain.headers().firstValue("Content-Disposition")).isEmpty();
    }

    @Test
    void attachmentNamesOutsideAsciiKeepAnAsciiFallback() {
        assertThat(ResponseHeaders.attachment("text/plain", "Befund \"ü\".md").contentDisposition())
                .isEqualTo("attachment; filename=\"Befund ___.md\"; filename*=UTF-8''Befund%20%22%C3%BC%22.md");
        assertThatThrownBy(() -> ResponseHeaders.contentType("text/plain\r\nX-Evil: 1"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expiredUrlIsForbidden() throws Exception {
        server.store().write("outputs/a.csv", new java.io.ByteArrayInputStream(new byte[] {1}));
        Clock anHourAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        URI expired = new UrlSigner(KEY, baseUrl(), anHourAgo).sign("GET", "outputs/a.csv", Duration.ofMinutes(5));

        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(expired).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("expired");
    }

    @Test
    void unsignedRequestIsForbidden() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/objects/outputs/a.csv"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void httpStoreSupportsTheWholeInterface() throws Exception {
        Path file = Files.writeString(scratch.resolve("map.csv"), "class,pixels\ntissue,42\n");
        remote.put("outputs/run/item/map.csv", file, "text/csv");
        remote.put("outputs/run/item/other.csv", file, "text/csv");
        remote.put("outputs/run/keep.csv", file, "text/csv");

        assertThat(remote.exists("outputs/run/item/map.csv")).isTrue();
        try (InputStream in = remote.open("outputs/run/item/map.csv")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("class,pixels");
        }
        assertThat(remote.deletePrefix("outputs/run/item/")).isEqualTo(2);
        assertThat(remote.exists("outputs/run/item/map.csv")).isFalse();
        assertThat(remote.exists("outputs/run/keep.csv")).isTrue();
        assertThat(remote.delete("outputs/run/keep.csv")).isTrue();
        assertThat(remote.delete("outputs/run/keep.csv")).isFalse();
        assertThatThrownBy(() -> remote.open("outputs/run/keep.csv")).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void repeatedPutReplacesTheObjectWhole() throws Exception {
        Path first = Files.writeString(scratch.resolve("first"), "a much longer first version");
        Path second = Files.writeString(scratch.resolve("second"), "short");
        remote.put("outputs/x.csv", first, "text/csv");
        remote.put("outputs/x.csv", second, "text/csv");
        try (InputStream in = remote.open("outputs/x.csv")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("short");
        }
        try (var files = Files.list(root.resolve("outputs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("x.csv");
        }
    }
}
