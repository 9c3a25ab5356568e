package org.tessera.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.tessera.objectstore.ObjectStore;

/** The worker holds no signing key unless it is given one, and by default a key that signs only output uploads. */
class SigningKeyConfigTest {

    private static final Function<String, Optional<String>> NO_SETTINGS = name -> Optional.empty();

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
        assertThatThrownBy(() ->
                        new WorkerComponents().objectStore(config(Optional.empty(), "worker-output"), NO_SETTINGS))
                .hasMessageContaining("tessera.objectstore.signing-key")
                .hasMessageContaining("TESSERA_OBJECTSTORE_SIGNING_KEY");
    }

    @Test
    void theDefaultScopeSignsOutputUploadsOnly() {
        ObjectStore store =
                new WorkerComponents().objectStore(config(Optional.of("k".repeat(64)), "worker-output"), NO_SETTINGS);
        assertThat(store.presignPut("outputs/r/i/map.tiff", Duration.ofMinutes(1))
                        .getRawQuery())
                .contains("scope=worker-output");
        assertThatThrownBy(() -> store.presignGet("uploads/org/slide.svs", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkerComponents()
                        .objectStore(config(Optional.of("k".repeat(64)), "everything"), NO_SETTINGS))
                .hasMessageContaining("unknown object store signing scope 'everything'");
    }

    @Test
    void anS3StoreTheWorkerCannotReachStopsItsStartNamingTheSetting() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> settings = Map.of(
                "tessera.objectstore.s3.bucket", "tessera-outputs",
                "tessera.objectstore.s3.region", "us-east-1",
                "tessera.objectstore.s3.endpoint", "http://127.0.0.1:" + closedPort,
                "tessera.objectstore.s3.path-style", "true",
                "tessera.objectstore.s3.access-key-id", "worker",
                "tessera.objectstore.s3.secret-access-key", "not-a-real-secret");
        ObjectStoreConfig s3 = new DelegatingConfig(config(Optional.empty(), "worker-output")) {
            @Override
            public String backend() {
                return "s3";
            }
        };
        assertThatThrownBy(
                        () -> new WorkerComponents().objectStore(s3, name -> Optional.ofNullable(settings.get(name))))
                .hasMessageContaining("cannot reach the S3 store at http://127.0.0.1:" + closedPort)
                .hasMessageContaining("TESSERA_OBJECTSTORE_S3_ENDPOINT");
    }

    /** Another configuration's values, for overriding one of them. */
    private static class DelegatingConfig implements ObjectStoreConfig {
        private final ObjectStoreConfig base;

        DelegatingConfig(ObjectStoreConfig base) {
            this.base = base;
        }

        @Override
        public String backend() {
            return base.backend();
        }

        @Override
        public Optional<Path> root() {
            return base.root();
        }

        @Override
        public URI publicUrl() {
            return base.publicUrl();
        }

        @Override
        public Optional<String> signingKey() {
            return base.signingKey();
        }

        @Override
        public String signingScope() {
            return base.signingScope();
        }

        @Override
        public Optional<S3> s3() {
            return base.s3();
        }
    }

    private static ObjectStoreConfig config(Optional<String> key, String scope) {
        return new ObjectStoreConfig() {
            @Override
            public String backend() {
                return "tessera";
            }

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

            @Override
            public Optional<S3> s3() {
                return Optional.empty();
            }
        };
    }
}
