package org.tessera.worker.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** {@code tessera.worker.*}; each property is documented in application.properties. */
@ConfigMapping(prefix = "tessera.worker")
public interface WorkerConfig {

    Optional<String> id();

    @WithName("work-dir")
    Path workDir();

    @WithName("max-input-bytes")
    @WithDefault("21474836480")
    long maxInputBytes();

    @WithName("heartbeat-interval")
    @WithDefault("PT30S")
    Duration heartbeatInterval();

    @WithName("processing-deadline")
    @WithDefault("PT2H")
    Duration processingDeadline();

    @WithName("system-retries")
    @WithDefault("2")
    int systemRetries();

    @WithName("retry-backoff")
    @WithDefault("PT2S")
    Duration retryBackoff();

    @WithName("group-id")
    @WithDefault("tessera-workers")
    String groupId();

    Fetch fetch();

    Kafka kafka();

    Inference inference();

    Slides slides();

    interface Fetch {
        @WithName("allow-loopback")
        @WithDefault("false")
        boolean allowLoopback();

        @WithName("allow-private")
        @WithDefault("false")
        boolean allowPrivate();

        @WithName("connect-timeout")
        @WithDefault("PT10S")
        Duration connectTimeout();

        @WithName("response-timeout")
        @WithDefault("PT60S")
        Duration responseTimeout();

        @WithDefault("2")
        int retries();

        @WithName("retry-backoff")
        @WithDefault("PT1S")
        Duration retryBackoff();

        @WithName("host-failure-memory")
        @WithDefault("PT30M")
        Duration hostFailureMemory();

        @WithName("idle-timeout")
        @WithDefault("PT60S")
        Duration idleTimeout();

        @WithName("min-bytes-per-second")
        @WithDefault("262144")
        long minBytesPerSecond();

        @WithName("throughput-window")
        @WithDefault("PT60S")
        Duration throughputWindow();

        @WithName("download-deadline")
        @WithDefault("PT1H")
        Duration downloadDeadline();
    }

    interface Kafka {
        @WithName("max-poll-interval")
        @WithDefault("PT5M")
        Duration maxPollInterval();

        @WithName("session-timeout")
        @WithDefault("PT45S")
        Duration sessionTimeout();

        @WithName("poll-timeout")
        @WithDefault("PT0.5S")
        Duration pollTimeout();
    }

    /** What one slide may ask of the readers; each unset one keeps the default of {@code SlideLimits.defaults()}. */
    interface Slides {
        @WithName("max-side")
        OptionalInt maxSide();

        @WithName("max-pixels")
        OptionalLong maxPixels();

        @WithName("max-tile-side")
        OptionalInt maxTileSide();

        @WithName("max-tile-bytes")
        OptionalLong maxTileBytes();

        @WithName("max-tiles-per-level")
        OptionalInt maxTilesPerLevel();

        @WithName("strip-cache-bytes")
        OptionalLong stripCacheBytes();

        @WithName("max-scratch-bytes")
        OptionalLong maxScratchBytes();

        @WithName("max-extracted-bytes")
        OptionalLong maxExtractedBytes();

        @WithName("max-zip-expansion")
        OptionalDouble maxZipExpansion();

        @WithName("max-zip-entries")
        OptionalInt maxZipEntries();

        @WithName("max-series-files")
        OptionalInt maxSeriesFiles();

        @WithName("max-levels")
        OptionalInt maxLevels();
    }

    interface Inference {
        @WithDefault("auto")
        String provider();

        @WithName("batch-size")
        @WithDefault("4")
        int batchSize();

        /** 0: half the available cores. */
        @WithDefault("0")
        int threads();

        /**
         * Whether ONNX Runtime's intra-op threads spin while they wait for work. Off by default: spinning burns the
         * cores the tile decoders and post-processors need (see docs/benchmarks.md).
         */
        @WithDefault("false")
        boolean spinning();
    }
}
