package org.tessera.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tessera.orchestrator.flow.FlowSupport.awaitItem;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRunState;
import static org.tessera.orchestrator.flow.FlowSupport.itemIds;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.Crc32c;
import org.tessera.contracts.DeadLetter;
import org.tessera.contracts.Envelope;
import org.tessera.contracts.OutputArtifact;
import org.tessera.contracts.RunState;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.orchestrator.support.RunProbe;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.orchestrator.support.Workers;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** What the orchestrator refuses to take from Kafka: outputs outside an item's prefix, runs of strangers. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class BoundariesFlowTest {

    private static final byte[] CSV = "class,pixels\ntissue,1\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSuccessNamingObjectsOutsideItsOwnPrefixIsDeadLettered() {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));
        awaitRunState(runId, RunState.SCHEDULED);
        Map<String, UUID> items = itemIds(user, runId);
        UUID mine = items.get("slide-0");
        UUID sibling = items.get("slide-1");
        UUID otherRun = UUID.randomUUID();
        List<String> foreignKeys = List.of(
                "outputs/" + runId + "/" + sibling + "/map.csv",
                "outputs/" + otherRun + "/" + mine + "/map.csv",
                "outputs/" + runId + "/" + mine + "/../" + sibling + "/map.csv",
                "uploads/demo/slide.tiff",
                "outputs/" + runId + "/" + mine + "-x/map.csv");

        for (String key : foreignKeys) {
            Workers.succeeded(runId, mine, 1, List.of(output(key)));
        }

        List<Envelope<DeadLetter>> letters = KafkaProbe.awaitEnvelopes(
                Topics.DEAD_LETTERS,
                DeadLetter.class,
                e -> e.runId().equals(runId) && e.payload().reason().contains("outside the item's output prefix"),
                foreignKeys.size());
        assertThat(letters).hasSize(foreignKeys.size());
        assertThat(letters.getFirst().payload().reason()).contains("outputs/" + runId + "/" + mine + "/");
        assertThat(awaitItem(user, runId, "slide-0", i -> true).getString("state"))
                .isEqualTo("PENDING");

        Workers.succeeded(runId, mine, 1, List.of(output("outputs/" + runId + "/" + mine + "/map.csv")));
        awaitItem(user, runId, "slide-0", i -> "TERMINATED".equals(i.getString("state")));
        assertThat(awaitItem(user, runId, "slide-0", i -> true).getString("termination_reason"))
                .isEqualTo("SUCCEEDED");
    }

    @Test
    void aRunRequestFromAnUnknownOrganizationOrSubmitterIsDeadLetteredAndCreatesNoRun() {
        String stranger = "nobody-" + UUID.randomUUID();
        String otherOrganization = Organizations.fresh("bounds");
        String outsider = Organizations.user(otherOrganization, Role.MEMBER);
        String member = freshUser();
        removed(member);

        UUID unknownOrganization = RunProbe.requestOverKafka(freshUser(), "no-such-org-" + UUID.randomUUID(), 1);
        UUID unknownUser = RunProbe.requestOverKafka(stranger, TestApi.ORG, 1);
        UUID wrongOrganization = RunProbe.requestOverKafka(outsider, TestApi.ORG, 1);
        UUID removedUser = RunProbe.requestOverKafka(member, TestApi.ORG, 1);

        assertThat(reason(unknownOrganization)).contains("unknown organization no-such-org-");
        assertThat(reason(unknownUser)).contains("unknown or removed submitter " + stranger);
        assertThat(reason(wrongOrganization))
                .contains("submitter " + outsider + " is not a member of organization " + TestApi.ORG);
        assertThat(reason(removedUser)).contains("unknown or removed submitter " + member);
        for (UUID runId : List.of(unknownOrganization, unknownUser, wrongOrganization, removedUser)) {
            assertThat(runExists(runId)).as("run %s", runId).isFalse();
        }

        UUID known = RunProbe.requestOverKafka(outsider, otherOrganization, 1);
        awaitRunState(known, RunState.SCHEDULED);
    }

    private static String reason(UUID runId) {
        return KafkaProbe.awaitEnvelopes(
                        Topics.DEAD_LETTERS,
                        DeadLetter.class,
                        e -> e.runId().equals(runId)
                                && e.payload().sourceTopic().equals(Topics.RUN_REQUESTS),
                        1)
                .getFirst()
                .payload()
                .reason();
    }

    private static OutputArtifact output(String key) {
        return new OutputArtifact("tissue_qc:csv_class_information", key, "text/csv", CSV.length, Crc32c.base64Of(CSV));
    }

    private static void removed(String userId) {
        sql("UPDATE app_user SET removed_at = now() WHERE user_id = ?", userId);
    }

    private static boolean runExists(UUID runId) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT count(*) FROM run WHERE run_id = ?")) {
            select.setObject(1, runId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sql(String statement, String parameter) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement update = c.prepareStatement(statement)) {
            update.setString(1, parameter);
            update.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
