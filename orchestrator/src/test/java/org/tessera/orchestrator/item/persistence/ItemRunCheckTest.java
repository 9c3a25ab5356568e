package org.tessera.orchestrator.item.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tessera.orchestrator.support.TestApi.freshUser;
import static org.tessera.orchestrator.support.TestApi.submit;
import static org.tessera.orchestrator.support.TestApi.testRun;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.item.domain.ItemState;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/**
 * Items need their run: the check that replaced the item-to-run foreign key (one per statement instead of one per
 * row, V17) refuses items of a run that does not exist and deletes a run's items with the run.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class ItemRunCheckTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ItemRepository items;

    @Test
    void itemsOfARunThatDoesNotExistAreRefusedWithTheForeignKeyCode() throws SQLException {
        UUID stranger = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> items.insert(c, List.of(item(stranger, 0), item(stranger, 1))))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"))
                    .hasMessageContaining("run " + stranger + " does not exist");
            c.rollback();
        }
        assertThat(itemCount(stranger)).isZero();
    }

    @Test
    void oneItemWithoutItsRunSpoilsTheWholeCopy() throws SQLException {
        UUID existing = copyOfASubmittedRun();
        UUID stranger = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThatThrownBy(() -> items.insert(c, List.of(item(existing, 0), item(stranger, 0))))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23503"));
            c.rollback();
        }
        assertThat(itemCount(existing)).isZero();
    }

    @Test
    void deletingARunDeletesItsItems() throws SQLException {
        UUID runId = copyOfASubmittedRun();
        try (Connection c = dataSource.getConnection()) {
            items.insert(c, List.of(item(runId, 0), item(runId, 1), item(runId, 2)));
        }
        assertThat(itemCount(runId)).isEqualTo(3);
        try (Connection c = dataSource.getConnection();
                PreparedStatement delete = c.prepareStatement("DELETE FROM run WHERE run_id = ?")) {
            delete.setObject(1, runId);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        assertThat(itemCount(runId)).isZero();
    }

    /**
     * A run of its own, without items, reservation or ledger rows that would hold it: the row of a run submitted
     * through the API, under a fresh id and rejected, so that no dispatcher or watchdog takes up its items.
     */
    private UUID copyOfASubmittedRun() throws SQLException {
        UUID submitted = submit(freshUser(), testRun(1));
        UUID copy = UUID.randomUUID();
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO run SELECT (jsonb_populate_record(NULL::run, to_jsonb(r)"
                                + " || jsonb_build_object('run_id', CAST(? AS text), 'state', 'REJECTED'))).* FROM run r"
                                + " WHERE run_id = ?")) {
            insert.setString(1, copy.toString());
            insert.setObject(2, submitted);
            assertThat(insert.executeUpdate()).isEqualTo(1);
        }
        return copy;
    }

    private int itemCount(UUID runId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement count = c.prepareStatement("SELECT count(*) FROM item WHERE run_id = ?")) {
            count.setObject(1, runId);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static ItemRow item(UUID runId, int position) {
        return new ItemRow(
                UUID.randomUUID(),
                runId,
                position,
                "slide-" + position,
                null,
                null,
                "[]",
                ItemState.PENDING,
                1,
                Instant.now());
    }
}
