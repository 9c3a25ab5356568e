package org.tessera.worker.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.tessera.objectstore.S3Settings;

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

    /** {@code tessera.objectstore.s3.*}, used when {@link #backend()} is {@code s3}; present when any is set. */
    Optional<S3> s3();

    /** The S3 settings, as {@link S3Settings#read} reads them (deploy/README.md, "Object storage"). */
    interface S3 {
        Optional<String> bucket();

        Optional<String> region();

        Optional<String> endpoint();

        Optional<String> presignEndpoint();

        Optional<String> pathStyle();

        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        Optional<String> batchDelete();

        /** The setting of this name ({@code tessera.objectstore.s3.bucket}, ...), if set. */
        default Optional<String> setting(String property) {
            return switch (property) {
                case S3Settings.BUCKET -> bucket();
                case S3Settings.REGION -> region();
                case S3Settings.ENDPOINT -> endpoint();
                case S3Settings.PRESIGN_ENDPOINT -> presignEndpoint();
                case S3Settings.PATH_STYLE -> pathStyle();
                case S3Settings.ACCESS_KEY_ID -> accessKeyId();
                case S3Settings.SECRET_ACCESS_KEY -> secretAccessKey();
                case S3Settings.BATCH_DELETE -> batchDelete();
                default -> Optional.empty();
            };
        }
    }
}
