package org.tessera.orchestrator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.tessera.orchestrator.flow.FlowSupport.awaitItem;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRun;
import static org.tessera.orchestrator.flow.FlowSupport.awaitRunState;
import static org.tessera.orchestrator.flow.FlowSupport.itemIds;
import static org.tessera.orchestrator.flow.FlowSupport.terminated;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.contracts.ErrorCodes;
import org.tessera.contracts.RunState;
import org.tessera.contracts.SlideJob;
import org.tessera.contracts.Topics;
import org.tessera.orchestrator.run.progress.LeaseWatchdog;
import org.tessera.orchestrator.support.KafkaProbe;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Workers;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class LeaseWatchdogTest {

    @Inject
    LeaseWatchdog watchdog;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aSilentWorkersJobIsHandedOutAgainThenTheItemFails() throws Exception {
        String user = freshUser();
        UUID runId = submit(user, testRun(1));
        awaitRunState(runId, RunState.SCHEDULED);
        UUID item = itemIds(user, runId).get("slide-0");

        Workers.started(runId, item, 1);
        awaitItem(user, runId, "slide-0", i -> "PROCESSING".equals(i.getString("state")));
        leaseExpires(item);
        watchdog.expireSilentItems();

        SlideJob retry = KafkaProbe.awaitEnvelopes(
                        Topics.SLIDE_JOBS,
                        SlideJob.class,
                        e -> e.itemId().equals(item) && e.payload().attempt() == 2,
                        1)
                .getFirst()
                .payload();
        assertThat(retry.outputPrefix()).isEqualTo("outputs/" + runId + "/" + item + "/");
        JsonPath requeued = awaitItem(user, runId, "slide-0", i -> "PENDING".equals(i.getString("state")));
        assertThat(requeued.getString("termination_reason")).isNull();

        // The first worker wakes up and reports: it no longer holds the item.
        Workers.succeeded(runId, item, 1, java.util.List.of());
        Workers.started(runId, item, 2);
        awaitItem(user, runId, "slide-0", i -> "PROCESSING".equals(i.getString("state")));
        leaseExpires(item);
        watchdog.expireSilentItems();
        KafkaProbe.awaitEnvelopes(
                Topics.SLIDE_JOBS,
                SlideJob.class,
                e -> e.itemId().equals(item) && e.payload().attempt() == 3,
                1);

        Workers.started(runId, item, 3);
        awaitItem(user, runId, "slide-0", i -> "PROCESSING".equals(i.getString("state")));
        leaseExpires(item);
        watchdog.expireSilentItems();

        JsonPath failed = awaitItem(user, runId, "slide-0", i -> "TERMINATED".equals(i.getString("state")));
        assertThat(failed.getString("termination_reason")).isEqualTo("SYSTEM_ERROR");
        assertThat(failed.getString("error_code")).isEqualTo(ErrorCodes.SYSTEM_WORKER_LOST);
        JsonPath run = awaitRun(user, runId, terminated());
        assertThat(run.getString("termination_reason")).isEqualTo("ALL_ITEMS_PROCESSED");
        assertThat(run.getInt("statistics.item_system_error_count")).isEqualTo(1);
        assertThat(KafkaProbe.awaitEnvelopes(
                        Topics.SLIDE_JOBS, SlideJob.class, e -> e.itemId().equals(item), 3))
                .hasSize(3);
    }

    @Test
    void pendingItemsAndItemsWithRecentWordAreLeftAlone() throws Exception {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));
        awaitRunState(runId, RunState.SCHEDULED);
        UUID busy = itemIds(user, runId).get("slide-0");
        Workers.started(runId, busy, 1);
        awaitItem(user, runId, "slide-0", i -> "PROCESSING".equals(i.getString("state")));

        watchdog.expireSilentItems();

        assertThat(KafkaProbe.awaitEnvelopes(
                        Topics.SLIDE_JOBS, SlideJob.class, e -> e.runId().equals(runId), 2))
                .hasSize(2);
        JsonPath run = awaitRun(user, runId, r -> true);
        assertThat(run.getInt("statistics.item_processing_count")).isEqualTo(1);
        assertThat(run.getInt("statistics.item_pending_count")).isEqualTo(1);
    }

    @Test
    void anItemWhoseHeartbeatsKeepComingButStopMovingIsHandedOutAgainWhileAMovingOneIsLeftAlone() throws Exception {
        String user = freshUser();
        UUID runId = submit(user, testRun(2));
        awaitRunState(runId, RunState.SCHEDULED);
        UUID stuck = itemIds(user, runId).get("slide-0");
        UUID moving = itemIds(user, runId).get("slide-1");
        for (UUID item : java.util.List.of(stuck, moving)) {
            Workers.started(runId, item, 1);
            Workers.progress(runId, item, 1, 5, 10);
        }
        await(() -> tilesDone(stuck) == 5 && tilesDone(moving) == 5);
        // The counters last moved an hour ago; both items are still heartbeating.
        progressedLongAgo(stuck);
        progressedLongAgo(moving);
        Workers.progress(runId, stuck, 1, 5, 10);
        Workers.progress(runId, moving, 1, 6, 10);
        await(() -> tilesDone(moving) == 6 && heardFromRecently(stuck));

        watchdog.expireSilentItems();

        SlideJob retry = KafkaProbe.awaitEnvelopes(
                        Topics.SLIDE_JOBS,
                        SlideJob.class,
                        e -> e.itemId().equals(stuck) && e.payload().attempt() == 2,
                        1)
                .getFirst()
                .payload();
        assertThat(retry.attempt()).isEqualTo(2);
        awaitItem(user, runId, "slide-0", i -> "PENDING".equals(i.getString("state")));
        assertThat(awaitItem(user, runId, "slide-1", i -> true).getString("state"))
                .isEqualTo("PROCESSING");
        assertThat(KafkaProbe.awaitEnvelopes(
                        Topics.SLIDE_JOBS, SlideJob.class, e -> e.itemId().equals(moving), 1))
                .hasSize(1);
    }

    private long tilesDone(UUID item) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT tiles_done FROM item WHERE item_id = ?")) {
            ps.setObject(1, item);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    private boolean heardFromRecently(UUID item) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT last_event_at > progressed_at + interval '30 minutes' FROM item WHERE item_id = ?")) {
            ps.setObject(1, item);
            try (var rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private void progressedLongAgo(UUID item) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE item SET progressed_at = now() - interval '1 hour' WHERE item_id = ?")) {
            ps.setObject(1, item);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(100))
                .until(condition);
    }

    private void leaseExpires(UUID item) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE item SET last_event_at = now() - interval '1 hour' WHERE item_id = ?")) {
            ps.setObject(1, item);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
