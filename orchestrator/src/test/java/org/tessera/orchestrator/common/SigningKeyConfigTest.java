package org.tessera.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.tessera.objectstore.ObjectStore;

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
        assertThatThrownBy(() -> new Infrastructure()
                        .objectStore(Optional.empty(), STORE, Optional.empty(), "orchestrator", Clock.systemUTC()))
                .hasMessageContaining("tessera.objectstore.signing-key")
                .hasMessageContaining("TESSERA_OBJECTSTORE_SIGNING_KEY");
    }

    @Test
    void theDefaultScopeLinksOutputsAndClientUploadsButNeverWritesOutputs() {
        ObjectStore store = new Infrastructure()
                .objectStore(Optional.empty(), STORE, Optional.of("k".repeat(64)), "orchestrator", Clock.systemUTC());
        assertThat(store.presignGet("outputs/r/i/map.tiff", Duration.ofMinutes(1))
                        .getRawQuery())
                .contains("scope=orchestrator");
        assertThatThrownBy(() -> store.presignPut("outputs/r/i/map.tiff", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.presignGet("uploads/org/slide.svs", Duration.ofMinutes(1))
                        .getRawQuery())
                .contains("scope=orchestrator");
        assertThatThrownBy(() -> store.presignGet("private/org/slide.svs", Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
