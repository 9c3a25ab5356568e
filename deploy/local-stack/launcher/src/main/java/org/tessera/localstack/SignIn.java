package org.tessera.localstack;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.tessera.objectstore.HttpExchanges;
import org.tessera.testkit.TokenIssuer;

/**
 * The local stack's OpenID Connect sign-in, as a browser application such as the platform dashboard meets it at a
 * real provider: the authorization-code flow with PKCE (S256 only). {@code GET /authorize} shows a page listing the
 * seeded users; choosing one (the local stack has no passwords; the token records a password and a one-time code, as
 * organizations require a second factor) redirects to the client's {@code redirect_uri} with a single-use code, which
 * {@code POST /token} ({@code grant_type=authorization_code}) exchanges for an access token once the code verifier
 * matches. {@code GET /.well-known/openid-configuration} describes the endpoints. Redirects go to loopback addresses
 * only.
 */
final class SignIn {

    static final Duration CODE_LIFETIME = Duration.ofMinutes(2);
    private static final List<String> SCOPES = List.of("openid", "profile", "email", "offline_access");

    private final TokenIssuer issuer;
    private final Seed seed;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    /** What a code stands for until it is exchanged. */
    private record Grant(
            StackUser user, String clientId, String redirectUri, String codeChallenge, String nonce, Instant expires) {}

    SignIn(TokenIssuer issuer, Seed seed, Clock clock) {
        this.issuer = issuer;
        this.seed = seed;
        this.clock = clock;
    }

    /** The discovery document; {@code base} is where this server is reached. */
    String discovery(URI base) {
        String root = base.toString().replaceAll("/$", "");
        return """
                {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token",\
                "jwks_uri":"%s/jwks.json","response_types_supported":["code"],\
                "grant_types_supported":["authorization_code"],"code_challenge_methods_supported":["S256"],\
                "token_endpoint_auth_methods_supported":["none"],"subject_types_supported":["public"],\
                "id_token_signing_alg_values_supported":["RS256"],"scopes_supported":["openid","profile","email",\
                "offline_access"],"claims_supported":["sub","iss","aud","org_id","amr","email"],\
                "audience":"%s"}""".formatted(issuer.issuer(), root, root, root, issuer.audience());
    }

    void authorize(HttpExchange exchange) throws IOException {
        try (exchange) {
            cors(exchange);
            Map<String, String> params = switch (exchange.getRequestMethod()) {
                case "GET" -> HttpExchanges.query(exchange);
                case "POST" -> form(exchange);
                default -> null;
            };
            if (params == null) {
                HttpExchanges.respond(exchange, 405, "text/plain", "use GET or POST /authorize\n");
                return;
            }
            Optional<String> problem = authorizationProblem(params);
            if (problem.isPresent()) {
                // Without a valid redirect_uri nothing may be redirected: the error is shown here.
                HttpExchanges.respond(
                        exchange,
                        400,
                        "text/html",
                        page("Sign-in request refused", "<p role=\"alert\">" + escape(problem.get()) + "</p>"));
                return;
            }
            String chosen = params.get("user");
            String email = params.getOrDefault("email", "").strip();
            if (exchange.getRequestMethod().equals("GET") || (chosen == null && email.isEmpty())) {
                HttpExchanges.respond(exchange, 200, "text/html", chooser(params));
                return;
            }
            Optional<StackUser> user = chosen != null
                    ? seed.users().stream()
                            .filter(u -> u.subject().equals(chosen))
                            .findFirst()
                    : byEmail(email);
            if (user.isEmpty()) {
                String why = chosen != null
                        ? "No seeded user '" + chosen + "'."
                        : "'" + email + "' is not on the email domain of a seeded organization.";
                HttpExchanges.respond(
                        exchange, 400, "text/html", page("Unknown user", "<p role=\"alert\">" + escape(why) + "</p>"));
                return;
            }
            String code = randomToken();
            codes.put(
                    code,
                    new Grant(
                            user.get(),
                            params.get("client_id"),
                            params.get("redirect_uri"),
                            params.get("code_challenge"),
                            params.get("nonce"),
                            clock.instant().plus(CODE_LIFETIME)));
            String location = params.get("redirect_uri")
                    + (params.get("redirect_uri").contains("?") ? "&" : "?")
                    + "code=" + encode(code)
                    + (params.containsKey("state") ? "&state=" + encode(params.get("state")) : "");
            exchange.getResponseHeaders().set("Location", location);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(302, -1);
        }
    }

    /**
     * A user an admin added (known to the platform by email until the first sign-in): the token's {@code sub} is the
     * email and its {@code email} claim verified, so that the platform binds the two; the organization is the seeded
     * one whose domain the email is on.
     */
    private Optional<StackUser> byEmail(String email) {
        int at = email.lastIndexOf('@');
        if (at < 1) {
            return Optional.empty();
        }
        String domain = email.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
        return seed.organizations().stream()
                .filter(organization -> organization.domain().equals(domain))
                .findFirst()
                .map(organization -> new StackUser(email, organization.id(), "member", email));
    }

    private Optional<String> authorizationProblem(Map<String, String> params) {
        if (!"code".equals(params.get("response_type"))) {
            return Optional.of("response_type must be 'code' (the authorization-code flow)");
        }
        if (params.getOrDefault("client_id", "").isBlank()) {
            return Optional.of("client_id is missing");
        }
        String redirect = params.get("redirect_uri");
        if (redirect == null || !loopback(redirect)) {
            return Optional.of("redirect_uri must be an http(s) URL on 127.0.0.1 or localhost, got " + redirect);
        }
        if (params.getOrDefault("code_challenge", "").isBlank()) {
            return Optional.of("code_challenge is missing: PKCE is required");
        }
        if (!"S256".equals(params.get("code_challenge_method"))) {
            return Optional.of("code_challenge_method must be S256");
        }
        return Optional.empty();
    }

    private static boolean loopback(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    && uri.getFragment() == null
                    && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * {@code POST /token} with {@code grant_type=authorization_code}: the JSON token response, or an OAuth error
     * ({@code invalid_grant} for an unknown, used or expired code or a verifier that does not match).
     */
    void exchange(HttpExchange exchange, Map<String, String> form) throws IOException {
        cors(exchange);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (!"authorization_code".equals(form.get("grant_type"))) {
            error(exchange, "unsupported_grant_type", "grant_type must be authorization_code");
            return;
        }
        String code = form.get("code");
        Grant grant = code == null ? null : codes.remove(code); // single use, whatever happens next
        if (grant == null || clock.instant().isAfter(grant.expires())) {
            error(exchange, "invalid_grant", "the code is unknown, already used or expired");
            return;
        }
        if (!grant.redirectUri().equals(form.get("redirect_uri"))) {
            error(exchange, "invalid_grant", "redirect_uri differs from the authorization request's");
            return;
        }
        if (!grant.clientId().equals(form.get("client_id"))) {
            error(exchange, "invalid_grant", "client_id differs from the authorization request's");
            return;
        }
        String verifier = form.getOrDefault("code_verifier", "");
        if (verifier.length() < 43
                || verifier.length() > 128
                || !challenge(verifier).equals(grant.codeChallenge())) {
            error(exchange, "invalid_grant", "code_verifier does not match the code_challenge (S256)");
            return;
        }
        StackUser user = grant.user();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("azp", grant.clientId());
        claims.put("email", user.email());
        claims.put("email_verified", true);
        Duration lifetime = Duration.ofHours(1);
        String accessToken = issuer.token(user.subject(), user.organizationId(), user.role(), lifetime, claims);
        Map<String, Object> idClaims = new LinkedHashMap<>(claims);
        if (grant.nonce() != null) {
            idClaims.put("nonce", grant.nonce());
        }
        String idToken = issuer.token(user.subject(), user.organizationId(), user.role(), lifetime, idClaims);
        HttpExchanges.respond(
                exchange,
                200,
                "application/json",
                "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + lifetime.toSeconds() + ",\"id_token\":\"" + idToken + "\",\"scope\":\""
                        + String.join(" ", SCOPES) + "\"}");
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Browsers call the token endpoint from the application's origin. */
    static void cors(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
        exchange.getResponseHeaders().set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    }

    private static void error(HttpExchange exchange, String code, String description) throws IOException {
        HttpExchanges.respond(
                exchange,
                400,
                "application/json",
                "{\"error\":\"" + code + "\",\"error_description\":\"" + description + "\"}");
    }

    static Map<String, String> form(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            return HttpExchanges.query(new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private String chooser(Map<String, String> params) {
        StringBuilder hidden = new StringBuilder();
        for (String name : List.of(
                "response_type",
                "client_id",
                "redirect_uri",
                "scope",
                "state",
                "nonce",
                "code_challenge",
                "code_challenge_method")) {
            if (params.containsKey(name)) {
                hidden.append("<input type=\"hidden\" name=\"")
                        .append(name)
                        .append("\" value=\"")
                        .append(escape(params.get(name)))
                        .append("\">");
            }
        }
        StringBuilder users = new StringBuilder("<ul>");
        for (StackUser user : seed.users()) {
            users.append("<li><button type=\"submit\" name=\"user\" value=\"")
                    .append(escape(user.subject()))
                    .append("\" id=\"user-")
                    .append(escape(user.subject()))
                    .append("\">")
                    .append(escape(user.subject()))
                    .append("</button> <span>")
                    .append(escape(user.email()))
                    .append(" &middot; ")
                    .append(escape(user.role().replace('_', '-')))
                    .append(" of ")
                    .append(escape(user.organizationId()))
                    .append("</span></li>");
        }
        users.append("</ul>");
        return page(
                "Sign in to Tessera",
                "<p>Local stack: choose a seeded user. The token records a password and a one-time code"
                        + " (a second factor), as organizations require.</p>"
                        + "<form method=\"post\" action=\"/authorize\">" + hidden + users + "</form>"
                        + "<h2>Another account</h2><p>A user an administrator added signs in with their email.</p>"
                        + "<form method=\"post\" action=\"/authorize\">" + hidden
                        + "<label for=\"email\">Email</label> <input id=\"email\" name=\"email\" type=\"email\""
                        + " required autocomplete=\"email\"> <button type=\"submit\" id=\"sign-in-email\">"
                        + "Sign in</button></form>");
    }

    private static String page(String title, String body) {
        return """
                <!doctype html><html lang="en"><head><meta charset="utf-8">\
                <meta name="viewport" content="width=device-width, initial-scale=1"><title>%s</title><style>\
                body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}\
                ul{list-style:none;padding:0}li{margin:.5rem 0}input{font:inherit;padding:.4rem}label{font-weight:600}button{font:inherit;min-width:11rem;padding:.5rem 1rem;\
                border:1px solid #0b5cad;background:#0b5cad;color:#fff;border-radius:4px;cursor:pointer}\
                button:focus{outline:3px solid #f0b400;outline-offset:2px}span{color:#3b4550}</style></head>\
                <body><main><h1>%s</h1>%s</main></body></html>""".formatted(escape(title), escape(title), body);
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
