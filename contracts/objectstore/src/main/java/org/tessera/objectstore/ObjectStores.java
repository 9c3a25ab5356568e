package org.tessera.objectstore;

import java.time.Clock;

/** Builds the {@link ObjectStore} that the settings describe. */
public final class ObjectStores {

    private ObjectStores() {}

    public static ObjectStore create(ObjectStoreSettings settings) {
        return create(settings, Clock.systemUTC());
    }

    public static ObjectStore create(ObjectStoreSettings settings, Clock clock) {
        UrlSigner signer = new UrlSigner(settings.signingKey(), settings.scope(), settings.publicUrl(), clock);
        return settings.root()
                .<ObjectStore>map(root -> new FilesystemObjectStore(root, signer))
                .orElseGet(() -> new HttpObjectStore(signer));
    }
}
