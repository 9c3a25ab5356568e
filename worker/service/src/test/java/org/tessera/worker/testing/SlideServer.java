package org.tessera.worker.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that hands out test slides the way a client's storage would: by path, with a
 * Content-Length, optionally slowly, or with an error status.
 */
public final class SlideServer implements AutoCloseable {

    /** How one path answers. */
    public record Route(int status, Path file, Duration chunkDelay, long lieAboutLength, String location) {
        public static Route file(Path file) {
            return new Route(200, file, Duration.ZERO, -1, null);
        }

        public static Route status(int status) {
            return new Route(status, null, Duration.ZERO, -1, null);
        }

        public static Route slow(Path file, Duration chunkDelay) {
            return new Route(200, file, chunkDelay, -1, null);
        }

        /** Answers 302 to the location. */
        public static Route redirect(String location) {
            return new Route(302, null, Duration.ZERO, -1, location);
        }

        /** Serves the file without Content-Length (chunked), so only the streaming cap can catch it. */
        public static Route chunked(Path file) {
            return new Route(200, file, Duration.ZERO, 0, null);
        }
    }

    private static final int CHUNK = 16 * 1024;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Route> routes = new ConcurrentHashMap<>();

    public SlideServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
    }

    public String route(String path, Route route) {
        routes.put("/" + path, route);
        return url(path);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Route route = routes.get(exchange.getRequestURI().getPath());
            if (route == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (route.location() != null) {
                exchange.getResponseHeaders().add("Location", route.location());
            }
            if (route.status() != 200) {
                exchange.sendResponseHeaders(route.status(), -1);
                return;
            }
            byte[] bytes = Files.readAllBytes(route.file());
            exchange.sendResponseHeaders(200, route.lieAboutLength() == 0 ? 0 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int offset = 0; offset < bytes.length; offset += CHUNK) {
                    out.write(bytes, offset, Math.min(CHUNK, bytes.length - offset));
                    if (!route.chunkDelay().isZero()) {
                        out.flush();
                        Thread.sleep(route.chunkDelay());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                // The client hung up (e.g. it stopped at its size cap): nothing to do.
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
