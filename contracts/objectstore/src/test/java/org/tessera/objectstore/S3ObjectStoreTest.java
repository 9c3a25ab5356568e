package org.tessera.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jclouds.blobstore.domain.Blob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The S3 backend against a real S3 API server in the JVM, with real HTTP for every signed URL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3ObjectStoreTest {

    private static final String BUCKET = "tessera-outputs";
    private static final String LAB_BUCKET = "northside-slides";

    private S3TestServer server;
    private S3ObjectStore store;
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path scratch;

    @BeforeAll
    void start() throws Exception {
        server = S3TestServer.start(BUCKET, LAB_BUCKET);
        store = S3ObjectStore.connect(
                server.settings(BUCKET)
                        .withUploadBuckets(
                                Map.of("northside", S3Settings.Location.parse(LAB_BUCKET + "/tessera", "test"))),
                Optional.empty());
        store.checkAccess();
    }

    @AfterAll
    void stop() throws Exception {
        store.close();
        server.close();
    }

    @Test
    void storedObjectsAreServedWholeAndByRangeThroughPresignedGets() throws Exception {
        byte[] bytes = new byte[64 * 1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path file = Files.write(scratch.resolve("map.tiff"), bytes);
        store.put("outputs/run-a/item-1/map.tiff", file, "image/tiff");

        assertThat(store.exists("outputs/run-a/item-1/map.tiff")).isTrue();
        assertThat(store.exists("outputs/run-a/item-1/absent.tiff")).isFalse();
        try (InputStream in = store.open("outputs/run-a/item-1/map.tiff")) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertThatThrownBy(() -> store.open("outputs/run-a/item-1/absent.tiff"))
                .isInstanceOf(NoSuchFileException.class);

        URI link = store.presignGet("outputs/run-a/item-1/map.tiff", Duration.ofMinutes(5));
        assertThat(link.toString()).startsWith(server.endpoint() + "/" + BUCKET + "/outputs/run-a/item-1/map.tiff?");
        assertThat(link.getRawQuery()).contains("X-Amz-Signature=", "X-Amz-Expires=300");
        HttpResponse<byte[]> whole =
                http.send(HttpRequest.newBuilder(link).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body()).isEqualTo(bytes);
        assertThat(whole.headers().firstValue("Content-Type")).hasValue("image/tiff");

        HttpResponse<byte[]> range = http.send(
                HttpRequest.newBuilder(link).header("Range", "bytes=1000-1999").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(range.statusCode()).isEqualTo(206);
        assertThat(range.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1000, 2000));

        URI download = store.presignGet(
                "outputs/run-a/item-1/map.tiff",
                Duration.ofMinutes(5),
                ResponseHeaders.attachment("application/octet-stream", "slide map.tiff"));
        HttpResponse<byte[]> attachment =
                http.send(HttpRequest.newBuilder(download).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(attachment.statusCode()).isEqualTo(200);
        assertThat(attachment.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"slide map.tiff\"");

        // The signature covers the key: the same query on another key is refused.
        URI forged = URI.create(link.toString().replace("map.tiff?", "other.tiff?"));
        assertThat(http.send(HttpRequest.newBuilder(forged).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void aClientUploadsThroughAPresignedPutWithAPlainHttpClientIntoItsOrganizationsBucket() throws Exception {
        String key = "uploads/northside/user-1/upload-1/slide.svs";
        URI put = store.presignPut(key, Duration.ofMinutes(5));
        assertThat(put.toString()).startsWith(server.endpoint() + "/" + LAB_BUCKET + "/tessera/" + key + "?");
        HttpResponse<String> uploaded = http.send(
                HttpRequest.newBuilder(put)
                        .header("Content-Type", "image/tiff")
                        .PUT(HttpRequest.BodyPublishers.ofString("slide bytes"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);

        assertThat(server.keys(LAB_BUCKET)).contains("tessera/" + key);
        assertThat(server.keys(BUCKET)).doesNotContain(key);
        HttpResponse<String> back = http.send(
                HttpRequest.newBuilder(store.presignGet(key, Duration.ofMinutes(5)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(back.body()).isEqualTo("slide bytes");

        // An organization without its own bucket uploads into the platform's.
        String demoKey = "uploads/demo/user-2/upload-2/slide.svs";
        HttpResponse<String> demo = http.send(
                HttpRequest.newBuilder(store.presignPut(demoKey, Duration.ofMinutes(5)))
                        .PUT(HttpRequest.BodyPublishers.ofString("demo bytes"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(demo.statusCode()).isEqualTo(200);
        assertThat(server.keys(BUCKET)).contains(demoKey);

        // A link signed for PUT does not read, and one signed for GET does not write.
        assertThat(http.send(HttpRequest.newBuilder(put).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode())
                .isEqualTo(403);
    }

    @Test
    void anExpiredLinkIsRefused() throws Exception {
        Path file = Files.writeString(scratch.resolve("short.json"), "{}");
        store.put("outputs/run-b/item-1/short.json", file, "application/json");
        URI link = store.presignGet("outputs/run-b/item-1/short.json", Duration.ofSeconds(1));
        HttpRequest get = HttpRequest.newBuilder(link).build();

        await("the one-second link to expire")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> http.send(get, HttpResponse.BodyHandlers.ofString()), r -> r.statusCode() == 403);
        assertThat(http.send(
                                HttpRequest.newBuilder(store.presignGet(
                                                "outputs/run-b/item-1/short.json", Duration.ofMinutes(1)))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .as("a fresh link to the same object")
                .isEqualTo(200);
    }

    @Test
    void deletingARunsOutputsPagesThroughMoreThanOneBatchAndSparesTheRunWhoseIdItPrefixes() throws Exception {
        int outputs = S3ObjectStore.DELETE_BATCH + 205;
        IntStream.range(0, outputs).forEach(i -> putDirectly(BUCKET, "outputs/run-1/item-" + i + "/cells.json"));
        List.of("outputs/run-10/item-0/cells.json", "outputs/run-10/item-1/cells.json")
                .forEach(key -> putDirectly(BUCKET, key));

        assertThat(store.deletePrefix("outputs/run-1/")).isEqualTo(outputs);

        assertThat(server.keys(BUCKET).stream().filter(k -> k.startsWith("outputs/run-1")))
                .containsExactlyInAnyOrder("outputs/run-10/item-0/cells.json", "outputs/run-10/item-1/cells.json");
        assertThat(store.deletePrefix("outputs/run-1/")).isZero();
        assertThat(store.delete("outputs/run-10/item-0/cells.json")).isTrue();
        assertThat(store.delete("outputs/run-10/item-0/cells.json")).isFalse();
    }

    @Test
    void withoutMultiObjectDeleteObjectsAreDeletedOneByOne() throws Exception {
        try (S3ObjectStore gcsLike =
                S3ObjectStore.connect(server.settings(BUCKET).withBatchDelete(false), Optional.empty())) {
            IntStream.range(0, 3).forEach(i -> putDirectly(BUCKET, "documents/app/" + i + ".md"));
            assertThat(gcsLike.deletePrefix("documents/app/")).isEqualTo(3);
            assertThat(server.keys(BUCKET)).noneMatch(k -> k.startsWith("documents/app/"));
        }
    }

    @Test
    void aWorkersScopeWritesAndReadsOutputsOnly() throws Exception {
        try (S3ObjectStore worker =
                S3ObjectStore.connect(server.settings(BUCKET), Optional.of(SigningScope.WORKER_OUTPUT))) {
            worker.checkAccess();
            Path file = Files.writeString(scratch.resolve("w.json"), "{\"ok\":true}");
            worker.put("outputs/run-w/item-1/w.json", file, "application/json");
            assertThat(worker.presignPut("outputs/run-w/item-1/x.json", Duration.ofMinutes(1)))
                    .isNotNull();

            assertThatThrownBy(() -> worker.presignGet("uploads/demo/u/1/slide.svs", Duration.ofMinutes(1)))
                    .hasMessageContaining("worker-output")
                    .hasMessageContaining("GET uploads/demo/u/1/slide.svs");
            assertThatThrownBy(() -> worker.put("documents/app/guide.md", file, "text/markdown"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> worker.delete("outputs/run-w/item-1/w.json"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> worker.deletePrefix("outputs/run-w/"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(store.exists("outputs/run-w/item-1/w.json")).isTrue();
    }

    @Test
    void wrongCredentialsAMissingBucketAndAnUnreachableEndpointAreNamedAtTheCheck() throws Exception {
        try (S3ObjectStore wrongSecret = S3ObjectStore.connect(
                server.settings(BUCKET).withCredentials(S3TestServer.ACCESS_KEY_ID, "not-the-secret-0123456789"),
                Optional.empty())) {
            assertThatThrownBy(wrongSecret::checkAccess)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("refused this service's S3 credentials")
                    .hasMessageContaining(S3Settings.SECRET_ACCESS_KEY);
        }
        try (S3ObjectStore unknownKey = S3ObjectStore.connect(
                server.settings(BUCKET).withCredentials("nobody", S3TestServer.SECRET_ACCESS_KEY), Optional.empty())) {
            assertThatThrownBy(unknownKey::checkAccess).hasMessageContaining(S3Settings.ACCESS_KEY_ID);
        }
        try (S3ObjectStore noBucket = S3ObjectStore.connect(server.settings("no-such-bucket"), Optional.empty())) {
            assertThatThrownBy(noBucket::checkAccess)
                    .hasMessageContaining("'no-such-bucket' does not exist")
                    .hasMessageContaining("TESSERA_OBJECTSTORE_S3_BUCKET");
        }
        try (S3ObjectStore noLabBucket = S3ObjectStore.connect(
                server.settings(BUCKET)
                        .withUploadBuckets(Map.of("northside", S3Settings.Location.parse("gone-bucket", "test"))),
                Optional.of(SigningScope.ORCHESTRATOR))) {
            assertThatThrownBy(noLabBucket::checkAccess)
                    .hasMessageContaining("'gone-bucket' does not exist")
                    .hasMessageContaining(S3Settings.UPLOAD_BUCKETS)
                    .hasMessageContaining("northside");
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (S3ObjectStore unreachable = S3ObjectStore.connect(
                server.settings(BUCKET).withEndpoint(URI.create("http://127.0.0.1:" + closedPort), true),
                Optional.empty())) {
            assertThatThrownBy(unreachable::checkAccess)
                    .hasMessageContaining("cannot reach the S3 store at http://127.0.0.1:" + closedPort)
                    .hasMessageContaining("TESSERA_OBJECTSTORE_S3_ENDPOINT");
        }
    }

    private void putDirectly(String bucket, String key) {
        Blob blob = server.blobs()
                .blobBuilder(key)
                .payload(key.getBytes(StandardCharsets.UTF_8))
                .build();
        server.blobs().putBlob(bucket, blob);
    }
}
