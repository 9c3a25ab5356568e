package org.tessera.worker.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.zip.CRC32C;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.ErrorCodes;
import org.tessera.worker.common.InputRejectedException;

/**
 * Streams a slide from its signed URL to a local file: checks the address first, follows redirects only to allowed
 * addresses, stops as soon as the size cap is passed (the Content-Length is checked before any body byte is read), and
 * computes the CRC32C on the way so that the file is read once.
 */
public final class SlideFetcher {

    private static final int MAX_REDIRECTS = 5;
    private static final int BUFFER = 1 << 16;

    private final HttpClient client;
    private final AddressPolicy policy;
    private final Settings settings;

    /**
     * @param maxBytes size cap of one input
     * @param transientRetries how often a connection failure or 5xx is retried before the URL counts as unreachable
     * @param retryBackoff pause before the first retry, doubled each time
     * @param responseTimeout how long to wait for the response headers
     */
    public record Settings(long maxBytes, int transientRetries, Duration retryBackoff, Duration responseTimeout) {
        public Settings {
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            Objects.requireNonNull(responseTimeout, "responseTimeout");
            if (maxBytes < 1) {
                throw new IllegalArgumentException("maxBytes must be positive");
            }
        }
    }

    /** What was downloaded. */
    public record FetchedFile(Path path, long sizeBytes, String checksumBase64Crc32c) {}

    public SlideFetcher(HttpClient client, AddressPolicy policy, Settings settings) {
        this.client = Objects.requireNonNull(client, "client");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** A client that never follows redirects by itself, so that each hop is checked against the policy. */
    public static HttpClient defaultClient(Duration connectTimeout) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .build();
    }

    /**
     * Downloads {@code url} to {@code target} and checks its checksum.
     *
     * @param expectedChecksum the input's {@code checksum_base64_crc32c}; null skips the check
     * @throws InputRejectedException with the INPUT_URL_* / INPUT_TOO_LARGE / INPUT_CHECKSUM_MISMATCH code
     */
    public FetchedFile fetch(String url, Path target, String expectedChecksum)
            throws InputRejectedException, IOException, InterruptedException {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(url, "download_url"));
        } catch (IllegalArgumentException e) {
            throw new InputRejectedException(ErrorCodes.INPUT_URL_NOT_ALLOWED, "download_url is not a valid URL");
        }
        Duration backoff = settings.retryBackoff();
        for (int attempt = 0; ; attempt++) {
            try {
                FetchedFile file = fetchOnce(uri, target);
                if (expectedChecksum != null && !expectedChecksum.equals(file.checksumBase64Crc32c())) {
                    throw new InputRejectedException(
                            ErrorCodes.INPUT_CHECKSUM_MISMATCH,
                            "whole_slide_image checksum_base64_crc32c is " + expectedChecksum
                                    + " but the downloaded file's CRC32C is " + file.checksumBase64Crc32c());
                }
                return file;
            } catch (TransientFetchException e) {
                if (attempt >= settings.transientRetries()) {
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

    private FetchedFile fetchOnce(URI start, Path target)
            throws InputRejectedException, IOException, InterruptedException, TransientFetchException {
        URI uri = start;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            try {
                policy.check(uri);
            } catch (UnknownHostException e) {
                throw new TransientFetchException("host " + uri.getHost() + " is unknown", e);
            }
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(settings.responseTimeout())
                    .GET()
                    .build();
            HttpResponse<InputStream> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new TransientFetchException(describe(e), e);
            }
            int status = response.statusCode();
            try (InputStream body = response.body()) {
                if (status >= 300 && status < 400 && status != 304) {
                    String location = response.headers().firstValue("Location").orElse(null);
                    if (location == null) {
                        throw new InputRejectedException(
                                ErrorCodes.INPUT_URL_UNREACHABLE,
                                "download_url answered " + status + " without Location");
                    }
                    uri = uri.resolve(location);
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
                OptionalLong length = response.headers().firstValueAsLong("Content-Length");
                if (length.isPresent() && length.getAsLong() > settings.maxBytes()) {
                    throw tooLarge(length.getAsLong() + " bytes");
                }
                return copy(body, target, length.orElse(0));
            }
        }
        throw new InputRejectedException(
                ErrorCodes.INPUT_URL_UNREACHABLE, "download_url redirected more than " + MAX_REDIRECTS + " times");
    }

    private FetchedFile copy(InputStream body, Path target, long expectedLength)
            throws IOException, InputRejectedException, TransientFetchException {
        CRC32C crc = new CRC32C();
        long total = 0;
        byte[] buffer = new byte[BUFFER];
        boolean complete = false;
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int n; (n = readChunk(body, buffer)) > 0; ) {
                total += n;
                if (total > settings.maxBytes()) {
                    throw tooLarge("more than " + settings.maxBytes() + " bytes");
                }
                crc.update(buffer, 0, n);
                out.write(buffer, 0, n);
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

    private static int readChunk(InputStream body, byte[] buffer) throws TransientFetchException {
        try {
            return body.read(buffer);
        } catch (IOException e) {
            throw new TransientFetchException("download interrupted: " + describe(e), e);
        }
    }

    private InputRejectedException tooLarge(String what) {
        return new InputRejectedException(
                ErrorCodes.INPUT_TOO_LARGE,
                "whole_slide_image is " + what + ", above this platform's limit of " + settings.maxBytes() + " bytes");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** A failure that may go away on retry: connection refused/reset, timeouts, 5xx. */
    private static final class TransientFetchException extends Exception {
        TransientFetchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
