package org.tessera.objectstore;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/** What every backend shares: URLs for clients are signed by the platform's {@link UrlSigner}, whatever the storage. */
abstract class SigningObjectStore implements ObjectStore {

    protected final UrlSigner signer;

    SigningObjectStore(UrlSigner signer) {
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    @Override
    public final URI presignGet(String key, Duration ttl) {
        return signer.sign("GET", key, ttl);
    }

    @Override
    public final URI presignGet(String key, Duration ttl, ResponseHeaders headers) {
        return signer.sign("GET", key, ttl, headers);
    }

    @Override
    public final URI presignPut(String key, Duration ttl) {
        return signer.sign("PUT", key, ttl);
    }
}
