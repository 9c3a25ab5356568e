package org.tessera.worker.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1, written on plain sockets so that it can misbehave the way a slow or hostile slide
 * store does: it sends its headers with a Content-Length, then {@code burst} bytes every {@code pause}, or nothing
 * at all after the first burst ({@code pause} null). Records the requests' Host headers and counts connections.
 */
public final class TricklingServer implements AutoCloseable {

    private final ServerSocket socket;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final long length;
    private final int burst;
    private final Duration pause;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> hosts = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;

    /**
     * @param length the Content-Length announced (and sent, if the client waits long enough)
     * @param burst bytes sent at once
     * @param pause between bursts; null sends the first burst and then nothing, holding the connection open
     */
    public TricklingServer(long length, int burst, Duration pause) throws IOException {
        this.length = length;
        this.burst = burst;
        this.pause = pause;
        socket = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        executor.submit(this::accept);
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port() + "/" + path;
    }

    public int connections() {
        return connections.get();
    }

    public List<String> hostHeaders() {
        return List.copyOf(hosts);
    }

    private void accept() {
        while (open) {
            try {
                Socket client = socket.accept();
                connections.incrementAndGet();
                executor.submit(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.ISO_8859_1));
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                if (line.regionMatches(true, 0, "Host:", 0, 5)) {
                    hosts.add(line.substring(5).trim());
                }
            }
            OutputStream out = client.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long sent = 0;
            byte[] bytes = new byte[burst];
            while (open && sent < length) {
                int n = (int) Math.min(burst, length - sent);
                out.write(bytes, 0, n);
                out.flush();
                sent += n;
                if (pause == null) {
                    while (open) {
                        Thread.sleep(50);
                    }
                    return;
                }
                Thread.sleep(pause);
            }
        } catch (IOException | InterruptedException e) {
            // The client gave up: what the tests expect.
        }
    }

    @Override
    public void close() throws IOException {
        open = false;
        socket.close();
        executor.shutdownNow();
    }
}
