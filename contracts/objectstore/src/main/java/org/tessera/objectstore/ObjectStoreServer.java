package org.tessera.objectstore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves a {@link FilesystemObjectStore} over HTTP at {@code /objects/<key>}, admitting only requests whose URL
 * carries a valid, unexpired signature for that method and key: GET/HEAD download, PUT upload, DELETE remove. A bad or
 * expired signature is answered 403 with the reason; nothing else needs credentials, which is what lets a client
 * fetch results without the platform's bearer token.
 */
public final class ObjectStoreServer implements AutoCloseable {

    private static final String TEXT = "text/plain";

    private static final Logger LOG = Logger.getLogger(ObjectStoreServer.class.getName());
    private static final String PREFIX = "/objects/";

    private final FilesystemObjectStore store;
    private final UrlSigner signer;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private ObjectStoreServer(FilesystemObjectStore store, UrlSigner signer, HttpServer server) {
        this.store = store;
        this.signer = signer;
        this.server = server;
    }

    /**
     * Starts serving {@code root} on {@code bindAddress}. The signer's public URL should point at this server.
     *
     * @param bindAddress e.g. {@code 127.0.0.1:9000}; port 0 picks a free port
     */
    public static ObjectStoreServer start(Path root, String signingKey, InetSocketAddress bindAddress, URI publicUrl)
            throws IOException {
        HttpServer http = HttpServer.create(bindAddress, 64);
        URI effectiveUrl = publicUrl != null
                ? publicUrl
                : URI.create("http://" + bindAddress.getHostString() + ":"
                        + http.getAddress().getPort());
        UrlSigner signer = new UrlSigner(signingKey, effectiveUrl, Clock.systemUTC());
        ObjectStoreServer server = new ObjectStoreServer(new FilesystemObjectStore(root, signer), signer, http);
        http.createContext(PREFIX, server::handle);
        http.createContext(
                "/health", exchange -> HttpExchanges.respond(exchange, 200, "application/json", "{\"status\":\"UP\"}"));
        http.setExecutor(server.executor);
        http.start();
        return server;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public FilesystemObjectStore store() {
        return store;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String rawPath = exchange.getRequestURI().getRawPath();
            String key = URLDecoder.decode(rawPath.substring(PREFIX.length()), StandardCharsets.UTF_8);
            Map<String, String> query = HttpExchanges.query(exchange);
            String method = exchange.getRequestMethod();
            boolean prefixDelete = method.equals("DELETE") && query.containsKey("prefix");
            String signedMethod = switch (method) {
                case "HEAD" -> "GET";
                case "DELETE" -> prefixDelete ? UrlSigner.DELETE_PREFIX : "DELETE";
                default -> method;
            };
            try {
                ObjectKeys.requireValid(key);
            } catch (IllegalArgumentException e) {
                HttpExchanges.respond(exchange, 400, TEXT, e.getMessage());
                return;
            }
            ResponseHeaders headers;
            try {
                headers = new ResponseHeaders(
                        query.get(ResponseHeaders.CONTENT_TYPE_PARAMETER),
                        query.get(ResponseHeaders.CONTENT_DISPOSITION_PARAMETER));
            } catch (IllegalArgumentException e) {
                HttpExchanges.respond(exchange, 400, TEXT, e.getMessage());
                return;
            }
            String refusal = signer.refusal(
                    signedMethod, key, query.get(UrlSigner.EXPIRES), query.get(UrlSigner.SIGNATURE), headers);
            if (refusal != null) {
                HttpExchanges.respond(exchange, 403, TEXT, refusal);
                return;
            }
            switch (method) {
                case "GET", "HEAD" -> download(exchange, key, headers, method.equals("HEAD"));
                case "PUT" -> {
                    try (InputStream body = exchange.getRequestBody()) {
                        store.write(key, body);
                    }
                    HttpExchanges.respond(exchange, 200, TEXT, "");
                }
                case "DELETE" -> {
                    if (prefixDelete) {
                        String prefix = query.get("prefix").equals("dir") ? key + "/" : key;
                        HttpExchanges.respond(exchange, 200, TEXT, Integer.toString(store.deletePrefix(prefix)));
                    } else {
                        HttpExchanges.respond(exchange, store.delete(key) ? 204 : 404, TEXT, "");
                    }
                }
                default -> HttpExchanges.respond(exchange, 405, TEXT, "method not allowed");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "object store request failed: " + exchange.getRequestURI().getRawPath(),
                    e);
            throw e;
        }
    }

    private void download(HttpExchange exchange, String key, ResponseHeaders headers, boolean headOnly)
            throws IOException {
        Path file = store.pathOf(key);
        if (!Files.isRegularFile(file)) {
            HttpExchanges.respond(exchange, 404, TEXT, "no object " + key);
            return;
        }
        exchange.getResponseHeaders()
                .set(
                        "Content-Type",
                        headers.contentType() != null ? headers.contentType() : ObjectKeys.mediaTypeOf(key));
        if (headers.contentDisposition() != null) {
            exchange.getResponseHeaders().set("Content-Disposition", headers.contentDisposition());
        }
        long size = Files.size(file);
        if (headOnly) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        switch (ByteRange.parse(exchange.getRequestHeaders().getFirst("Range"), size)) {
            case ByteRange.Partial(ByteRange range) -> {
                exchange.getResponseHeaders().set("Content-Range", range.contentRange(size));
                exchange.sendResponseHeaders(206, range.length());
                try (var in = Files.newInputStream(file);
                        OutputStream out = exchange.getResponseBody()) {
                    in.skipNBytes(range.first());
                    byte[] buffer = new byte[1 << 16];
                    for (long left = range.length(); left > 0; ) {
                        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        if (n < 0) {
                            break;
                        }
                        out.write(buffer, 0, n);
                        left -= n;
                    }
                }
            }
            case ByteRange.Unsatisfiable() -> {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                HttpExchanges.respond(exchange, 416, TEXT, "range starts past the object's " + size + " bytes");
            }
            case ByteRange.Whole() -> {
                exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Runs a standalone server: {@code --root DIR --port N [--bind 127.0.0.1] [--public-url URL]}, signing key from
     * the environment variable {@code TESSERA_OBJECTSTORE_SIGNING_KEY} (never on the command line, where {@code ps}
     * would show it).
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String key = System.getenv("TESSERA_OBJECTSTORE_SIGNING_KEY");
        if (key == null || !options.containsKey("--root")) {
            System.err.println("usage: ObjectStoreServer --root DIR [--port 9000] [--bind 127.0.0.1] [--public-url URL]"
                    + " with TESSERA_OBJECTSTORE_SIGNING_KEY set");
            System.exit(2);
        }
        String bind = options.getOrDefault("--bind", "127.0.0.1");
        int port = Integer.parseInt(options.getOrDefault("--port", "9000"));
        URI publicUrl = options.containsKey("--public-url") ? URI.create(options.get("--public-url")) : null;
        ObjectStoreServer server =
                start(Path.of(options.get("--root")), key, new InetSocketAddress(bind, port), publicUrl);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("object store serving " + options.get("--root") + " on " + bind + ":" + server.port());
        Thread.currentThread().join();
    }
}
