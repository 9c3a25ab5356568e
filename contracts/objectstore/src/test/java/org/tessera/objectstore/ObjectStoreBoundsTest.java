package org.tessera.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object store's limits and key scopes, over real HTTP against a running {@link ObjectStoreServer}. */
class ObjectStoreBoundsTest {

    private static final String MASTER = "0123456789abcdef0123456789abcdef";
    private static final long MAX_UPLOAD = 1024;
    private static final Duration MAX_EXPIRY = Duration.ofHours(1);

    @TempDir
    Path root;

    private ObjectStoreServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = ObjectStoreServer.start(
                root,
                MASTER,
                new InetSocketAddress("127.0.0.1", 0),
                null,
                new ObjectStoreServer.Limits(MAX_UPLOAD, MAX_EXPIRY));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    private UrlSigner master() {
        return new UrlSigner(MASTER, baseUrl(), Clock.systemUTC());
    }

    private UrlSigner scoped(SigningScope scope) {
        return new UrlSigner(scope.deriveKey(MASTER), Optional.of(scope), baseUrl(), Clock.systemUTC());
    }

    private HttpResponse<String> put(URI url, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(url)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(URI url, String method) throws Exception {
        return http.send(
                HttpRequest.newBuilder(url)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void store(String key) throws IOException {
        server.store().write(key, new ByteArrayInputStream(new byte[] {7}));
    }

    @Test
    void uploadLargerThanTheLimitIsRefusedAndNothingIsStored() throws Exception {
        URI url = master().sign("PUT", "uploads/demo/big.tiff", Duration.ofMinutes(5));

        HttpResponse<String> refused = put(url, new byte[(int) MAX_UPLOAD + 1]);

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("exceeds this object store's limit of 1024 bytes");
        assertThat(root.resolve("uploads/demo/big.tiff")).doesNotExist();
        assertThat(put(url, new byte[(int) MAX_UPLOAD]).statusCode()).isEqualTo(200);
        assertThat(Files.size(root.resolve("uploads/demo/big.tiff"))).isEqualTo(MAX_UPLOAD);
    }

    @Test
    void uploadWithoutContentLengthIsCutOffAtTheLimit() throws Exception {
        URI url = master().sign("PUT", "uploads/demo/streamed.tiff", Duration.ofMinutes(5));
        byte[] body = new byte[(int) MAX_UPLOAD * 4];
        // ofInputStream sends chunked, so the server only learns the size by counting.
        HttpRequest request = HttpRequest.newBuilder(url)
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
        } catch (IOException connectionClosedWhileSending) {
            // The server may answer and close before the client finished sending; either way nothing is stored.
        }
        assertThat(root.resolve("uploads/demo/streamed.tiff")).doesNotExist();
        try (var files = Files.list(root.resolve("uploads/demo"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void urlExpiringFurtherAheadThanTheLimitIsRefused() throws Exception {
        store("outputs/r/i/a.csv");
        URI tooLong = master().sign("GET", "outputs/r/i/a.csv", MAX_EXPIRY.plusMinutes(5));
        HttpResponse<String> refused = send(tooLong, "GET");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("expires more than PT1H from now");

        URI withinLimit = master().sign("GET", "outputs/r/i/a.csv", MAX_EXPIRY.minusMinutes(1));
        assertThat(send(withinLimit, "GET").statusCode()).isEqualTo(200);
    }

    @Test
    void prefixModeIsCoveredByTheSignature() throws Exception {
        store("outputs/run-1/item/a.csv");
        store("outputs/run-10/item/a.csv");
        URI folder = master().signDeletePrefix("outputs/run-1/", Duration.ofMinutes(5));
        assertThat(folder.getRawQuery()).contains("prefix=dir");

        // The same URL as a text prefix would also delete outputs/run-10/...
        URI asText = URI.create(folder.toString().replace("prefix=dir", "prefix=text"));
        HttpResponse<String> refused = send(asText, "DELETE");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("signature does not match");
        assertThat(root.resolve("outputs/run-10/item/a.csv")).exists();
        assertThat(root.resolve("outputs/run-1/item/a.csv")).exists();

        HttpResponse<String> deleted = send(folder, "DELETE");
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).isEqualTo("1");
        assertThat(root.resolve("outputs/run-1/item/a.csv")).doesNotExist();
        assertThat(root.resolve("outputs/run-10/item/a.csv")).exists();
    }

    @Test
    void workerKeySignsOnlyOutputUploadsAndReads() throws Exception {
        UrlSigner worker = scoped(SigningScope.WORKER_OUTPUT);
        URI upload = worker.sign("PUT", "outputs/r/i/map.tiff", Duration.ofMinutes(5));
        assertThat(upload.getRawQuery()).contains("scope=worker-output");
        assertThat(put(upload, "map".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        assertThat(send(worker.sign("GET", "outputs/r/i/map.tiff", Duration.ofMinutes(5)), "GET")
                        .body())
                .isEqualTo("map");

        assertThatThrownBy(() -> worker.sign("GET", "uploads/demo/slide.tiff", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scope worker-output cannot sign GET uploads/demo/slide.tiff");
        assertThatThrownBy(() -> worker.sign("DELETE", "outputs/r/i/map.tiff", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> worker.signDeletePrefix("outputs/r/", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void serverRefusesWhatAScopedKeyMustNotSignEvenWhenItsHolderTries() throws Exception {
        store("uploads/demo/slide.tiff");
        store("documents/app/1.0.0/guide");
        // A worker that signs outside its scope by hand, with its own key and the scope it holds.
        UrlSigner workerAsMaster =
                new UrlSigner(SigningScope.WORKER_OUTPUT.deriveKey(MASTER), baseUrl(), Clock.systemUTC());
        for (var attempt : java.util.List.of(
                new String[] {"GET", "uploads/demo/slide.tiff"},
                new String[] {"PUT", "documents/app/1.0.0/guide"},
                new String[] {"DELETE", "outputs/r/i/map.tiff"})) {
            String url = workerAsMaster
                    .sign(attempt[0], attempt[1], Duration.ofMinutes(5))
                    .toString();
            URI withScope = URI.create(url.replace("&signature=", "&scope=worker-output&signature="));
            HttpResponse<String> refused =
                    attempt[0].equals("PUT") ? put(withScope, new byte[] {1}) : send(withScope, attempt[0]);
            assertThat(refused.statusCode()).as(attempt[0] + " " + attempt[1]).isEqualTo(403);
            assertThat(refused.body()).contains("scope worker-output does not allow " + attempt[0]);
            // Without the scope parameter the worker's key is not the master key: the signature does not match.
            HttpResponse<String> unscoped =
                    attempt[0].equals("PUT") ? put(URI.create(url), new byte[] {1}) : send(URI.create(url), attempt[0]);
            assertThat(unscoped.statusCode()).isEqualTo(403);
            assertThat(unscoped.body()).contains("signature does not match");
        }
        assertThat(Files.readAllBytes(root.resolve("documents/app/1.0.0/guide")))
                .containsExactly(7);
        assertThat(root.resolve("uploads/demo/slide.tiff")).exists();
    }

    @Test
    void aScopeNameCannotBeSwappedForAWiderOne() throws Exception {
        store("documents/app/1.0.0/guide");
        URI forged = URI.create(scoped(SigningScope.WORKER_OUTPUT)
                .sign("PUT", "outputs/r/i/x.csv", Duration.ofMinutes(5))
                .toString()
                .replace("outputs/r/i/x.csv", "documents/app/1.0.0/guide")
                .replace("scope=worker-output", "scope=orchestrator"));
        HttpResponse<String> refused = put(forged, new byte[] {1});
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Files.readAllBytes(root.resolve("documents/app/1.0.0/guide")))
                .containsExactly(7);

        URI unknown = URI.create(scoped(SigningScope.WORKER_OUTPUT)
                .sign("GET", "outputs/r/i/x.csv", Duration.ofMinutes(5))
                .toString()
                .replace("scope=worker-output", "scope=everything"));
        assertThat(send(unknown, "GET").body()).contains("unknown scope everything");
    }

    @Test
    void orchestratorKeyLinksOutputsAndClientUploadsButNeverWritesOutputs() throws Exception {
        store("outputs/run-1/item/a.csv");
        store("uploads/demo/slide.tiff");
        ObjectStore orchestrator = ObjectStores.create(new ObjectStoreSettings(
                Optional.empty(),
                baseUrl(),
                SigningScope.ORCHESTRATOR.deriveKey(MASTER),
                Optional.of(SigningScope.ORCHESTRATOR)));

        assertThat(send(orchestrator.presignGet("outputs/run-1/item/a.csv", Duration.ofMinutes(5)), "GET")
                        .statusCode())
                .isEqualTo(200);
        assertThat(send(orchestrator.presignGet("uploads/demo/slide.tiff", Duration.ofMinutes(5)), "GET")
                        .statusCode())
                .isEqualTo(200);
        assertThatThrownBy(() -> orchestrator.presignGet("private/other-org/slide.svs", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> orchestrator.presignPut("outputs/run-1/item/a.csv", Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class);
        Path file = Files.writeString(root.resolve("../guide-" + System.nanoTime()), "# guide");
        orchestrator.put("documents/app/1.0.0/guide", file, "text/markdown");
        try (InputStream in = orchestrator.open("documents/app/1.0.0/guide")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("# guide");
        }
        Files.delete(file);
        assertThat(orchestrator.deletePrefix("outputs/run-1/")).isEqualTo(1);
        assertThat(root.resolve("uploads/demo/slide.tiff")).exists();
    }

    @Test
    void aSignerWithoutAKeyNamesTheSetting() {
        assertThatThrownBy(() -> new UrlSigner("", baseUrl(), Clock.systemUTC()))
                .hasMessageContaining("TESSERA_OBJECTSTORE_SIGNING_KEY");
    }
}
