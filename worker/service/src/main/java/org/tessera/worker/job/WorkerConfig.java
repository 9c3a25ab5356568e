package org.tessera.worker.job;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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

    interface Inference {
        @WithDefault("auto")
        String provider();

        @WithName("batch-size")
        @WithDefault("4")
        int batchSize();

        /** 0: half the available cores. */
        @WithDefault("0")
        int threads();
    }
}
