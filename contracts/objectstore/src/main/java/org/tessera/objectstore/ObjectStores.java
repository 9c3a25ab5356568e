package org.tessera.objectstore;

import java.time.Clock;

/** Builds the {@link ObjectStore} that the settings describe. */
public final class ObjectStores {

    /** Where clients' slides live: {@code uploads/<organization>/<user>/<upload id>/<file>}. */
    public static final String UPLOADS = "uploads/";

    /** Value of {@code tessera.objectstore.backend} for the platform's own object store server (the default). */
    public static final String TESSERA = "tessera";

    /** Value of {@code tessera.objectstore.backend} for an S3-compatible store. */
    public static final String S3 = "s3";

    private ObjectStores() {}

    public static ObjectStore create(ObjectStoreSettings settings) {
        return create(settings, Clock.systemUTC());
    }

    public static ObjectStore create(ObjectStoreSettings settings, Clock clock) {
        if (settings.s3().isPresent()) {
            return S3ObjectStore.connect(settings.s3().get(), settings.scope());
        }
        UrlSigner signer = new UrlSigner(settings.signingKey(), settings.scope(), settings.publicUrl(), clock);
        return settings.root()
                .<ObjectStore>map(root -> new FilesystemObjectStore(root, signer))
                .orElseGet(() -> new HttpObjectStore(signer));
    }
}
