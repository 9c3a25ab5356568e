package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.tessera.objectstore.S3ObjectStore;
import org.tessera.objectstore.S3Settings;

/**
 * The platform with {@code tessera.objectstore.backend=s3}: the orchestrator and a worker from their packaged jars,
 * both pointed at a real S3 API (s3proxy) in this JVM. A client uploads one small slide with a presigned PUT, the worker
 * writes its outputs to the bucket, the orchestrator answers every artifact download with a 307 to a presigned S3 URL,
 * and deleting the run's outputs empties its prefix in the bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3EndToEndTest {

    private static final String BUCKET = "tessera-e2e";
    private static final String ACCESS_KEY_ID = "tessera-e2e";
    private static final String SECRET_ACCESS_KEY = "tessera-e2e-secret-0123456789";
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    private BlobStoreContext blobs;
    private S3Proxy s3;
    private S3ObjectStore client;
    private LocalStack stack;
    private DemoClient member;
    private Path work;

    @BeforeAll
    void start() throws Exception {
        blobs = ContextBuilder.newBuilder("transient")
                .credentials("unused", "unused")
                .build(BlobStoreContext.class);
        blobs.getBlobStore().createContainerInLocation(null, BUCKET);
        s3 = S3Proxy.builder()
                .blobStore(blobs.getBlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
                // The SDK adds x-amz-checksum-crc32 to multi-object deletes beside Content-MD5; s3proxy refuses
                // headers it does not know unless told otherwise (AWS, MinIO and Ceph accept it).
                .ignoreUnknownHeaders(true)
                .build();
        s3.start();
        URI endpoint = URI.create("http://127.0.0.1:" + s3.getPort());
        Map<String, String> objectStore = new HashMap<>();
        objectStore.put("tessera.objectstore.backend", "s3");
        objectStore.put(S3Settings.BUCKET, BUCKET);
        objectStore.put(S3Settings.REGION, "us-east-1");
        objectStore.put(S3Settings.ENDPOINT, endpoint.toString());
        objectStore.put(S3Settings.PATH_STYLE, "true");
        objectStore.put(S3Settings.ACCESS_KEY_ID, ACCESS_KEY_ID);
        objectStore.put(S3Settings.SECRET_ACCESS_KEY, SECRET_ACCESS_KEY);

        Path root = EndToEnd.projectRoot();
        Path stateDir = root.resolve("deploy/local-stack/launcher/target/e2e-s3-stack");
        work = Files.createDirectories(stateDir.resolve("work"));
        stack = LocalStack.start(StackOptions.defaults(root, stateDir)
                .withStartTimeout(Duration.ofMinutes(3))
                .withOrchestratorConfig(objectStore)
                .withWorkerConfig(objectStore));
        member = new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        // The client's own signing, as a client with the organization's bucket keys does.
        client = S3ObjectStore.connect(
                S3Settings.of(BUCKET)
                        .withEndpoint(endpoint, true)
                        .withRegion("us-east-1")
                        .withCredentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY),
                Optional.empty());
    }

    @AfterAll
    void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (client != null) {
            client.close();
        }
        if (s3 != null) {
            s3.stop();
        }
        if (blobs != null) {
            blobs.close();
        }
    }

    @Test
    void theWorkerWritesOutputsToTheBucketAndDownloadsRedirectToPresignedS3Urls() throws IOException {
        String uploads = "uploads/demo/" + UUID.randomUUID();
        SlideSet slides = SlideSet.generate(
                        work.resolve("slides"), List.of(SlideSet.Spec.good("s3-1", 1024, 768, 0.5)), 5L)
                .upload(member, SlideSet.UrlSigning.of(client), uploads);
        assertThat(keys(uploads)).hasSize(1);

        String runId = member.submitRun(slides.runRequest(Demo.APPLICATION, null));
        JsonNode run = EndToEnd.awaitTerminated(member, runId, RUN_TIMEOUT);
        assertThat(run.path("termination_reason").asText()).isEqualTo("ALL_ITEMS_PROCESSED");
        assertThat(run.path("output").asText()).isEqualTo("FULL");

        List<String> outputs = keys("outputs/" + runId + "/");
        assertThat(outputs).isNotEmpty();
        List<ResultDownloader.Download> downloads =
                ResultDownloader.downloadAll(member, runId, work.resolve("results"));
        assertThat(downloads).hasSize(outputs.size());
        JsonNode item = member.items(runId).getFirst();
        for (ResultDownloader.Download download : downloads) {
            assertThat(download.download().redirectStatus()).isEqualTo(307);
            assertThat(download.download().location().toString())
                    .startsWith("http://127.0.0.1:" + s3.getPort() + "/" + BUCKET + "/outputs/" + runId + "/")
                    .contains("X-Amz-Signature=");
            assertThat(EndToEnd.checksumOf(download.file()))
                    .isEqualTo(EndToEnd.statedChecksum(item, download.artifactName()));
        }

        assertThat(member.deleteArtifacts(runId)).isBetween(200, 204);
        assertThat(keys("outputs/" + runId + "/")).isEmpty();
        assertThat(keys(uploads)).as("the client's upload is the client's").hasSize(1);
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        for (StorageMetadata metadata : blobs.getBlobStore()
                .list(BUCKET, ListContainerOptions.Builder.prefix(prefix).recursive())) {
            keys.add(metadata.getName());
        }
        return keys;
    }
}
