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
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies object URLs: {@code <public-url>/objects/<key>?expires=<epoch-s>&signature=<hmac>} where the HMAC
 * (SHA-256, keyed by the shared signing key) covers the HTTP method, the key and the expiry, so a URL signed for GET
 * cannot be used to PUT, nor for another key, nor after it expired.
 */
public final class UrlSigner {

    public static final String EXPIRES = "expires";
    public static final String SIGNATURE = "signature";
    /** Verb signed for deleting every object under a prefix (sent as HTTP DELETE with {@code prefix=true}). */
    public static final String DELETE_PREFIX = "DELETE_PREFIX";

    private final byte[] key;
    private final URI publicUrl;
    private final Clock clock;

    public UrlSigner(String signingKey, URI publicUrl, Clock clock) {
        if (signingKey == null || signingKey.length() < 16) {
            throw new IllegalArgumentException("tessera.objectstore.signing-key must be at least 16 characters");
        }
        this.key = signingKey.getBytes(StandardCharsets.UTF_8);
        String base = publicUrl.toString();
        this.publicUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.clock = clock;
    }

    public URI sign(String method, String objectKey, Duration ttl) {
        return sign(method, objectKey, ttl, ResponseHeaders.NONE);
    }

    /** A URL whose response carries the given headers; the signature covers them. */
    public URI sign(String method, String objectKey, Duration ttl, ResponseHeaders headers) {
        ObjectKeys.requireValid(objectKey);
        long expires = clock.instant().plus(ttl).getEpochSecond();
        return URI.create(publicUrl + "/objects/" + encodePath(objectKey) + "?" + EXPIRES + "=" + expires
                + headers.queryParameters() + "&" + SIGNATURE + "=" + signature(method, objectKey, expires, headers));
    }

    /** Why a request is refused, or {@code null} when its signature is valid and unexpired. */
    public String refusal(String method, String objectKey, String expires, String signature) {
        return refusal(method, objectKey, expires, signature, ResponseHeaders.NONE);
    }

    /** Like {@link #refusal(String, String, String, String)} for a URL that asks for response headers. */
    public String refusal(String method, String objectKey, String expires, String signature, ResponseHeaders headers) {
        if (expires == null || signature == null) {
            return "missing " + EXPIRES + " or " + SIGNATURE + " parameter";
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return "malformed " + EXPIRES + " parameter";
        }
        byte[] expected = signature(method, objectKey, expiresAt, headers).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII))) {
            return "signature does not match";
        }
        if (clock.instant().getEpochSecond() > expiresAt) {
            return "URL expired";
        }
        return null;
    }

    private String signature(String method, String objectKey, long expires, ResponseHeaders headers) {
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
