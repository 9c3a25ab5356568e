package org.tessera.worker.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** {@code tessera.objectstore.*}, shared with the orchestrator. */
@ConfigMapping(prefix = "tessera.objectstore")
public interface ObjectStoreConfig {

    Optional<Path> root();

    @WithName("public-url")
    URI publicUrl();

    @WithName("signing-key")
    String signingKey();
}
