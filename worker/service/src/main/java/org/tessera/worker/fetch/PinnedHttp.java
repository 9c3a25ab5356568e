package org.tessera.worker.fetch;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A minimal HTTP/1.1 GET over a socket connected to an address the caller has already checked: the host name is
 * never resolved a second time (so DNS cannot answer the check with a public address and the connection with an
 * internal one), while the request still carries the URL's {@code Host} header and, for https, its SNI name and
 * certificate check. The socket's read timeout is the caller's to set before each read, which is what lets the
 * fetcher bound a stalled body; {@link java.net.http.HttpClient} offers neither a per-read timeout nor a resolver.
 *
 * <p>Only what slide downloads need: one GET per connection ({@code Connection: close}), Content-Length, chunked or
 * until-close bodies, no content encodings (the request asks for {@code identity}).
 */
final class PinnedHttp {

    private static final int MAX_HEADER_BYTES = 64 * 1024;

    private final SSLSocketFactory tls;

    PinnedHttp(SSLSocketFactory tls) {
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    static PinnedHttp withDefaultTls() {
        return new PinnedHttp((SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    /** A TLS handshake or certificate check failed: the host is not one that can be downloaded from as asked. */
    static final class TlsFailure extends IOException {
        TlsFailure(Throwable cause) {
            super("TLS handshake failed", cause);
        }
    }

    /** The connection could not be opened at all (refused, unreachable, timed out). */
    static final class ConnectFailure extends IOException {
        final boolean refused;

        ConnectFailure(boolean refused, Throwable cause) {
            super(refused ? "connection refused" : "connection failed", cause);
            this.refused = refused;
        }
    }

    /** The answer's status and headers; the body is read from {@link #body()}. Closing it closes the connection. */
    static final class Response implements AutoCloseable {
        private final Socket socket;
        private final int status;
        private final Map<String, List<String>> headers;
        private final InputStream body;

        Response(Socket socket, int status, Map<String, List<String>> headers, InputStream body) {
            this.socket = socket;
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        int status() {
            return status;
        }

        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        OptionalLong contentLength() {
            if (header("transfer-encoding").isPresent()) {
                return OptionalLong.empty();
            }
            try {
                return header("content-length")
                        .map(v -> OptionalLong.of(Long.parseLong(v.trim())))
                        .orElse(OptionalLong.empty());
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }

        InputStream body() {
            return body;
        }

        /** How long the next read of the body may wait for a byte. */
        void readTimeout(Duration timeout) throws SocketException {
            socket.setSoTimeout(Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * Connects to {@code address} (the URL's port, or the scheme's), sends a GET for {@code uri} and reads the status
     * line and headers within {@code headerTimeout}.
     */
    Response get(URI uri, InetAddress address, Duration connectTimeout, Duration headerTimeout) throws IOException {
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        String host = uri.getHost();
        Socket socket = new Socket();
        try {
            try {
                socket.connect(
                        new InetSocketAddress(address, port),
                        Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE));
            } catch (java.net.ConnectException e) {
                throw new ConnectFailure(true, e);
            } catch (java.net.SocketTimeoutException | java.net.NoRouteToHostException e) {
                throw new ConnectFailure(false, e);
            }
            socket.setSoTimeout(Math.clamp(headerTimeout.toMillis(), 1, Integer.MAX_VALUE));
            Socket stream = https ? handshake(socket, host, port) : socket;
            OutputStream out = stream.getOutputStream();
            String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            if (uri.getRawQuery() != null) {
                target += "?" + uri.getRawQuery();
            }
            String hostHeader = host + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
            String request = "GET " + target + " HTTP/1.1\r\n"
                    + "Host: " + hostHeader + "\r\n"
                    + "User-Agent: tessera-worker\r\n"
                    + "Accept: */*\r\n"
                    + "Accept-Encoding: identity\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(stream.getInputStream(), 1 << 16);
            int status;
            Map<String, List<String>> headers;
            do {
                String statusLine = line(in);
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new IOException("not an HTTP/1.x response");
                }
                try {
                    status = Integer.parseInt(parts[1]);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed HTTP status line", e);
                }
                headers = headers(in);
            } while (status >= 100 && status < 200);
            Response response = new Response(stream, status, headers, null);
            InputStream body;
            if (response.header("transfer-encoding")
                    .map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                    .orElse(false)) {
                body = new ChunkedBody(in);
            } else if (response.contentLength().isPresent()) {
                body = new LimitedBody(in, response.contentLength().getAsLong());
            } else {
                body = in;
            }
            return new Response(stream, status, headers, body);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private Socket handshake(Socket socket, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(socket, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        if (!host.startsWith("[") && !host.matches("[0-9.]+")) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        ssl.setSSLParameters(parameters);
        try {
            ssl.startHandshake();
        } catch (javax.net.ssl.SSLException | java.net.SocketTimeoutException e) {
            // A host that does not answer the handshake in time does not speak TLS on that port.
            throw new TlsFailure(e);
        }
        return ssl;
    }

    private static Map<String, List<String>> headers(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int bytes = 0;
        for (String line; !(line = line(in)).isEmpty(); ) {
            bytes += line.length();
            if (bytes > MAX_HEADER_BYTES) {
                throw new IOException("response headers larger than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return headers;
    }

    /** One CRLF- (or LF-) terminated line of ISO-8859-1 text, without its terminator. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        for (int b; ; ) {
            b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed in the response head");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() > MAX_HEADER_BYTES) {
                throw new IOException("response line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            line.write(b);
        }
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
    }

    /** A body of known length: ends after it, and a connection closed sooner ends it early (the caller compares). */
    private static final class LimitedBody extends InputStream {
        private final InputStream in;
        private long left;

        LimitedBody(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }

    /** {@code Transfer-Encoding: chunked}, trailers skipped. */
    private static final class ChunkedBody extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        ChunkedBody(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String size = line(in);
                int semicolon = size.indexOf(';');
                try {
                    chunkLeft = Long.parseLong((semicolon >= 0 ? size.substring(0, semicolon) : size).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("malformed chunk size", e);
                }
                if (chunkLeft < 0) {
                    throw new IOException("malformed chunk size");
                }
                if (chunkLeft == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("connection closed inside a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                line(in);
            }
            return n;
        }
    }
}
