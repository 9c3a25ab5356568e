package org.tessera.bytes;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file in the customer's storage, read through its signed URL with HTTP range requests, block by block: nothing is
 * downloaded beyond the blocks a read needs, and blocks stay in a {@link BlockCache} (bounded in bytes, shared by many
 * sources) while they are used. Concurrent reads of the same block wait for one request. Every answer must be {@code
 * 206 Partial Content} with the {@code Content-Range} asked for and the size, ETag and Last-Modified of the first
 * answer: a file that changes underneath fails with {@link RemoteSourceException.Reason#CHANGED} instead of mixing
 * two versions. Once the URL's validity has passed ({@link SignedUrlExpiry}), or the storage refuses it, reads fail with
 * {@link RemoteSourceException.Reason#EXPIRED}. Thread-safe.
 */
public final class HttpRangeByteSource implements ByteSource {

    /** 256 KiB: a few JPEG tiles of a slide, and few enough requests for a tile directory. */
    public static final int DEFAULT_BLOCK_SIZE = 256 * 1024;

    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final AtomicLong IDS = new AtomicLong();

    /**
     * @param blockSize bytes per range request (and cache entry)
     * @param timeout the longest one range request may take
     * @param clock tells when the URL has expired
     */
    public record Options(int blockSize, Duration timeout, Clock clock) {
        public Options {
            if (blockSize < 512) {
                throw new IllegalArgumentException("blockSize must be at least 512 bytes, got " + blockSize);
            }
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(clock, "clock");
        }

        public static Options defaults() {
            return new Options(DEFAULT_BLOCK_SIZE, Duration.ofSeconds(30), Clock.systemUTC());
        }

        public Options withBlockSize(int newBlockSize) {
            return new Options(newBlockSize, timeout, clock);
        }

        public Options withClock(Clock newClock) {
            return new Options(blockSize, timeout, newClock);
        }
    }

    private final HttpClient client;
    private final URI url;
    private final String name;
    private final BlockCache cache;
    private final Options options;
    private final Optional<Instant> expiresAt;
    private final long id = IDS.incrementAndGet();
    private final ConcurrentHashMap<Long, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private long size = -1;
    private String etag;
    private String lastModified;
    private volatile boolean closed;

    private HttpRangeByteSource(HttpClient client, URI url, String name, BlockCache cache, Options options) {
        this.client = client;
        this.url = url;
        this.name = name;
        this.cache = cache;
        this.options = options;
        this.expiresAt = SignedUrlExpiry.of(url);
    }

    /** An HTTP client fit for range reads: HTTP/1.1 (one connection per concurrent read), 10 s to connect. */
    public static HttpClient newClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Opens the file: reads its first block, which tells its size and version (ETag, Last-Modified).
     *
     * @param name how messages name the file, e.g. {@code whole slide image of item slide-7}; never the URL
     * @throws RemoteSourceException when the URL has expired or is refused, the file is missing, or the storage does
     *     not serve ranges
     */
    public static HttpRangeByteSource open(HttpClient client, URI url, String name, BlockCache cache, Options options)
            throws IOException {
        HttpRangeByteSource source = new HttpRangeByteSource(client, url, name, cache, options);
        source.cache.put(new BlockCache.Key(source.id, 0), source.fetch(0));
        return source;
    }

    /** When the URL stops working, if it says. */
    public Optional<Instant> expiresAt() {
        return expiresAt;
    }

    /** Range requests sent so far (the first block's included). */
    public long requests() {
        return requests.get();
    }

    public int blockSize() {
        return options.blockSize();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (position < 0) {
            throw new IllegalArgumentException("negative position " + position);
        }
        if (position >= size) {
            return -1;
        }
        int blockSize = options.blockSize();
        int total = 0;
        long at = position;
        while (target.hasRemaining() && at < size) {
            long index = at / blockSize;
            byte[] block = block(index);
            int offset = (int) (at - index * blockSize);
            int n = Math.min(target.remaining(), block.length - offset);
            target.put(block, offset, n);
            at += n;
            total += n;
        }
        return total;
    }

    /** The block from the cache, or fetched once however many threads ask for it at the same time. */
    private byte[] block(long index) throws IOException {
        BlockCache.Key key = new BlockCache.Key(id, index);
        byte[] block = cache.get(key);
        if (block != null) {
            return block;
        }
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = inFlight.putIfAbsent(index, mine);
        if (running != null) {
            return await(running);
        }
        try {
            block = fetch(index);
            cache.put(key, block);
            mine.complete(block);
            return block;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(index, mine);
        }
    }

    private static byte[] await(CompletableFuture<byte[]> running) throws IOException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a block");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RemoteSourceException r) {
                throw new RemoteSourceException(r.reason(), r.getMessage(), r);
            }
            throw new IOException(cause.getMessage(), cause);
        }
    }

    private byte[] fetch(long index) throws IOException {
        Instant now = options.clock().instant();
        if (expiresAt.isPresent() && !now.isBefore(expiresAt.get())) {
            throw expired("its signed URL expired at " + expiresAt.get());
        }
        long start = index * options.blockSize();
        long end = start + options.blockSize() - 1;
        if (size >= 0) {
            end = Math.min(end, size - 1);
        }
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(options.timeout())
                .header("Range", "bytes=" + start + "-" + end)
                .GET()
                .build();
        HttpResponse<byte[]> response;
        requests.incrementAndGet();
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + name);
        } catch (IOException e) {
            throw new RemoteSourceException(
                    RemoteSourceException.Reason.UNAVAILABLE,
                    name + " cannot be read from its storage: " + describe(e),
                    e);
        }
        return check(response, start, end);
    }

    private byte[] check(HttpResponse<byte[]> response, long start, long end) throws IOException {
        int status = response.statusCode();
        switch (status) {
            case 206 -> {}
            case 401, 403 ->
                throw expired("its storage refuses the signed URL (HTTP " + status + said(response)
                        + "): it has expired or was revoked");
            case 404, 410 ->
                throw new RemoteSourceException(
                        RemoteSourceException.Reason.NOT_FOUND,
                        name + " is no longer in its storage (HTTP " + status + ")");
            case 200 ->
                throw new RemoteSourceException(
                        RemoteSourceException.Reason.NO_RANGE_SUPPORT,
                        name + ": its storage answered a range request with the whole file (HTTP 200); the viewer"
                                + " needs storage that answers HTTP range requests (206)");
            case 412 -> throw changed("its storage reports a newer version (HTTP 412)");
            default ->
                throw new RemoteSourceException(
                        RemoteSourceException.Reason.UNAVAILABLE,
                        name + ": its storage answered HTTP " + status + said(response));
        }
        HttpHeaders headers = response.headers();
        String contentRange = headers.firstValue("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(contentRange.trim());
        if (!m.matches() || m.group(3).equals("*")) {
            throw new RemoteSourceException(
                    RemoteSourceException.Reason.NO_RANGE_SUPPORT,
                    name + ": its storage answered 206 without a usable Content-Range ('" + contentRange + "')");
        }
        long from = Long.parseLong(m.group(1));
        long to = Long.parseLong(m.group(2));
        long total = Long.parseLong(m.group(3));
        String tag = headers.firstValue("ETag").orElse(null);
        String modified = headers.firstValue("Last-Modified").orElse(null);
        synchronized (this) {
            if (size < 0) {
                size = total;
                etag = tag;
                lastModified = modified;
                end = Math.min(end, total - 1);
            } else if (total != size) {
                throw changed("its size changed from " + size + " to " + total + " bytes");
            } else if (!Objects.equals(etag, tag)) {
                throw changed("its ETag changed from " + etag + " to " + tag);
            } else if (!Objects.equals(lastModified, modified)) {
                throw changed("its Last-Modified changed from " + lastModified + " to " + modified);
            }
        }
        if (from != start || to != end) {
            throw new RemoteSourceException(
                    RemoteSourceException.Reason.NO_RANGE_SUPPORT,
                    name + ": asked its storage for bytes " + start + "-" + end + ", got " + from + "-" + to);
        }
        byte[] body = response.body();
        if (body.length != to - from + 1) {
            throw new RemoteSourceException(
                    RemoteSourceException.Reason.UNAVAILABLE,
                    name + ": its storage sent " + body.length + " bytes for a range of " + (to - from + 1));
        }
        return body;
    }

    private RemoteSourceException expired(String why) {
        return new RemoteSourceException(
                RemoteSourceException.Reason.EXPIRED,
                name + " can no longer be read: " + why + ". The slide stays in its owner's storage; a new signed"
                        + " URL is needed to view it");
    }

    private RemoteSourceException changed(String why) {
        cache.evict(id);
        return new RemoteSourceException(
                RemoteSourceException.Reason.CHANGED, name + " changed in its storage while being read: " + why);
    }

    /** The start of the storage's own explanation, if it gave one. */
    private static String said(HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.startsWith("<")) {
            return "";
        }
        text = text.replaceAll("\\s+", " ");
        return ": " + (text.length() > 160 ? text.substring(0, 160) + "…" : text);
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        closed = true;
        cache.evict(id);
    }

    @Override
    public String toString() {
        return "HttpRangeByteSource[" + name + ", " + size + " bytes]";
    }
}
