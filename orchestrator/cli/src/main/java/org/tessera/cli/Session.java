package org.tessera.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import org.tessera.cli.api.ApiClient;
import org.tessera.cli.auth.CredentialStore;
import picocli.CommandLine.Option;

/**
 * The options every command takes, and what they add up to: where the platform and its identity provider are, which
 * token to send, and whether output is for scripts ({@code --json}) or people.
 */
public final class Session {

    public static final String DEFAULT_API_URL = "http://127.0.0.1:8180";
    public static final String DEFAULT_ISSUER_URL = "http://127.0.0.1:8183";

    @Option(
            names = "--api-url",
            paramLabel = "URL",
            description = "The platform's API root (env TESSERA_API_URL; default " + DEFAULT_API_URL + ").")
    String apiUrl;

    @Option(
            names = "--issuer",
            paramLabel = "URL",
            description = "The identity provider to sign in with (env TESSERA_ISSUER; default " + DEFAULT_ISSUER_URL
                    + ", the local stack's).")
    String issuerUrl;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "A bearer token to use instead of the cached one (env TESSERA_TOKEN), for scripts.")
    String token;

    @Option(names = "--json", description = "Machine-readable output: JSON (JSON lines for progress).")
    boolean json;

    @Option(names = "--no-color", description = "No colours even on a terminal (also: env NO_COLOR).")
    boolean noColour;

    private Terminal terminal;
    private ApiClient api;

    public static Map<String, String> environment() {
        return System.getenv();
    }

    public boolean json() {
        return json;
    }

    public Terminal terminal() {
        if (terminal == null) {
            terminal = Terminal.detect(noColour);
        }
        return terminal;
    }

    public String apiUrl() {
        String url = firstOf(apiUrl, environment().get("TESSERA_API_URL"), DEFAULT_API_URL);
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public URI issuerUrl() {
        return URI.create(firstOf(issuerUrl, environment().get("TESSERA_ISSUER"), DEFAULT_ISSUER_URL));
    }

    public CredentialStore credentials() {
        return new CredentialStore(CredentialStore.defaultDirectory(environment()));
    }

    public ApiClient api() {
        if (api == null) {
            api = new ApiClient(URI.create(apiUrl()), this::bearerToken);
        }
        return api;
    }

    /** The token to send: {@code --token}, then {@code TESSERA_TOKEN}, then the cache for this API. */
    public String bearerToken() {
        String explicit = firstOf(token, environment().get("TESSERA_TOKEN"), null);
        if (explicit != null && !explicit.isBlank()) {
            return explicit.strip();
        }
        CredentialStore.Credential cached = credentials()
                .read(apiUrl())
                .orElseThrow(() -> new CliException(
                        ExitCode.AUTH,
                        "not signed in to " + apiUrl() + ": run tessera login, or pass --token / set TESSERA_TOKEN"));
        if (cached.expired(Instant.now())) {
            throw new CliException(
                    ExitCode.AUTH,
                    "the token for " + apiUrl() + " expired at " + cached.expiresAt() + ": run tessera login again");
        }
        return cached.accessToken();
    }

    /** Prints a JSON document on its own line (a JSON line when several follow). */
    public void printJson(JsonNode node) {
        terminal().out().println(node.toString());
        terminal().out().flush();
    }

    private static String firstOf(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return fallback;
    }
}
