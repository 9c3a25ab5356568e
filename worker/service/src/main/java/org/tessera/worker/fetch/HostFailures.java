package org.tessera.worker.fetch;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.tessera.worker.common.InputRejectedException;

/**
 * The hosts that refused a run's downloads (connection refused or timed out, unknown host, TLS failure), remembered
 * per run and host for a while, so that the run's other items on that host fail at once with the same code instead
 * of each paying the connection attempt again: a 500-slide run pointed at a wrong host costs one failed connection,
 * not 500. Only failures of the host itself are remembered; an item's own problems (404, checksum, size) are not.
 * Bounded: the oldest entries go first once {@link #CAPACITY} runs and hosts are remembered.
 */
final class HostFailures {

    static final int CAPACITY = 4096;

    private record Key(UUID runId, String authority) {}

    private record Failure(String code, String message, long atNanos) {}

    private final long memoryNanos;
    private final Map<Key, Failure> failures = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Failure> eldest) {
            return size() > CAPACITY;
        }
    };

    HostFailures(Duration memory) {
        this.memoryNanos = memory.toNanos();
    }

    /** {@code host:port} of the URL, the port defaulted from the scheme. */
    static String authority(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return host + ":" + port;
    }

    /** Records the failure for the run (when there is one) and returns it, for the caller to throw. */
    synchronized InputRejectedException remember(UUID runId, String authority, InputRejectedException failure) {
        if (runId != null && memoryNanos > 0) {
            failures.put(
                    new Key(runId, authority), new Failure(failure.code(), failure.getMessage(), System.nanoTime()));
        }
        return failure;
    }

    /** The failure an earlier item of the run met on this host, as this item's, or null when there was none. */
    synchronized InputRejectedException earlier(UUID runId, String authority) {
        if (runId == null) {
            return null;
        }
        Key key = new Key(runId, authority);
        Failure failure = failures.get(key);
        if (failure == null) {
            return null;
        }
        long age = System.nanoTime() - failure.atNanos();
        if (age > memoryNanos) {
            failures.remove(key);
            return null;
        }
        return new InputRejectedException(
                failure.code(),
                failure.message() + " (for an earlier item of this run "
                        + Duration.ofNanos(age).toSeconds() + " s ago; this item was not tried again)");
    }
}
