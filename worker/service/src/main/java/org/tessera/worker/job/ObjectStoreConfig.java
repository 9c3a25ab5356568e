package org.tessera.worker.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** {@code tessera.objectstore.*}, shared with the orchestrator. */
@ConfigMapping(prefix = "tessera.objectstore")
public interface ObjectStoreConfig {

    /**
     * {@code tessera} (the platform's object store server, directly under {@link #root()} or over HTTP) or {@code s3}
     * (an S3-compatible store, {@code tessera.objectstore.s3.*}).
     */
    @WithDefault("tessera")
    String backend();

    Optional<Path> root();

    @WithName("public-url")
    URI publicUrl();

    /** The key this worker was given; no default outside the dev and test profiles (the worker then refuses to start). */
    @WithName("signing-key")
    Optional<String> signingKey();

    /**
     * What the key may sign: {@code worker-output} (the default; the key is the one derived for that scope from the
     * object store server's master key) or {@code master} (the key is the master key itself).
     */
    @WithName("signing-scope")
    @WithDefault("worker-output")
    String signingScope();
}
