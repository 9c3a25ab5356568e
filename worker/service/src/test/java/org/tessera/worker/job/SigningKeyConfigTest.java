package org.tessera.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.tessera.objectstore.ObjectStore;

/** The worker holds no signing key unless it is given one, and by default a key that signs only output uploads. */
class SigningKeyConfigTest {

    @Test
    void noSigningKeyOutsideTheDevAndTestProfiles() throws Exception {
        Properties properties = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        assertThat(properties).doesNotContainKey("tessera.objectstore.signing-key");
        assertThat(properties.getProperty("tessera.objectstore.signing-scope")).isEqualTo("worker-output");
        assertThat(properties.stringPropertyNames())
                .filteredOn(name -> name.endsWith("tessera.objectstore.signing-key"))
                .allMatch(name -> name.startsWith("%dev.") || name.startsWith("%test."));
    }

    @Test
    void withoutAKeyTheObjectStoreIsNotBuiltAndTheMessageNamesTheSetting() {
        assertThatThrownBy(() -> new WorkerComponents().objectStore(config(Optional.empty(), "worker-output")))
                .hasMessageContaining("tessera.objectstore.signing-key")
                .hasMessageContaining("TESSERA_OBJECTSTORE_SIGNING_KEY");
    }

    @Test
    void theDefaultScopeSignsOutputUploadsOnly() {
        ObjectStore store = new WorkerComponents().objectStore(config(Optional.of("k".repeat(64)), "worker-output"));
        assertThat(store.presignPut("outputs/r/i/map.tiff", Duration.ofMinutes(1))
                        .getRawQuery())
                .contains("scope=worker-output");
        assertThatThrownBy(() -> store.presignGet("uploads/org/slide.svs", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkerComponents().objectStore(config(Optional.of("k".repeat(64)), "everything")))
                .hasMessageContaining("unknown object store signing scope 'everything'");
    }

    private static ObjectStoreConfig config(Optional<String> key, String scope) {
        return new ObjectStoreConfig() {
            @Override
            public Optional<Path> root() {
                return Optional.empty();
            }

            @Override
            public URI publicUrl() {
                return URI.create("http://127.0.0.1:9000");
            }

            @Override
            public Optional<String> signingKey() {
                return key;
            }

            @Override
            public String signingScope() {
                return scope;
            }
        };
    }
}
