package org.tessera.bytes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback HTTP server for one file that answers single range requests as cloud storage does (206, Content-Range,
 * ETag, Last-Modified), and can be told to misbehave: refuse the URL (403), ignore ranges (200), or change the file's
 * version.
 */
public final class RangeFileServer implements AutoCloseable {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    private final Path file;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean refuse;
    private volatile boolean ignoreRanges;
    private volatile String etag = "\"v1\"";
    private volatile long delayMillis;

    private RangeFileServer(Path file) throws IOException {
        this.file = file;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static RangeFileServer serve(Path file) throws IOException {
        return new RangeFileServer(file);
    }

    /** The file's URL, with {@code query} (e.g. a signature) appended. */
    public URI url(String query) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slide.bin"
                + (query.isEmpty() ? "" : "?" + query));
    }

    public int requests() {
        return requests.get();
    }

    /** Answer 403, as storage does for an expired signature. */
    public void refuse(boolean value) {
        refuse = value;
    }

    /** Answer 200 with the whole file, as a server without range support does. */
    public void ignoreRanges(boolean value) {
        ignoreRanges = value;
    }

    public void etag(String value) {
        etag = value;
    }

    /** Wait this long before each answer. */
    public void delayMillis(long value) {
        delayMillis = value;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            requests.incrementAndGet();
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            exchange.getRequestBody().readAllBytes();
            if (refuse) {
                byte[] body = "Request has expired".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(403, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            long size = channel.size();
            exchange.getResponseHeaders().set("ETag", etag);
            exchange.getResponseHeaders().set("Last-Modified", "Tue, 03 Jun 2025 10:00:00 GMT");
            String range = exchange.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (ignoreRanges || m == null || !m.matches()) {
                exchange.sendResponseHeaders(200, size);
                send(exchange, channel, 0, size);
                return;
            }
            long start = Long.parseLong(m.group(1));
            long end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (start >= size) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + size);
            exchange.sendResponseHeaders(206, end - start + 1);
            send(exchange, channel, start, end - start + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, FileChannel channel, long start, long length) throws IOException {
        OutputStream out = exchange.getResponseBody();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long at = start;
        long left = length;
        while (left > 0) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), left));
            int n = channel.read(buffer, at);
            if (n < 0) {
                break;
            }
            out.write(buffer.array(), 0, n);
            at += n;
            left -= n;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
