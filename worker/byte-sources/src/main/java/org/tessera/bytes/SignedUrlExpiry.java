package org.tessera.bytes;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * When a signed URL stops working, as far as its query says: Tessera's object store and CloudFront ({@code expires} /
 * {@code Expires}, epoch seconds), AWS Signature V4 ({@code X-Amz-Date} + {@code X-Amz-Expires}), Google Cloud
 * Storage V4 ({@code X-Goog-Date} + {@code X-Goog-Expires}) and Azure SAS ({@code se}). Empty when the URL does not
 * say (the storage's 403 then tells).
 */
public final class SignedUrlExpiry {

    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    private SignedUrlExpiry() {}

    public static Optional<Instant> of(URI url) {
        Map<String, String> query = query(url.getRawQuery());
        try {
            for (String name : new String[] {"expires", "Expires"}) {
                if (query.containsKey(name)) {
                    return Optional.of(Instant.ofEpochSecond(Long.parseLong(query.get(name))));
                }
            }
            for (String prefix : new String[] {"X-Amz-", "X-Goog-"}) {
                String date = query.get(prefix + "Date");
                String expires = query.get(prefix + "Expires");
                if (date != null && expires != null) {
                    Instant signed = LocalDateTime.parse(date, BASIC).toInstant(ZoneOffset.UTC);
                    return Optional.of(signed.plusSeconds(Long.parseLong(expires)));
                }
            }
            if (query.containsKey("se") && query.containsKey("sig")) {
                return Optional.of(OffsetDateTime.parse(query.get("se")).toInstant());
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.putIfAbsent(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
