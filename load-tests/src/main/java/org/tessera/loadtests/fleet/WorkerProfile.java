package org.tessera.loadtests.fleet;

import java.time.Duration;
import java.util.UUID;

/**
 * How the simulated workers behave: each slide takes {@code slideTime} ± {@code jitter} (spread evenly), and a share
 * {@code failureRate} of the items fail as unreadable. Both are drawn from the item id, so a job delivered twice
 * takes the same time and ends the same way.
 */
public record WorkerProfile(Duration slideTime, double jitter, double failureRate) {

    public WorkerProfile {
        if (slideTime.isNegative()) {
            throw new IllegalArgumentException("slide time must not be negative, got " + slideTime);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter is a share between 0 and 1, got " + jitter);
        }
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure rate is a share between 0 and 1, got " + failureRate);
        }
    }

    Duration slideTime(UUID item) {
        double spread = (unit(item, 0x9E3779B97F4A7C15L) * 2 - 1) * jitter;
        return Duration.ofNanos(Math.round(slideTime.toNanos() * (1 + spread)));
    }

    boolean fails(UUID item) {
        return unit(item, 0xC2B2AE3D27D4EB4FL) < failureRate;
    }

    /** A number in [0, 1) that depends only on the item id and the salt. */
    private static double unit(UUID item, long salt) {
        long h = (item.getMostSignificantBits() ^ item.getLeastSignificantBits()) * salt;
        h ^= h >>> 31;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 29;
        return (h >>> 11) * 0x1.0p-53;
    }
}
