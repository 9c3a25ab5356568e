package org.tessera.objectstore;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

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
 */
public record ObjectStoreSettings(Optional<Path> root, URI publicUrl, String signingKey, Optional<SigningScope> scope) {

    public ObjectStoreSettings {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(publicUrl, "tessera.objectstore.public-url");
        Objects.requireNonNull(signingKey, "tessera.objectstore.signing-key");
        Objects.requireNonNull(scope, "scope");
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

    /** Settings of a holder of the master key. */
    public ObjectStoreSettings(Optional<Path> root, URI publicUrl, String signingKey) {
        this(root, publicUrl, signingKey, Optional.empty());
    }
}
