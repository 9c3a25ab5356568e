package org.tessera.objectstore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves a {@link FilesystemObjectStore} over HTTP at {@code /objects/<key>}, admitting only requests whose URL
 * carries a valid, unexpired signature for that method and key: GET/HEAD download, PUT upload, DELETE remove. A bad or
 * expired signature, one that expires further ahead than {@link Limits#maxExpiry()}, or one made with a scoped key
 * outside its {@link SigningScope} is answered 403 with the reason; an upload larger than
 * {@link Limits#maxUploadBytes()} 413. Nothing else needs credentials, which is what lets a client fetch results
 * without the platform's bearer token.
 */
public final class ObjectStoreServer implements AutoCloseable {

    /**
     * What the server accepts.
     *
     * @param maxUploadBytes largest object a PUT may store
     * @param maxExpiry furthest ahead a signed URL's expiry may lie when it is used
     */
    public record Limits(long maxUploadBytes, Duration maxExpiry) {

        /** 20 GiB, as large as the largest slide a worker accepts by default. */
        public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L << 30;

        public Limits {
            if (maxUploadBytes <= 0) {
                throw new IllegalArgumentException("max upload bytes must be positive");
            }
            if (maxExpiry.isNegative() || maxExpiry.isZero()) {
                throw new IllegalArgumentException("max expiry must be positive");
            }
        }

        public static Limits defaults() {
            return new Limits(DEFAULT_MAX_UPLOAD_BYTES, UrlSigner.DEFAULT_MAX_EXPIRY);
        }
    }

    private static final String TEXT = "text/plain";

    private static final Logger LOG = Logger.getLogger(ObjectStoreServer.class.getName());
    private static final String PREFIX = "/objects/";

    private final FilesystemObjectStore store;
    private final UrlSigner signer;
    private final HttpServer server;
    private final Limits limits;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private ObjectStoreServer(FilesystemObjectStore store, UrlSigner signer, HttpServer server, Limits limits) {
        this.store = store;
        this.signer = signer;
        this.server = server;
        this.limits = limits;
    }

    /**
     * Starts serving {@code root} on {@code bindAddress}. The signer's public URL should point at this server.
     *
     * @param bindAddress e.g. {@code 127.0.0.1:9000}; port 0 picks a free port
     */
    public static ObjectStoreServer start(Path root, String signingKey, InetSocketAddress bindAddress, URI publicUrl)
            throws IOException {
        return start(root, signingKey, bindAddress, publicUrl, Limits.defaults());
    }

    /** Like {@link #start(Path, String, InetSocketAddress, URI)} with the given limits. */
    public static ObjectStoreServer start(
            Path root, String signingKey, InetSocketAddress bindAddress, URI publicUrl, Limits limits)
            throws IOException {
        HttpServer http = HttpServer.create(bindAddress, 64);
        URI effectiveUrl = publicUrl != null
                ? publicUrl
                : URI.create("http://" + bindAddress.getHostString() + ":"
                        + http.getAddress().getPort());
        UrlSigner signer = new UrlSigner(signingKey, effectiveUrl, Clock.systemUTC());
        ObjectStoreServer server = new ObjectStoreServer(new FilesystemObjectStore(root, signer), signer, http, limits);
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
            String prefixMode = method.equals("DELETE") ? query.get(UrlSigner.PREFIX_MODE) : null;
            if (prefixMode != null && !prefixMode.equals("dir") && !prefixMode.equals("text")) {
                HttpExchanges.respond(exchange, 400, TEXT, UrlSigner.PREFIX_MODE + " must be dir or text");
                return;
            }
            String signedMethod = switch (method) {
                case "HEAD" -> "GET";
                case "DELETE" -> prefixMode != null ? UrlSigner.DELETE_PREFIX + ":" + prefixMode : "DELETE";
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
                    signedMethod,
                    key,
                    query.get(UrlSigner.EXPIRES),
                    query.get(UrlSigner.SIGNATURE),
                    headers,
                    query.get(SigningScope.PARAMETER),
                    limits.maxExpiry());
            if (refusal != null) {
                HttpExchanges.respond(exchange, 403, TEXT, refusal);
                return;
            }
            switch (method) {
                case "GET", "HEAD" -> download(exchange, key, headers, method.equals("HEAD"));
                case "PUT" -> upload(exchange, key);
                case "DELETE" -> {
                    if (prefixMode != null) {
                        String prefix = prefixMode.equals("dir") ? key + "/" : key;
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

    private void upload(HttpExchange exchange, String key) throws IOException {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                HttpExchanges.respond(exchange, 400, TEXT, "malformed Content-Length");
                return;
            }
            if (length > limits.maxUploadBytes()) {
                HttpExchanges.respond(exchange, 413, TEXT, tooLarge(length + " bytes"));
                return;
            }
        }
        try (InputStream body = new CappedInputStream(exchange.getRequestBody(), limits.maxUploadBytes())) {
            store.write(key, body);
        } catch (CappedInputStream.LimitExceeded e) {
            HttpExchanges.respond(exchange, 413, TEXT, tooLarge("more than " + limits.maxUploadBytes() + " bytes"));
            return;
        }
        HttpExchanges.respond(exchange, 200, TEXT, "");
    }

    private String tooLarge(String size) {
        return "upload of " + size + " exceeds this object store's limit of " + limits.maxUploadBytes() + " bytes";
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
        // Viewers read slides block by block: single byte ranges are answered 206, as cloud storage does.
        exchange.getResponseHeaders().set("Accept-Ranges", "bytes");
        exchange.getResponseHeaders()
                .set(
                        "ETag",
                        "\"" + Long.toHexString(Files.getLastModifiedTime(file).toMillis()) + "-"
                                + Long.toHexString(size) + "\"");
        if (headOnly) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        switch (ByteRange.parse(exchange.getRequestHeaders().getFirst("Range"), size)) {
            case ByteRange.Partial partial -> {
                ByteRange range = partial.range();
                exchange.getResponseHeaders().set("Content-Range", range.contentRange(size));
                exchange.sendResponseHeaders(206, range.length());
                try (OutputStream out = exchange.getResponseBody();
                        FileChannel channel = FileChannel.open(file)) {
                    WritableByteChannel target = Channels.newChannel(out);
                    long end = range.first() + range.length();
                    for (long at = range.first(); at < end; ) {
                        at += channel.transferTo(at, end - at, target);
                    }
                }
            }
            case ByteRange.Unsatisfiable unsatisfiable -> {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                HttpExchanges.respond(exchange, 416, TEXT, "range starts past the object's " + size + " bytes");
            }
            case ByteRange.Whole whole -> {
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
     * Runs a standalone server: {@code --root DIR --port N [--bind 127.0.0.1] [--public-url URL] [--max-upload-bytes N]
     * [--max-expiry P7D]}, master signing key from the environment variable {@code TESSERA_OBJECTSTORE_SIGNING_KEY}
     * (never on the command line, where {@code ps} would show it). {@code --derive-key SCOPE} prints the key of a
     * {@link SigningScope} instead, for the service that is to hold it.
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        String key = System.getenv("TESSERA_OBJECTSTORE_SIGNING_KEY");
        if (key == null || key.isBlank()) {
            System.err.println("TESSERA_OBJECTSTORE_SIGNING_KEY is not set: the object store needs its master signing"
                    + " key (at least 16 characters; e.g. 64 hex digits from a secure random source)");
            System.exit(2);
        }
        if (options.containsKey("--derive-key")) {
            // The key a service of that scope is given; printed, not logged: pipe it into the service's secret.
            System.out.println(SigningScope.require(options.get("--derive-key")).deriveKey(key));
            return;
        }
        if (!options.containsKey("--root")) {
            System.err.println("usage: ObjectStoreServer --root DIR [--port 9000] [--bind 127.0.0.1] [--public-url URL]"
                    + " [--max-upload-bytes N] [--max-expiry P7D]"
                    + "\n   or: ObjectStoreServer --derive-key worker-output|orchestrator"
                    + "\nwith TESSERA_OBJECTSTORE_SIGNING_KEY set to the master key");
            System.exit(2);
        }
        String bind = options.getOrDefault("--bind", "127.0.0.1");
        int port = Integer.parseInt(options.getOrDefault("--port", "9000"));
        URI publicUrl = options.containsKey("--public-url") ? URI.create(options.get("--public-url")) : null;
        Limits limits = new Limits(
                Long.parseLong(
                        options.getOrDefault("--max-upload-bytes", Long.toString(Limits.DEFAULT_MAX_UPLOAD_BYTES))),
                Duration.parse(options.getOrDefault("--max-expiry", UrlSigner.DEFAULT_MAX_EXPIRY.toString())));
        ObjectStoreServer server =
                start(Path.of(options.get("--root")), key, new InetSocketAddress(bind, port), publicUrl, limits);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("object store serving " + options.get("--root") + " on " + bind + ":" + server.port());
        Thread.currentThread().join();
    }
}
