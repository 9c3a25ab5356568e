package org.tessera.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading {@code tessera.objectstore.backend} and {@code tessera.objectstore.s3.*}: every mistake names its setting. */
class S3SettingsTest {

    private static final URI PUBLIC = URI.create("http://127.0.0.1:9000");

    @Test
    void readsEverySetting() {
        S3Settings s3 = S3Settings.read(lookup(Map.of(
                "tessera.objectstore.s3.bucket", "tessera-prod/platform",
                "tessera.objectstore.s3.region", "eu-central-1",
                "tessera.objectstore.s3.endpoint", "https://minio.internal:9000",
                "tessera.objectstore.s3.presign-endpoint", "https://objects.example.org",
                "tessera.objectstore.s3.path-style", "true",
                "tessera.objectstore.s3.access-key-id", "AKIDEXAMPLE",
                "tessera.objectstore.s3.secret-access-key", "secret",
                "tessera.objectstore.s3.upload-buckets", "northside=northside-slides/tessera, demo=demo-slides",
                "tessera.objectstore.s3.batch-delete", "false")));

        assertThat(s3.bucket()).isEqualTo(new S3Settings.Location("tessera-prod", "platform"));
        assertThat(s3.region()).hasValue("eu-central-1");
        assertThat(s3.endpoint()).hasValue(URI.create("https://minio.internal:9000"));
        assertThat(s3.presignEndpoint()).hasValue(URI.create("https://objects.example.org"));
        assertThat(s3.pathStyle()).isTrue();
        assertThat(s3.batchDelete()).isFalse();
        assertThat(s3.credentials().orElseThrow().toString())
                .contains("AKIDEXAMPLE")
                .doesNotContain("secret");
        assertThat(s3.locationOf("outputs/r/i/map.tiff").s3Key("outputs/r/i/map.tiff"))
                .isEqualTo("platform/outputs/r/i/map.tiff");
        assertThat(s3.locationOf("uploads/northside/u/1/a.svs"))
                .isEqualTo(new S3Settings.Location("northside-slides", "tessera"));
        assertThat(s3.locationOf("uploads/demo/u/1/a.svs")).isEqualTo(new S3Settings.Location("demo-slides", ""));
        assertThat(s3.locationOf("uploads/other/u/1/a.svs")).isEqualTo(s3.bucket());
    }

    @Test
    void defaultsAreAwsS3WithTheDefaultCredentialsChain() {
        S3Settings s3 = S3Settings.read(lookup(Map.of("tessera.objectstore.s3.bucket", "outputs-bucket")));
        assertThat(s3.endpoint()).isEmpty();
        assertThat(s3.credentials()).isEmpty();
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.batchDelete()).isTrue();
        assertThat(s3.uploadBuckets()).isEmpty();
    }

    @Test
    void mistakesNameTheSetting() {
        assertThatThrownBy(() -> S3Settings.read(lookup(Map.of())))
                .hasMessageContaining("tessera.objectstore.s3.bucket")
                .hasMessageContaining("TESSERA_OBJECTSTORE_S3_BUCKET");
        assertThatThrownBy(() -> S3Settings.read(lookup(Map.of("tessera.objectstore.s3.bucket", "Bad_Bucket"))))
                .hasMessageContaining("tessera.objectstore.s3.bucket")
                .hasMessageContaining("'Bad_Bucket' is not an S3 bucket name");
        assertThatThrownBy(() -> S3Settings.read(lookup(Map.of(
                        "tessera.objectstore.s3.bucket", "b-1",
                        "tessera.objectstore.s3.access-key-id", "AKID"))))
                .hasMessageContaining("TESSERA_OBJECTSTORE_S3_SECRET_ACCESS_KEY")
                .hasMessageContaining("only tessera.objectstore.s3.access-key-id is set");
        assertThatThrownBy(() -> S3Settings.read(lookup(Map.of(
                        "tessera.objectstore.s3.bucket", "b-1", "tessera.objectstore.s3.endpoint", "minio:9000"))))
                .hasMessageContaining("TESSERA_OBJECTSTORE_S3_ENDPOINT");
        assertThatThrownBy(() -> S3Settings.read(lookup(
                        Map.of("tessera.objectstore.s3.bucket", "b-1", "tessera.objectstore.s3.path-style", "yes"))))
                .hasMessageContaining("TESSERA_OBJECTSTORE_S3_PATH_STYLE) must be true or false, not 'yes'");
        assertThatThrownBy(() -> S3Settings.read(lookup(Map.of(
                        "tessera.objectstore.s3.bucket", "b-1",
                        "tessera.objectstore.s3.upload-buckets", "northside"))))
                .hasMessageContaining("'northside' is not <organization>=<bucket>[/<prefix>]");
        assertThatThrownBy(() -> S3Settings.read(lookup(Map.of(
                        "tessera.objectstore.s3.bucket", "b-1",
                        "tessera.objectstore.s3.upload-buckets", "a=b-2,a=b-3"))))
                .hasMessageContaining("names organization a twice");
        assertThatThrownBy(() -> S3Settings.read(lookup(Map.of("tessera.objectstore.s3.bucket", "b-1/../x"))))
                .hasMessageContaining("tessera.objectstore.s3.bucket");
    }

    @Test
    void theBackendSettingChoosesTheStore() {
        ObjectStoreSettings tessera = ObjectStoreSettings.configured(
                null, Optional.empty(), PUBLIC, Optional.of("k".repeat(32)), "orchestrator", lookup(Map.of()));
        assertThat(tessera.s3()).isEmpty();
        assertThat(ObjectStores.create(tessera)).isInstanceOf(HttpObjectStore.class);

        ObjectStoreSettings s3 = ObjectStoreSettings.configured(
                "S3",
                Optional.empty(),
                PUBLIC,
                Optional.empty(),
                "worker-output",
                lookup(Map.of("tessera.objectstore.s3.bucket", "b-1", "tessera.objectstore.s3.region", "us-east-1")));
        assertThat(s3.s3()).isPresent();
        assertThat(s3.scope()).hasValue(SigningScope.WORKER_OUTPUT);
        try (var store = (S3ObjectStore) ObjectStores.create(s3)) {
            assertThat(store.toString()).contains("b-1", "worker-output");
        }

        assertThatThrownBy(() -> ObjectStoreSettings.configured(
                        "gcs", Optional.empty(), PUBLIC, Optional.empty(), "master", lookup(Map.of())))
                .hasMessageContaining("tessera.objectstore.backend")
                .hasMessageContaining("'gcs'")
                .hasMessageContaining("s3");
    }

    private static java.util.function.Function<String, Optional<String>> lookup(Map<String, String> values) {
        return name -> Optional.ofNullable(values.get(name));
    }
}
