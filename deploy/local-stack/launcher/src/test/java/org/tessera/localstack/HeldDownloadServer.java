package org.tessera.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the files of one folder over plain HTTP on 127.0.0.1, like a slide host behind a signed URL, except that the
 * very first download is held: it sends its headers and half of the file, then waits until {@link #release()}. A
 * worker fetching that slide is thereby stuck mid-item for as long as a test needs, whatever the machine's speed,
 * while its heartbeats keep flowing. Every later download is served in full at once.
 */
final class HeldDownloadServer implements AutoCloseable {

    private final Path folder;
    private final Duration maxHold;
    private final HttpServer server;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger downloads = new AtomicInteger();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private HeldDownloadServer(Path folder, Duration maxHold) throws IOException {
        this.folder = folder;
        this.maxHold = maxHold;
        this.server = HttpServer.create(new InetSocketAddress(Ports.LOOPBACK_HOST, 0), 0);
        server.createContext("/", this::handle);
        // The held exchange blocks its thread: every other request needs one of its own.
        server.setExecutor(handlers);
    }

    /**
     * @param maxHold the longest the first download is held even without {@link #release()}, so that a failed test
     *     leaves no thread waiting forever
     */
    static HeldDownloadServer start(Path folder, Duration maxHold) throws IOException {
        HeldDownloadServer held = new HeldDownloadServer(folder, maxHold);
        held.server.start();
        return held;
    }

    /** The URL of {@code key}: the file of the key's last path segment in the folder. */
    URI url(String key) {
        return URI.create(
                "http://" + Ports.LOOPBACK_HOST + ":" + server.getAddress().getPort() + "/" + key);
    }

    /** Whether the first download has sent half of its file and is now waiting. */
    boolean isHolding() {
        return holding.getCount() == 0 && released.getCount() == 1;
    }

    /** Lets the held download go on (its client may be gone by then) and no longer holds anything. */
    void release() {
        released.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Path file = folder.resolve(Path.of(exchange.getRequestURI().getPath())
                            .getFileName()
                            .toString())
                    .normalize();
            if (!exchange.getRequestMethod().equals("GET")
                    || !file.getParent().equals(folder.normalize())
                    || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            boolean first = downloads.getAndIncrement() == 0;
            long size = Files.size(file);
            exchange.getResponseHeaders().set("Content-Type", SlideSet.MEDIA_TYPE);
            exchange.sendResponseHeaders(200, size);
            try (InputStream in = Files.newInputStream(file);
                    OutputStream out = exchange.getResponseBody()) {
                if (first) {
                    out.write(in.readNBytes((int) (size / 2)));
                    out.flush();
                    holding.countDown();
                    released.await(maxHold.toMillis(), TimeUnit.MILLISECONDS);
                }
                in.transferTo(out);
            }
        } catch (IOException e) {
            // The client went away mid-body, as a killed worker does; nothing to serve any more.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        handlers.shutdownNow();
    }
}
