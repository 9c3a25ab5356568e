package org.tessera.viewer;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.tessera.slides.SlideFormatException;
import org.tessera.slides.SlideReader;
import org.tessera.slides.SlideReaders;

/**
 * The viewer for a slide on this machine, without the platform: serves the viewer page at {@code /viewer/} and its API
 * for the one slide at {@code /api/viewer/v1/local/...}, reading the file with the worker's slide readers, and
 * overlays the results in a directory (the files a run's item produced, as the worker names them). For the CLI's
 * {@code view <file>}; it binds to loopback by default and asks for no credentials, so it must not be exposed.
 *
 * <pre>{@code
 * try (ViewerServer server = ViewerServer.start(slide, resultsOrNull, new InetSocketAddress("127.0.0.1", 0))) {
 *     System.out.println("open " + server.pageUrl());
 *     ...
 * }
 * }</pre>
 */
public final class ViewerServer implements AutoCloseable {

    /** Where the API of the local slide lives; the page asks there when opened with {@code ?local=1}. */
    public static final String API = "/api/viewer/v1/local/";

    private static final String PAGE = "/viewer/";
    private static final String RESOURCES = "META-INF/resources/viewer/";
    private static final String[] TASKS = {
        "tissue_qc", "tissue_segmentation", "cell_classification", "readout_generation"
    };

    private final HttpServer server;
    private final ViewerSession session;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    private ViewerServer(HttpServer server, ViewerSession session) {
        this.server = server;
        this.session = session;
    }

    /**
     * Opens the slide and starts serving.
     *
     * @param slide a slide file the worker's readers read (TIFF/SVS, DICOM file, zip or directory, what OpenSlide reads)
     * @param results a directory of the item's result files (e.g. {@code tissue_qc_segmentation_map_image.tiff}), or
     *     null
     * @param bind where to listen; port 0 picks a free one
     * @throws SlideFormatException when no reader reads the slide
     */
    public static ViewerServer start(Path slide, Path results, InetSocketAddress bind)
            throws IOException, SlideFormatException {
        SlideReader reader =
                SlideReaders.discover().open(slide, slide.getFileName().toString());
        ViewerSession session;
        try {
            session = new ViewerSession(
                    slide.getFileName().toString(),
                    reader,
                    results == null ? List.of() : outputs(results),
                    Map.of("source", "local file " + slide.toAbsolutePath()));
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        HttpServer http = HttpServer.create(bind, 64);
        ViewerServer server = new ViewerServer(http, session);
        http.createContext(PAGE, server::page);
        http.createContext(API, server::api);
        http.createContext("/", exchange -> {
            try (exchange) {
                exchange.getResponseHeaders().set("Location", PAGE + "?local=1");
                exchange.sendResponseHeaders(302, -1);
            }
        });
        http.setExecutor(server.executor);
        http.start();
        return server;
    }

    /** The result files of {@code directory} the viewer overlays, named as the artifacts they are. */
    static List<ViewerOutput> outputs(Path directory) throws IOException {
        List<ViewerOutput> outputs = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                int dot = fileName.lastIndexOf('.');
                if (dot < 1) {
                    continue;
                }
                String stem = fileName.substring(0, dot);
                String type = switch (fileName.substring(dot + 1).toLowerCase(Locale.ROOT)) {
                    case "tiff", "tif" -> "image/tiff";
                    case "geojson" -> "application/geo+json";
                    case "csv" -> "text/csv";
                    default -> null;
                };
                if (type != null) {
                    outputs.add(new ViewerOutput(artifactName(stem), type, () -> file));
                }
            }
        }
        return outputs;
    }

    /** {@code tissue_qc_segmentation_map_image} → {@code tissue_qc:segmentation_map_image}. */
    private static String artifactName(String stem) {
        for (String task : TASKS) {
            if (stem.startsWith(task + "_")) {
                return task + ":" + stem.substring(task.length() + 1);
            }
        }
        return stem;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:40123/viewer/?local=1}. */
    public URI pageUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + PAGE + "?local=1");
    }

    private void api(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(API.length());
            ViewerResponse response =
                    session.respond(path, query(exchange.getRequestURI().getRawQuery()));
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.getResponseHeaders()
                    .set("Cache-Control", response.cacheable() ? "private, max-age=3600" : "no-store");
            send(exchange, response.status(), response.body());
        }
    }

    private void page(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = exchange.getRequestURI().getPath().substring(PAGE.length());
            if (name.isEmpty()) {
                name = "index.html";
            }
            if (name.contains("..") || !name.matches("[A-Za-z0-9_./-]+")) {
                send(exchange, 404, new byte[0]);
                return;
            }
            try (InputStream in = ViewerServer.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    send(exchange, 404, ("no " + name).getBytes(StandardCharsets.UTF_8));
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", contentType(name));
                send(exchange, 200, in.readAllBytes());
            }
        }
    }

    private static String contentType(String name) {
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "application/octet-stream";
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static Map<String, String> query(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
        executor.shutdownNow();
        session.close();
    }
}
