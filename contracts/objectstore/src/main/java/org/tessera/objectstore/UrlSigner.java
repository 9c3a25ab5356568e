package org.tessera.objectstore;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies object URLs: {@code <public-url>/objects/<key>?expires=<epoch-s>[&scope=<name>]&signature=<hmac>}
 * where the HMAC (SHA-256) covers the HTTP method, the key and the expiry, so a URL signed for GET cannot be used to
 * PUT, nor for another key, nor after it expired. A signer holds either the master key (the object store server, the
 * local stack) or the key of one {@link SigningScope} (each service), and then signs only what that scope permits.
 */
public final class UrlSigner {

    public static final String EXPIRES = "expires";
    public static final String SIGNATURE = "signature";
    /** Verb signed for deleting every object under a prefix (sent as HTTP DELETE with {@code prefix=dir|text}). */
    public static final String DELETE_PREFIX = "DELETE_PREFIX";
    /** Query parameter of a prefix deletion: {@code dir} (the key is a folder) or {@code text} (any continuation). */
    public static final String PREFIX_MODE = "prefix";
    /** Longest lifetime a signed URL may have unless the server is configured otherwise. */
    public static final Duration DEFAULT_MAX_EXPIRY = Duration.ofDays(7);

    private final byte[] key;
    private final Optional<SigningScope> scope;
    private final URI publicUrl;
    private final Clock clock;

    /** A signer holding the master key. */
    public UrlSigner(String signingKey, URI publicUrl, Clock clock) {
        this(signingKey, Optional.empty(), publicUrl, clock);
    }

    /**
     * @param signingKey the master key when {@code scope} is empty, else the key derived for that scope
     */
    public UrlSigner(String signingKey, Optional<SigningScope> scope, URI publicUrl, Clock clock) {
        if (signingKey == null || signingKey.isBlank()) {
            throw new IllegalArgumentException("no object store signing key: set tessera.objectstore.signing-key"
                    + " (environment TESSERA_OBJECTSTORE_SIGNING_KEY) to the key this service was given");
        }
        if (signingKey.length() < 16) {
            throw new IllegalArgumentException("tessera.objectstore.signing-key must be at least 16 characters");
        }
        this.key = signingKey.getBytes(StandardCharsets.UTF_8);
        this.scope = Objects.requireNonNull(scope, "scope");
        String base = publicUrl.toString();
        this.publicUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.clock = clock;
    }

    /** The scope this signer is limited to; empty for the master key. */
    public Optional<SigningScope> scope() {
        return scope;
    }

    public URI sign(String method, String objectKey, Duration ttl) {
        return sign(method, objectKey, ttl, ResponseHeaders.NONE);
    }

    /** A URL whose response carries the given headers; the signature covers them. */
    public URI sign(String method, String objectKey, Duration ttl, ResponseHeaders headers) {
        ObjectKeys.requireValid(objectKey);
        requirePermitted(method, objectKey);
        return url(method, objectKey, ttl, headers, "");
    }

    /**
     * A URL that deletes every object whose key starts with {@code prefix}; a prefix ending in {@code /} deletes a
     * folder. The signature covers which of the two it is, so a folder URL cannot be turned into a text-prefix one
     * ({@code outputs/run-1} would also match {@code outputs/run-10/...}).
     */
    public URI signDeletePrefix(String prefix, Duration ttl) {
        ObjectKeys.requireValidPrefix(prefix);
        boolean dir = prefix.endsWith("/");
        String objectKey = dir ? prefix.substring(0, prefix.length() - 1) : prefix;
        requirePermitted(DELETE_PREFIX, objectKey);
        String mode = dir ? "dir" : "text";
        return url(DELETE_PREFIX + ":" + mode, objectKey, ttl, ResponseHeaders.NONE, "&" + PREFIX_MODE + "=" + mode);
    }

    private URI url(String signedMethod, String objectKey, Duration ttl, ResponseHeaders headers, String extra) {
        long expires = clock.instant().plus(ttl).getEpochSecond();
        String scopeParameter = scope.map(s -> "&" + SigningScope.PARAMETER + "=" + s.scopeName())
                .orElse("");
        return URI.create(publicUrl + "/objects/" + encodePath(objectKey) + "?" + EXPIRES + "=" + expires
                + headers.queryParameters() + extra + scopeParameter + "&" + SIGNATURE + "="
                + signature(key, signedMethod, objectKey, expires, headers));
    }

    private void requirePermitted(String method, String objectKey) {
        scope.ifPresent(s -> {
            if (!s.permits(method, objectKey)) {
                throw new IllegalArgumentException(
                        "the object store key of scope " + s.scopeName() + " cannot sign " + method + " " + objectKey);
            }
        });
    }

    /**
     * Why a request is refused, or {@code null} when its signature is valid, unexpired and inside its scope. Only a
     * signer holding the master key verifies: it derives the key of the scope the URL names.
     *
     * @param signedMethod GET (also for HEAD), PUT, DELETE, or {@code DELETE_PREFIX:dir|text}
     * @param scopeName the URL's {@code scope} parameter, or {@code null} for a URL signed with the master key
     * @param maxExpiry how far in the future the URL's expiry may lie
     */
    public String refusal(
            String signedMethod,
            String objectKey,
            String expires,
            String signature,
            ResponseHeaders headers,
            String scopeName,
            Duration maxExpiry) {
        if (scope.isPresent()) {
            throw new IllegalStateException("only the master key verifies signed URLs");
        }
        if (expires == null || signature == null) {
            return "missing " + EXPIRES + " or " + SIGNATURE + " parameter";
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return "malformed " + EXPIRES + " parameter";
        }
        byte[] verifyingKey = key;
        if (scopeName != null) {
            Optional<SigningScope> named = SigningScope.named(scopeName);
            if (named.isEmpty()) {
                return "unknown scope " + scopeName;
            }
            String method = signedMethod.startsWith(DELETE_PREFIX) ? DELETE_PREFIX : signedMethod;
            if (!named.get().permits(method, objectKey)) {
                return "scope " + scopeName + " does not allow " + method + " " + objectKey;
            }
            verifyingKey = named.get()
                    .deriveKey(new String(key, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
        }
        byte[] expected = signature(verifyingKey, signedMethod, objectKey, expiresAt, headers)
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return "signature does not match";
        }
        long now = clock.instant().getEpochSecond();
        if (now > expiresAt) {
            return "URL expired";
        }
        if (expiresAt - now > maxExpiry.toSeconds()) {
            return "URL expires more than " + maxExpiry + " from now, longer than this object store accepts";
        }
        return null;
    }

    private static String signature(
            byte[] key, String method, String objectKey, long expires, ResponseHeaders headers) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal((method + "\n" + objectKey + "\n" + expires + headers.signedText())
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    static String encodePath(String objectKey) {
        StringBuilder out = new StringBuilder();
        for (String segment : objectKey.split("/")) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }

    /** A fresh random signing key, for tests and the local stack. */
    public static String randomKey() {
        byte[] bytes = new byte[32];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
