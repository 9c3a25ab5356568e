package org.tessera.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.tessera.objectstore.HttpExchanges;
import org.tessera.testkit.TokenIssuer;

/**
 * The OAuth 2.0 device authorization grant (RFC 8628) for the local stack, so that a command-line client can sign in
 * without a browser on the same machine: {@code POST /device_authorization} answers a device code and a short user
 * code; a person opens {@code GET /device?user_code=...} and picks a seeded user ({@code POST /device} with {@code
 * user_code} and {@code user}), which approves it; meanwhile the client polls {@code POST /device/token} with {@code
 * grant_type=urn:ietf:params:oauth:grant-type:device_code} and gets {@code authorization_pending} until then, and the
 * access token after. Like the rest of the local issuer, nobody proves who they are: it is for local clients only.
 */
final class DeviceAuthorization {

    static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    /** Seconds between polls: short, because the local stack answers at once. */
    static final int POLL_INTERVAL_S = 1;

    /** Letters that cannot be mistaken for one another when typed (no vowels, so no words either). */
    private static final String USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";

    private final TokenIssuer issuer;
    private final Seed seed;
    private final Clock clock;
    private final Supplier<URI> baseUrl;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> byDeviceCode = new ConcurrentHashMap<>();
    private final Map<String, String> deviceCodeByUserCode = new ConcurrentHashMap<>();

    /** One authorization in progress; {@code token} is set once a user approved it. */
    private static final class Pending {
        final String userCode;
        final Instant expiresAt;
        volatile String token;
        volatile String approvedFor;
        volatile Instant lastPoll = Instant.EPOCH;

        Pending(String userCode, Instant expiresAt) {
            this.userCode = userCode;
            this.expiresAt = expiresAt;
        }
    }

    DeviceAuthorization(TokenIssuer issuer, Seed seed, Clock clock, Supplier<URI> baseUrl) {
        this.issuer = issuer;
        this.seed = seed;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    void register(HttpServer http) {
        http.createContext("/device_authorization", this::authorize);
        http.createContext("/device/token", this::poll);
        http.createContext("/device", this::verify);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                HttpExchanges.respond(exchange, 405, "text/plain", "use POST /device_authorization\n");
                return;
            }
            expireOld();
            String deviceCode = randomToken();
            String userCode = userCode();
            Pending pending = new Pending(userCode, clock.instant().plus(CODE_LIFETIME));
            byDeviceCode.put(deviceCode, pending);
            deviceCodeByUserCode.put(userCode, deviceCode);
            URI verification = baseUrl.get().resolve("/device");
            json(
                    exchange,
                    200,
                    "{\"device_code\":\"" + deviceCode + "\",\"user_code\":\"" + userCode + "\",\"verification_uri\":\""
                            + verification + "\",\"verification_uri_complete\":\"" + verification + "?user_code="
                            + userCode + "\",\"expires_in\":" + CODE_LIFETIME.toSeconds() + ",\"interval\":"
                            + POLL_INTERVAL_S + "}");
        }
    }

    private void poll(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(exchange);
            if (!exchange.getRequestMethod().equals("POST")) {
                oauthError(exchange, 405, "invalid_request", "use POST");
                return;
            }
            if (!GRANT_TYPE.equals(form.get("grant_type"))) {
                oauthError(exchange, 400, "unsupported_grant_type", "grant_type must be " + GRANT_TYPE);
                return;
            }
            String deviceCode = form.get("device_code");
            Pending pending = deviceCode == null ? null : byDeviceCode.get(deviceCode);
            if (pending == null) {
                oauthError(exchange, 400, "invalid_grant", "unknown or already used device_code");
                return;
            }
            Instant now = clock.instant();
            if (now.isAfter(pending.expiresAt)) {
                forget(deviceCode, pending);
                oauthError(exchange, 400, "expired_token", "the device code expired; start the sign-in again");
                return;
            }
            String token = pending.token;
            if (token == null) {
                boolean tooSoon =
                        pending.lastPoll.plusMillis(POLL_INTERVAL_S * 1000L / 2).isAfter(now);
                pending.lastPoll = now;
                oauthError(
                        exchange,
                        400,
                        tooSoon ? "slow_down" : "authorization_pending",
                        tooSoon ? "poll at most once per interval" : "waiting for a user to approve the code");
                return;
            }
            forget(deviceCode, pending);
            json(
                    exchange,
                    200,
                    "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":"
                            + "\"openid profile email offline_access\"}");
        }
    }

    /** The page a person opens: which code, and one button per seeded user; a POST approves. */
    private void verify(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(exchange);
            String userCode = normalise(form.getOrDefault("user_code", ""));
            if (exchange.getRequestMethod().equals("GET")) {
                HttpExchanges.respond(exchange, 200, "text/html", page(userCode));
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                HttpExchanges.respond(exchange, 405, "text/plain", "use GET or POST /device\n");
                return;
            }
            String deviceCode = deviceCodeByUserCode.get(userCode);
            Pending pending = deviceCode == null ? null : byDeviceCode.get(deviceCode);
            if (pending == null || clock.instant().isAfter(pending.expiresAt)) {
                HttpExchanges.respond(
                        exchange, 404, "text/plain", "no sign-in is waiting for code '" + userCode + "'\n");
                return;
            }
            String subject = form.getOrDefault("user", "");
            Optional<StackUser> user = seed.user(subject);
            if (user.isEmpty()) {
                HttpExchanges.respond(
                        exchange,
                        400,
                        "text/plain",
                        "user '" + subject + "' is not seeded (seeded: "
                                + String.join(
                                        ", ",
                                        seed.users().stream()
                                                .map(StackUser::subject)
                                                .toList()) + ")\n");
                return;
            }
            StackUser approved = user.get();
            pending.approvedFor = approved.subject();
            pending.token = issuer.token(approved.subject(), approved.organizationId(), approved.role());
            HttpExchanges.respond(
                    exchange,
                    200,
                    "text/plain",
                    "signed in as " + approved.subject() + " (" + approved.organizationId()
                            + "); you can return to your terminal\n");
        }
    }

    private String page(String userCode) {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<title>Tessera local sign-in</title></head><body><h1>Sign in a device</h1>"
                + "<form method=\"post\" action=\"/device\"><p><label>Code shown by the device: <input name=\"user_code\""
                + " value=\"" + userCode.replaceAll("[^A-Z-]", "") + "\"></label></p><p>Sign in as:</p>");
        for (StackUser user : seed.users()) {
            html.append("<p><button name=\"user\" value=\"")
                    .append(user.subject())
                    .append("\">")
                    .append(user.subject())
                    .append(" (")
                    .append(user.role())
                    .append(", ")
                    .append(user.organizationId())
                    .append(")</button></p>");
        }
        return html.append("</form></body></html>").toString();
    }

    private void forget(String deviceCode, Pending pending) {
        byDeviceCode.remove(deviceCode);
        deviceCodeByUserCode.remove(pending.userCode);
    }

    private void expireOld() {
        Instant now = clock.instant();
        byDeviceCode.entrySet().removeIf(entry -> {
            boolean expired = now.isAfter(entry.getValue().expiresAt);
            if (expired) {
                deviceCodeByUserCode.remove(entry.getValue().userCode);
            }
            return expired;
        });
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String userCode() {
        while (true) {
            StringBuilder code = new StringBuilder(9);
            for (int i = 0; i < 8; i++) {
                if (i == 4) {
                    code.append('-');
                }
                code.append(USER_CODE_ALPHABET.charAt(random.nextInt(USER_CODE_ALPHABET.length())));
            }
            if (!deviceCodeByUserCode.containsKey(code.toString())) {
                return code.toString();
            }
        }
    }

    /** People type codes in lower case and without the dash. */
    static String normalise(String userCode) {
        String letters = userCode.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z]", "");
        return letters.length() == 8 ? letters.substring(0, 4) + "-" + letters.substring(4) : letters;
    }

    /** Query parameters and, for a form POST, the body's parameters (which win). */
    private static Map<String, String> form(HttpExchange exchange) throws IOException {
        Map<String, String> params = new HashMap<>(HttpExchanges.query(exchange));
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            params.putAll(HttpExchanges.query(body));
        }
        return params;
    }

    private static void oauthError(HttpExchange exchange, int status, String error, String description)
            throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        json(exchange, status, "{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        HttpExchanges.respond(exchange, status, "application/json", body);
    }
}
