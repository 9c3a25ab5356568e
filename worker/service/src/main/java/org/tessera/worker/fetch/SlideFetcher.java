package org.tessera.worker.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.zip.CRC32C;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.ErrorCodes;
import org.tessera.worker.common.InputRejectedException;
import org.tessera.worker.common.ProgressSink;

/**
 * Streams a slide from its signed URL to a local file: checks the address first and connects to exactly the address
 * it checked, follows redirects only to allowed addresses, stops as soon as the size cap is passed (the
 * Content-Length is checked before any body byte is read), and computes the CRC32C on the way so that the file is
 * read once.
 *
 * <p>A download cannot hold the worker for longer than its settings allow: the body may go silent for at most
 * {@code idleTimeout}, must deliver at least {@code minBytesPerSecond} over every {@code throughputWindow}, and the
 * whole download (retries and redirects included) ends at {@code downloadDeadline}; each ends the item as
 * INPUT_URL_TOO_SLOW. What is worth retrying (a connection reset mid-body, 5xx, 408, 429, a response that does not
 * come) is retried; what is not (connection refused or timed out, unknown host, TLS failure) fails at once and is
 * remembered for the run ({@link HostFailures}), so that the run's other items on that host fail without trying.
 */
public final class SlideFetcher {

    private static final int MAX_REDIRECTS = 5;
    private static final int BUFFER = 1 << 16;

    private final PinnedHttp http;
    private final AddressPolicy policy;
    private final Settings settings;
    private final HostFailures hostFailures;

    /**
     * @param maxBytes size cap of one input
     * @param transientRetries how often a transient failure (reset, 5xx, 408, 429) is retried before the URL counts as
     *     unreachable
     * @param retryBackoff pause before the first retry, doubled each time
     * @param connectTimeout how long to wait for the connection
     * @param responseTimeout how long to wait for the response headers
     * @param idleTimeout the longest the body may send nothing
     * @param minBytesPerSecond the least throughput over each {@code throughputWindow}; 0 turns the check off
     * @param throughputWindow how long throughput is averaged over
     * @param downloadDeadline how long the whole download may take, retries and redirects included
     * @param hostFailureMemory how long a host's refusal is remembered for the run it happened in
     */
    public record Settings(
            long maxBytes,
            int transientRetries,
            Duration retryBackoff,
            Duration connectTimeout,
            Duration responseTimeout,
            Duration idleTimeout,
            long minBytesPerSecond,
            Duration throughputWindow,
            Duration downloadDeadline,
            Duration hostFailureMemory) {
        public Settings {
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(responseTimeout, "responseTimeout");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(throughputWindow, "throughputWindow");
            Objects.requireNonNull(downloadDeadline, "downloadDeadline");
            Objects.requireNonNull(hostFailureMemory, "hostFailureMemory");
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be positive");
            }
            if (minBytesPerSecond < 0) {
                throw new IllegalArgumentException("minBytesPerSecond must not be negative");
            }
            for (Duration d :
                    List.of(connectTimeout, responseTimeout, idleTimeout, throughputWindow, downloadDeadline)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("fetch timeouts and windows must be positive, not " + d);
                }
            }
        }

        /** The defaults of {@code tessera.worker.fetch.*} with the given size cap. */
        public static Settings defaults(long maxBytes) {
            return new Settings(
                    maxBytes,
                    2,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(60),
                    256 * 1024,
                    Duration.ofSeconds(60),
                    Duration.ofHours(1),
                    Duration.ofMinutes(30));
        }
    }

    /** What was downloaded. */
    public record FetchedFile(Path path, long sizeBytes, String checksumBase64Crc32c) {}

    public SlideFetcher(AddressPolicy policy, Settings settings) {
        this(PinnedHttp.withDefaultTls(), policy, settings);
    }

    SlideFetcher(PinnedHttp http, AddressPolicy policy, Settings settings) {
        this.http = Objects.requireNonNull(http, "http");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.hostFailures = new HostFailures(settings.hostFailureMemory());
    }

    /** Downloads without run memory or progress reports (tests and tools). */
    public FetchedFile fetch(String url, Path target, String expectedChecksum)
            throws InputRejectedException, IOException, InterruptedException {
        return fetch(null, url, target, expectedChecksum, ProgressSink.NONE);
    }

    /**
     * Downloads {@code url} to {@code target} and checks its checksum.
     *
     * @param runId the run the item belongs to: a host that refused one of its items fails the others at once; null
     *     remembers nothing
     * @param expectedChecksum the input's {@code checksum_base64_crc32c}; null skips the check
     * @param progress told the bytes received (and the total when known) as they arrive
     * @throws InputRejectedException with the INPUT_URL_* / INPUT_TOO_LARGE / INPUT_CHECKSUM_MISMATCH code
     */
    public FetchedFile fetch(UUID runId, String url, Path target, String expectedChecksum, ProgressSink progress)
            throws InputRejectedException, IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(url, "download_url"));
        } catch (IllegalArgumentException e) {
            throw new InputRejectedException(ErrorCodes.INPUT_URL_NOT_ALLOWED, "download_url is not a valid URL");
        }
        policy.checkUrl(uri);
        long deadline = System.nanoTime() + settings.downloadDeadline().toNanos();
        Duration backoff = settings.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                FetchedFile file = fetchOnce(runId, uri, target, deadline, progress);
                if (expectedChecksum != null && !expectedChecksum.equals(file.checksumBase64Crc32c())) {
                    throw new InputRejectedException(
                            ErrorCodes.INPUT_CHECKSUM_MISMATCH,
                            "whole_slide_image checksum_base64_crc32c is " + expectedChecksum
                                    + " but the downloaded file's CRC32C is " + file.checksumBase64Crc32c());
                }
                return file;
            } catch (TransientFetchException e) {
                long left = deadline - System.nanoTime();
                if (attempt >= settings.transientRetries() || left <= backoff.toNanos()) {
                    throw new InputRejectedException(
                            ErrorCodes.INPUT_URL_UNREACHABLE,
                            "download_url could not be fetched: " + e.getMessage(),
                            e.getCause());
                }
                Thread.sleep(backoff);
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private FetchedFile fetchOnce(UUID runId, URI start, Path target, long deadline, ProgressSink progress)
            throws InputRejectedException, IOException, InterruptedException, TransientFetchException {
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            policy.checkUrl(uri);
            String host = HostFailures.authority(uri);
            InputRejectedException remembered = hostFailures.earlier(runId, host);
            if (remembered != null) {
                throw remembered;
            }
            List<InetAddress> addresses;
            try {
                addresses = policy.resolve(uri);
            } catch (UnknownHostException e) {
                throw hostFailures.remember(
                        runId,
                        host,
                        new InputRejectedException(
                                ErrorCodes.INPUT_URL_UNREACHABLE,
                                "download_url host " + uri.getHost() + " is unknown (DNS lookup failed)"));
            }
            try (PinnedHttp.Response response = connect(runId, uri, host, addresses, deadline)) {
                int status = response.status();
                if (status >= 300 && status < 400 && status != 304) {
                    String location = response.header("Location").orElse(null);
                    if (location == null) {
                        throw new InputRejectedException(
                                ErrorCodes.INPUT_URL_UNREACHABLE,
                                "download_url answered " + status + " without Location");
                    }
                    try {
                        uri = uri.resolve(location);
                    } catch (IllegalArgumentException e) {
                        throw new InputRejectedException(
                                ErrorCodes.INPUT_URL_UNREACHABLE, "download_url redirected to an invalid URL");
                    }
                    continue;
                }
                if (status == 401 || status == 403) {
                    throw new InputRejectedException(
                            ErrorCodes.INPUT_URL_FORBIDDEN,
                            "download_url was refused with HTTP " + status + " (expired or invalid signature?)");
                }
                if (status == 404 || status == 410) {
                    throw new InputRejectedException(
                            ErrorCodes.INPUT_URL_NOT_FOUND, "download_url answered HTTP " + status + ": no such file");
                }
                if (status >= 500 || status == 408 || status == 429) {
                    throw new TransientFetchException("HTTP " + status, null);
                }
                if (status != 200) {
                    throw new InputRejectedException(
                            ErrorCodes.INPUT_URL_UNREACHABLE, "download_url answered HTTP " + status);
                }
                OptionalLong length = response.contentLength();
                if (length.isPresent() && length.getAsLong() > settings.maxBytes()) {
                    throw tooLarge(length.getAsLong() + " bytes");
                }
                return copy(response, target, length.orElse(0), deadline, progress);
            }
        }
        throw new InputRejectedException(
                ErrorCodes.INPUT_URL_UNREACHABLE, "download_url redirected more than " + MAX_REDIRECTS + " times");
    }

    /** Connects to the checked addresses in turn; the first that answers serves the request. */
    private PinnedHttp.Response connect(UUID runId, URI uri, String host, List<InetAddress> addresses, long deadline)
            throws InputRejectedException, TransientFetchException, IOException {
        PinnedHttp.ConnectFailure lastFailure = null;
        for (InetAddress address : addresses) {
            Duration left = left(deadline);
            if (left.isZero()) {
                throw tooSlow("was not downloaded within " + settings.downloadDeadline());
            }
            boolean boundedByDeadline = left.compareTo(settings.responseTimeout()) < 0;
            try {
                return http.get(
                        uri, address, min(settings.connectTimeout(), left), min(settings.responseTimeout(), left));
            } catch (PinnedHttp.ConnectFailure e) {
                lastFailure = e;
            } catch (PinnedHttp.TlsFailure e) {
                throw hostFailures.remember(
                        runId,
                        host,
                        new InputRejectedException(
                                ErrorCodes.INPUT_URL_UNREACHABLE,
                                "download_url host " + host + " failed the TLS handshake or certificate check",
                                e));
            } catch (SocketTimeoutException e) {
                if (boundedByDeadline || left(deadline).isZero()) {
                    throw tooSlow("was not downloaded within " + settings.downloadDeadline());
                }
                throw new TransientFetchException("no response within " + settings.responseTimeout(), e);
            } catch (IOException e) {
                throw new TransientFetchException("the response could not be read (" + kind(e) + ")", e);
            }
        }
        boolean refused = lastFailure != null && lastFailure.refused;
        throw hostFailures.remember(
                runId,
                host,
                new InputRejectedException(
                        ErrorCodes.INPUT_URL_UNREACHABLE,
                        "download_url host " + host
                                + (refused
                                        ? " refused the connection"
                                        : " could not be connected to within " + settings.connectTimeout()),
                        lastFailure));
    }

    private FetchedFile copy(
            PinnedHttp.Response response, Path target, long expectedLength, long deadline, ProgressSink progress)
            throws IOException, InputRejectedException, TransientFetchException {
        InputStream body = response.body();
        CRC32C crc = new CRC32C();
        long total = 0;
        byte[] buffer = new byte[BUFFER];
        boolean complete = false;
        long window = settings.throughputWindow().toNanos();
        long windowStart = System.nanoTime();
        long windowBytes = 0;
        long minWindowBytes = (long) (settings.minBytesPerSecond() * (window / 1e9));
        progress.bytes(0, expectedLength);
        try (OutputStream out = Files.newOutputStream(target)) {
            while (true) {
                Duration left = left(deadline);
                if (left.isZero()) {
                    throw tooSlow("was not downloaded within " + settings.downloadDeadline() + " (" + total
                            + " bytes received)");
                }
                // A read bounded by the deadline rather than the idle timeout ends the download at the deadline, even
                // when the socket's millisecond timer fires a moment before it.
                boolean boundedByDeadline = left.compareTo(settings.idleTimeout()) < 0;
                response.readTimeout(min(settings.idleTimeout(), left));
                int n;
                try {
                    n = body.read(buffer);
                } catch (SocketTimeoutException e) {
                    if (boundedByDeadline || left(deadline).isZero()) {
                        throw tooSlow("was not downloaded within " + settings.downloadDeadline() + " (" + total
                                + " bytes received)");
                    }
                    throw tooSlow("sent nothing for " + settings.idleTimeout() + " (after " + total + " bytes)");
                } catch (IOException e) {
                    throw new TransientFetchException("download interrupted (" + kind(e) + ")", e);
                }
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > settings.maxBytes()) {
                    throw tooLarge("more than " + settings.maxBytes() + " bytes");
                }
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
                progress.bytes(total, expectedLength);
                windowBytes += n;
                long now = System.nanoTime();
                if (now - windowStart >= window) {
                    if (minWindowBytes > 0 && windowBytes < minWindowBytes) {
                        throw tooSlow("delivered " + windowBytes + " bytes in the last " + settings.throughputWindow()
                                + ", below this platform's minimum of " + settings.minBytesPerSecond()
                                + " bytes per second");
                    }
                    windowStart = now;
                    windowBytes = 0;
                }
            }
            if (expectedLength > 0 && total != expectedLength) {
                throw new TransientFetchException(
                        "connection closed after " + total + " of " + expectedLength + " bytes", null);
            }
            complete = true;
        } finally {
            if (!complete) {
                Files.deleteIfExists(target);
            }
        }
        return new FetchedFile(target, total, Crc32c.base64(crc.getValue()));
    }

    private static Duration left(long deadline) {
        long nanos = deadline - System.nanoTime();
        return nanos <= 0 ? Duration.ZERO : Duration.ofNanos(nanos);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static InputRejectedException tooSlow(String what) {
        return new InputRejectedException(ErrorCodes.INPUT_URL_TOO_SLOW, "download_url " + what);
    }

    private InputRejectedException tooLarge(String what) {
        return new InputRejectedException(
                ErrorCodes.INPUT_TOO_LARGE,
                "whole_slide_image is " + what + ", above this platform's limit of " + settings.maxBytes() + " bytes");
    }

    /** The exception's kind only: socket messages can carry addresses, which clients must not learn. */
    private static String kind(IOException e) {
        return e.getClass().getSimpleName();
    }

    /** A failure that may go away on retry: connection reset, no response in time, 5xx. */
    private static final class TransientFetchException extends Exception {
        TransientFetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
