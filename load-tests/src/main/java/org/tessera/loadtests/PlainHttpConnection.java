package org.tessera.loadtests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One kept-alive HTTP/1.1 connection that sends prebuilt {@code POST}s and reads their answers, for benchmarks whose
 * client shares the cores with the stack it measures. The JDK's {@code HttpClient} spends about 10 ms of CPU on each
 * 150 KiB submission (its selector thread, copies, per-request objects); this writes the request's bytes and reads a
 * {@code Content-Length} answer, a fraction of a millisecond, so the cores go to the stack. Not a general client: no
 * redirects, no chunked answers, no TLS.
 */
final class PlainHttpConnection implements AutoCloseable {

    /** A status and the answer's body as text. */
    record Answer(int status, String body) {}

    private final URI endpoint;
    private final String token;
    private Socket socket;
    private OutputStream out;
    private InputStream in;

    PlainHttpConnection(URI endpoint, String token) {
        this.endpoint = endpoint;
        this.token = token;
    }

    /** The request's head and body in one array, built once so that sending it is a single write. */
    byte[] postRequest(byte[] body) {
        String head = "POST " + endpoint.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Accept: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** Sends a request built by {@link #postRequest} and waits for its answer; reconnects if the server closed. */
    Answer send(byte[] request) throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 5_000);
            socket.setSoTimeout(60_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }
        out.write(request);
        out.flush();
        String statusLine = line();
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            close();
            throw new IOException("unexpected answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean closeAfter = false;
        for (String header = line(); header != null && !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, Math.max(colon, 0)).trim();
            String value = header.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(value);
            } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                close();
                throw new IOException("chunked answers are not read by this client");
            } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                closeAfter = true;
            }
        }
        if (length < 0) {
            close();
            throw new IOException("answer without Content-Length (status " + status + ")");
        }
        byte[] body = in.readNBytes(length);
        if (closeAfter) {
            close();
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.US_ASCII);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing is all that was left to do with it.
            }
            socket = null;
        }
    }
}
