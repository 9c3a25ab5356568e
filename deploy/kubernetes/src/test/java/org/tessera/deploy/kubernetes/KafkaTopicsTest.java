package org.tessera.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.tessera.deploy.kubernetes.CustomResources.KafkaTopic;
import org.tessera.deploy.kubernetes.CustomResources.ScaledObject;
import org.tessera.deploy.kubernetes.Kustomize.Rendered;

/** The KafkaTopic resources are generated from the contracts' topic list and cannot drift from it. */
class KafkaTopicsTest {

    static final Path TOPICS = Repository.BASE.resolve("kafka/topics.yaml");
    static final List<Path> RENDERABLE = Repository.RENDERABLE;

    @Test
    void everyContractTopicHasExactlyOneRow() {
        assertThat(TopicTable.ROWS.stream().map(TopicTable.Row::topic))
                .as("rows of TopicTable vs the topic constants of org.tessera.contracts.Topics")
                .containsExactlyInAnyOrderElementsOf(TopicTable.contractTopics().values());
    }

    @Test
    void theCommittedTopicsAreTheGeneratedOnes() throws IOException {
        String generated = TopicTable.render();
        if (Boolean.getBoolean("tessera.kafka.regenerate-topics")) {
            Files.writeString(TOPICS, generated);
        }
        assertThat(Files.readString(TOPICS))
                .as(
                        "%s differs from what TopicTable generates; regenerate it with"
                                + " -Dtessera.kafka.regenerate-topics=true",
                        TOPICS)
                .isEqualTo(generated);
    }

    @Test
    void topicsReadByTheOrchestratorAreKeptNoLongerThanItRemembersEventIds() {
        Duration dedup =
                Duration.parse(ServiceConfig.orchestrator().require("tessera.orchestrator.processed-event-retention"));
        for (TopicTable.Row row : TopicTable.ROWS) {
            if (row.topic().equals(org.tessera.contracts.Topics.RUN_REQUESTS)
                    || row.topic().equals(org.tessera.contracts.Topics.ITEM_EVENTS)) {
                assertThat(row.retention()).as(row.topic()).isLessThanOrEqualTo(dedup);
            }
        }
    }

    @ParameterizedTest
    @FieldSource("RENDERABLE")
    void theWorkerPoolNeverOutgrowsTheSlideJobPartitions(Path directory) {
        List<Rendered> objects = Kustomize.render(directory);
        int partitions = objects.stream()
                .filter(r -> r.kind().equals("KafkaTopic"))
                .map(r -> Models.as(r, KafkaTopic.class))
                .filter(t -> t.spec().topicName().equals(org.tessera.contracts.Topics.SLIDE_JOBS))
                .findFirst()
                .orElseThrow()
                .spec()
                .partitions();
        ScaledObject workers = objects.stream()
                .filter(r -> r.kind().equals("ScaledObject"))
                .map(r -> Models.as(r, ScaledObject.class))
                .findFirst()
                .orElseThrow();
        assertThat(workers.spec().maxReplicaCount()).isLessThanOrEqualTo(partitions);
        assertThat(workers.spec().triggers().getFirst().metadata())
                .containsEntry("topic", org.tessera.contracts.Topics.SLIDE_JOBS)
                .containsEntry("consumerGroup", ServiceConfig.worker().require("tessera.worker.group-id"));
    }
}
