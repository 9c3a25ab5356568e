package org.tessera.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.tessera.objectstore.HttpExchanges;
import org.tessera.objectstore.ObjectStore;
import org.tessera.testkit.TokenIssuer;

/**
 * What a registered client would get from its identity provider and its organization's bucket credentials, served on
 * the loopback interface only: {@code POST /token?user=<sub>} answers an RS256 access token (text) for a seeded user
 * ({@code user=member} and {@code user=admin} name the seeded ones by role), or any user given {@code org} and
 * {@code role}; {@code GET /jwks.json} the public keys; {@code POST
 * /sign?method=PUT|GET&key=<object key>[&ttl_s=N]} a signed object-store URL, as the client would sign with its HMAC
 * keys; {@code GET /authorize}, {@code POST /token} (form, {@code grant_type=authorization_code}) and {@code GET
 * /.well-known/openid-configuration}: the OpenID Connect sign-in of browser applications such as the dashboard
 * ({@link SignIn}); the device authorization grant for command-line clients ({@link DeviceAuthorization}). No
 * authentication: it exists so that local clients can talk to the stack.
 */
public final class AccessServer implements AutoCloseable {

    static final String NAME = "access";
    private static final Duration DEFAULT_URL_TTL = Duration.ofHours(6);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final TokenIssuer issuer;
    private final Seed seed;
    private final ObjectStore objectStore;
    private final SignIn signIn;

    private AccessServer(HttpServer server, TokenIssuer issuer, Seed seed, ObjectStore objectStore) {
        this.server = server;
        this.issuer = issuer;
        this.seed = seed;
        this.objectStore = objectStore;
        this.signIn = new SignIn(issuer, seed, Clock.systemUTC());
    }

    public static AccessServer start(int port, TokenIssuer issuer, Seed seed, ObjectStore objectStore)
            throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK, port), 16);
        AccessServer access = new AccessServer(http, issuer, seed, objectStore);
        http.createContext("/token", access::token);
        http.createContext(
                "/jwks.json", exchange -> HttpExchanges.respond(exchange, 200, "application/json", issuer.jwksJson()));
        http.createContext("/sign", access::sign);
        http.createContext("/authorize", access.signIn::authorize);
        http.createContext("/.well-known/openid-configuration", exchange -> {
            try (exchange) {
                SignIn.cors(exchange);
                HttpExchanges.respond(exchange, 200, "application/json", access.signIn.discovery(access.url()));
            }
        });
        new DeviceAuthorization(issuer, seed, java.time.Clock.systemUTC(), access::url).register(http);
        http.createContext(
                "/health", exchange -> HttpExchanges.respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
        http.setExecutor(access.executor);
        http.start();
        return access;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI url() {
        return URI.create("http://" + Ports.LOOPBACK_HOST + ":" + port());
    }

    /** A token for a seeded user. */
    public String token(StackUser user) {
        return issuer.token(user.subject(), user.organizationId(), user.role());
    }

    private void token(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestMethod().equals("OPTIONS")) {
                SignIn.cors(exchange);
                exchange.sendResponseHeaders(204, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                HttpExchanges.respond(exchange, 405, "text/plain", "use POST /token?user=<sub>\n");
                return;
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null && contentType.startsWith("application/x-www-form-urlencoded")) {
                // The OAuth token endpoint: an authorization code from /authorize, with its PKCE verifier.
                signIn.exchange(exchange, SignIn.form(exchange));
                return;
            }
            Map<String, String> query = HttpExchanges.query(exchange);
            String subject = query.get("user");
            if (subject == null || subject.isBlank()) {
                HttpExchanges.respond(
                        exchange,
                        400,
                        "text/plain",
                        "missing query parameter 'user' (seeded: " + seededUsers() + ")\n");
                return;
            }
            Optional<StackUser> seeded = seed.user(subject);
            String organization = query.getOrDefault(
                    "org", seeded.map(StackUser::organizationId).orElse(null));
            String role = query.getOrDefault("role", seeded.map(StackUser::role).orElse("member"));
            if (organization == null) {
                HttpExchanges.respond(
                        exchange,
                        400,
                        "text/plain",
                        "user '" + subject + "' is not seeded (seeded: " + seededUsers()
                                + "); pass org=<org_id> to mint a token for another user anyway\n");
                return;
            }
            String tokenSubject = seeded.map(StackUser::subject).orElse(subject);
            HttpExchanges.respond(exchange, 200, "text/plain", issuer.token(tokenSubject, organization, role));
        }
    }

    private String seededUsers() {
        return seed.users().stream()
                .map(user -> user.subject() + " (or " + user.role() + ")")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private void sign(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = HttpExchanges.query(exchange);
            String method = query.getOrDefault("method", "");
            String key = query.get("key");
            if (!exchange.getRequestMethod().equals("POST") || key == null) {
                HttpExchanges.respond(
                        exchange, 400, "text/plain", "use POST /sign?method=PUT|GET&key=<object key>[&ttl_s=N]\n");
                return;
            }
            Duration ttl;
            try {
                ttl = query.containsKey("ttl_s")
                        ? Duration.ofSeconds(Long.parseLong(query.get("ttl_s")))
                        : DEFAULT_URL_TTL;
            } catch (NumberFormatException e) {
                HttpExchanges.respond(exchange, 400, "text/plain", "ttl_s must be a whole number of seconds\n");
                return;
            }
            URI url;
            try {
                url = switch (method) {
                    case "PUT" -> objectStore.presignPut(key, ttl);
                    case "GET" -> objectStore.presignGet(key, ttl);
                    default -> null;
                };
            } catch (IllegalArgumentException e) {
                HttpExchanges.respond(exchange, 400, "text/plain", "key: " + e.getMessage() + "\n");
                return;
            }
            if (url == null) {
                HttpExchanges.respond(exchange, 400, "text/plain", "method must be PUT or GET\n");
                return;
            }
            HttpExchanges.respond(exchange, 200, "text/plain", url.toString());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
