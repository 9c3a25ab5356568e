package org.tessera.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.tessera.objectstore.ObjectStore;
import org.tessera.objectstore.S3ObjectStore;

/** The orchestrator holds no signing key unless it is given one, and by default the key of its own scope. */
class SigningKeyConfigTest {

    private static final URI STORE = URI.create("http://127.0.0.1:9000");

    @Test
    void noSigningKeyOutsideTheDevAndTestProfiles() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        assertThat(properties).doesNotContainKey("tessera.objectstore.signing-key");
        assertThat(properties.getProperty("tessera.objectstore.signing-scope")).isEqualTo("orchestrator");
        assertThat(properties.stringPropertyNames())
                .filteredOn(name -> name.endsWith("tessera.objectstore.signing-key"))
                .allMatch(name -> name.startsWith("%dev.") || name.startsWith("%test."));
    }

    @Test
    void withoutAKeyTheObjectStoreIsNotBuiltAndTheMessageNamesTheSetting() {
        assertThatThrownBy(() -> Infrastructure.buildObjectStore(
                        "tessera",
                        Optional.empty(),
                        STORE,
                        Optional.empty(),
                        "orchestrator",
                        name -> Optional.empty(),
                        Clock.systemUTC()))
                .hasMessageContaining("tessera.objectstore.signing-key")
                .hasMessageContaining("TESSERA_OBJECTSTORE_SIGNING_KEY");
    }

    @Test
    void theDefaultScopeLinksOutputsAndClientsUploadsButNeverWritesOutputs() {
        ObjectStore store = Infrastructure.buildObjectStore(
                "tessera",
                Optional.empty(),
                STORE,
                Optional.of("k".repeat(64)),
                "orchestrator",
                name -> Optional.empty(),
                Clock.systemUTC());
        assertThat(store.presignGet("outputs/r/i/map.tiff", Duration.ofMinutes(1))
                        .getRawQuery())
                .contains("scope=orchestrator");
        assertThat(store.presignPut("uploads/org/u/1/slide.svs", Duration.ofMinutes(1))
                        .getRawQuery())
                .contains("scope=orchestrator");
        assertThatThrownBy(() -> store.presignPut("outputs/r/i/map.tiff", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.presignGet("private/org/slide.svs", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theS3BackendIsChosenByConfigurationAndKeepsTheScope() {
        Map<String, String> settings = Map.of(
                "tessera.objectstore.s3.bucket", "tessera-outputs",
                "tessera.objectstore.s3.region", "eu-central-1",
                "tessera.objectstore.s3.endpoint", "https://minio.example.org",
                "tessera.objectstore.s3.path-style", "true",
                "tessera.objectstore.s3.access-key-id", "orchestrator",
                "tessera.objectstore.s3.secret-access-key", "not-a-real-secret");
        ObjectStore store = Infrastructure.buildObjectStore(
                "s3",
                Optional.empty(),
                STORE,
                Optional.empty(),
                "orchestrator",
                name -> Optional.ofNullable(settings.get(name)),
                Clock.systemUTC());
        assertThat(store).isInstanceOf(S3ObjectStore.class);
        try (S3ObjectStore s3 = (S3ObjectStore) store) {
            assertThat(s3.presignGet("outputs/r/i/map.tiff", Duration.ofMinutes(1))
                            .toString())
                    .startsWith("https://minio.example.org/tessera-outputs/outputs/r/i/map.tiff?")
                    .contains("X-Amz-Credential=orchestrator");
            assertThatThrownBy(() -> s3.presignPut("outputs/r/i/map.tiff", Duration.ofMinutes(1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
