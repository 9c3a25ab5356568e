package org.tessera.objectstore;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a service reaches the object store.
 *
 * @param root when present, objects are read and written directly under this directory (shared with the
 *     {@link ObjectStoreServer} that serves signed URLs); when empty, every operation goes over HTTP to
 *     {@code publicUrl} with self-signed URLs
 * @param publicUrl base URL of the object store server, as clients reach it (signed URLs start with it)
 * @param signingKey the HMAC key this service was given: the master key of the object store server when
 *     {@code scope} is empty, else the key derived for the scope ({@link SigningScope#deriveKey(String)})
 * @param scope what this service may sign; empty for a holder of the master key
 * @param s3 when present, objects live in this S3-compatible store instead, and {@code root}, {@code publicUrl} and
 *     {@code signingKey} are not used; {@code scope} still limits what the service does there
 */
public record ObjectStoreSettings(
        Optional<Path> root, URI publicUrl, String signingKey, Optional<SigningScope> scope, Optional<S3Settings> s3) {

    /** The setting that chooses the backend: {@value ObjectStores#TESSERA} (default) or {@value ObjectStores#S3}. */
    public static final String BACKEND = "tessera.objectstore.backend";

    public ObjectStoreSettings {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(publicUrl, "tessera.objectstore.public-url");
        Objects.requireNonNull(signingKey, "tessera.objectstore.signing-key");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(s3, "s3");
    }

    /** Value of {@code tessera.objectstore.signing-scope} that stands for the master key. */
    public static final String MASTER = "master";

    /**
     * The scope a {@code tessera.objectstore.signing-scope} setting names: empty for {@value #MASTER}, else the scope
     * of that name (an unknown name throws, listing the known ones).
     */
    public static Optional<SigningScope> scope(String setting) {
        if (setting == null || setting.isBlank() || setting.trim().equals(MASTER)) {
            return Optional.empty();
        }
        return Optional.of(SigningScope.require(setting));
    }

    /** Settings of a service using the platform's object store server. */
    public ObjectStoreSettings(Optional<Path> root, URI publicUrl, String signingKey, Optional<SigningScope> scope) {
        this(root, publicUrl, signingKey, scope, Optional.empty());
    }

    /** Settings of a holder of the master key. */
    public ObjectStoreSettings(Optional<Path> root, URI publicUrl, String signingKey) {
        this(root, publicUrl, signingKey, Optional.empty());
    }

    /**
     * The settings a service's configuration describes.
     *
     * @param backend the value of {@value #BACKEND}
     * @param scopeSetting the value of {@code tessera.objectstore.signing-scope}
     * @param setting looks up any other property by name (the {@code tessera.objectstore.s3.*} ones)
     */
    public static ObjectStoreSettings configured(
            String backend,
            Optional<Path> root,
            URI publicUrl,
            Optional<String> signingKey,
            String scopeSetting,
            Function<String, Optional<String>> setting) {
        Optional<SigningScope> scope = scope(scopeSetting);
        String chosen = backend == null || backend.isBlank()
                ? ObjectStores.TESSERA
                : backend.strip().toLowerCase(Locale.ROOT);
        return switch (chosen) {
            case ObjectStores.TESSERA -> new ObjectStoreSettings(root, publicUrl, signingKey.orElse(""), scope);
            case ObjectStores.S3 ->
                new ObjectStoreSettings(root, publicUrl, "", scope, Optional.of(S3Settings.read(setting)));
            default ->
                throw new IllegalArgumentException(S3Settings.named(BACKEND) + " is '" + backend + "'; known: "
                        + ObjectStores.TESSERA + " (the platform's object store server), " + ObjectStores.S3
                        + " (an S3-compatible store)");
        };
    }
}
