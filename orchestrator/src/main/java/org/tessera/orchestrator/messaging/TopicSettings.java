package org.tessera.orchestrator.messaging;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code tessera.kafka.*}: whether and how missing topics are created at start. */
@ConfigMapping(prefix = "tessera.kafka")
public interface TopicSettings {

    @WithDefault("true")
    boolean createTopics();

    @WithDefault("6")
    int topicPartitions();

    @WithDefault("1")
    short topicReplicationFactor();
}
