package org.tessera.objectstore;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a holder of a scoped signing key may sign. The object store server holds the master key; every service holds
 * only the key of its scope, {@code HMAC-SHA256(master, "tessera-objectstore-scope:" + name)} in hex, and its URLs
 * carry {@code scope=<name>}. The server derives the scope's key from the master key to check the signature and
 * refuses any method or object key outside the scope, so a worker's key cannot sign a download of another
 * organization's slide or the deletion of anything.
 */
public enum SigningScope {
    /** Workers: upload and read back outputs, and download registered models; nothing else. */
    WORKER_OUTPUT(
            "worker-output",
            List.of(new Grant("PUT", "outputs/"), new Grant("GET", "outputs/"), new Grant("GET", "models/"))),
    /**
     * The orchestrator: download links for outputs and application documents, publishing documents, deleting outputs
     * and documents, and the upload and read-back links it hands clients for their slides under {@code uploads/}
     * ({@code POST /v1/uploads}), and storing the models of application versions registered from manifests under
     * {@code models/}. It never uploads outputs.
     */
    ORCHESTRATOR(
            "orchestrator",
            List.of(
                    new Grant("GET", "outputs/"),
                    new Grant("GET", "documents/"),
                    new Grant("PUT", "documents/"),
                    new Grant("PUT", "uploads/"),
                    new Grant("GET", "uploads/"),
                    new Grant("PUT", "models/"),
                    new Grant("GET", "models/"),
                    new Grant("DELETE", "outputs/"),
                    new Grant("DELETE", "documents/"),
                    new Grant(UrlSigner.DELETE_PREFIX, "outputs/"),
                    new Grant(UrlSigner.DELETE_PREFIX, "documents/")));

    /** Query parameter naming the scope of a URL signed with a scoped key. */
    public static final String PARAMETER = "scope";

    private static final String DERIVATION_LABEL = "tessera-objectstore-scope:";

    /** One method on every key that starts with the prefix. */
    public record Grant(String method, String keyPrefix) {}

    private final String scopeName;
    private final List<Grant> grants;

    SigningScope(String scopeName, List<Grant> grants) {
        this.scopeName = scopeName;
        this.grants = grants;
    }

    /** The name used in configuration and in URLs. */
    public String scopeName() {
        return scopeName;
    }

    public List<Grant> grants() {
        return grants;
    }

    /**
     * Whether the scope lets its holder sign {@code method} (GET, PUT, DELETE or DELETE_PREFIX) for the object key;
     * for DELETE_PREFIX the key is the prefix without its trailing {@code /}, and must lie inside a granted prefix.
     */
    public boolean permits(String method, String objectKey) {
        return grants.stream().anyMatch(g -> g.method().equals(method) && objectKey.startsWith(g.keyPrefix()));
    }

    /** The scope called {@code name}, if there is one. */
    public static Optional<SigningScope> named(String name) {
        for (SigningScope scope : values()) {
            if (scope.scopeName.equals(name)) {
                return Optional.of(scope);
            }
        }
        return Optional.empty();
    }

    /** Like {@link #named(String)}, throwing a message that lists the scopes when there is none of that name. */
    public static SigningScope require(String name) {
        return named(name.trim().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new IllegalArgumentException("unknown object store signing scope '" + name
                        + "'; known: "
                        + List.of(values()).stream()
                                .map(SigningScope::scopeName)
                                .toList()));
    }

    /** The key a holder of this scope receives, derived from the object store server's master key. */
    public String deriveKey(String masterKey) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of()
                    .formatHex(mac.doFinal((DERIVATION_LABEL + scopeName).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
