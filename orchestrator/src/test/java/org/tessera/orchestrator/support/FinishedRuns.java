package org.tessera.orchestrator.support;

import static org.awaitility.Awaitility.await;
import static org.tessera.orchestrator.support.TestApi.as;

import io.quarkus.arc.Arc;
import io.restassured.path.json.JsonPath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.tessera.contracts.OutputArtifact;

/** Runs driven to their end through the real path: admission, a worker's events on Kafka, a file in the store. */
public final class FinishedRuns {

    /**
     * A terminated one-item run whose item succeeded with one output file.
     *
     * @param objectKey where the output file lies in the object store
     */
    public record Finished(
            UUID runId, UUID itemId, String externalId, UUID artifactId, String objectKey, byte[] file) {}

    private FinishedRuns() {}

    /** Submits a one-item run as the user and plays the worker until the run is TERMINATED with one output. */
    public static Finished withOneOutput(String user) {
        UUID runId = TestApi.submit(user, TestApi.testRun(1));
        awaitStoredState(runId, "SCHEDULED");
        UUID itemId = UUID.fromString(as(user).get("/api/v1/runs/{id}/items/slide-0", runId)
                .then()
                .statusCode(200)
                .extract()
                .<String>path("item_id"));
        byte[] file = ("{\"type\":\"FeatureCollection\",\"features\":[],\"run\":\"" + runId + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        OutputArtifact output = Workers.output(runId, itemId, "tissue_qc:geojson_polygons", file);
        try {
            ObjectStoreTestResource.store().write(output.objectKey(), new ByteArrayInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Workers.started(runId, itemId, 1);
        Workers.succeeded(runId, itemId, 1, List.of(output));
        JsonPath item = awaitItem(user, runId, "slide-0", "TERMINATED");
        awaitStoredState(runId, "COMPLETED");
        return new Finished(
                runId,
                itemId,
                "slide-0",
                UUID.fromString(item.getString("output_artifacts[0].output_artifact_id")),
                output.objectKey(),
                file);
    }

    /** Waits until the run's lifecycle state in the database is {@code state} (e.g. SCHEDULED once admitted). */
    public static void awaitStoredState(UUID runId, String state) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> state.equals(storedState(runId)));
    }

    /** The run's lifecycle state in the database, or null when there is no such run. */
    public static String storedState(UUID runId) {
        return queryString("SELECT state FROM run WHERE run_id = ?", runId);
    }

    /** The first column of the first row, as text, or null. */
    public static String queryString(String sql, Object... params) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs an UPDATE or DELETE directly, e.g. to move a token's expiry into the past. */
    public static int execute(String sql, Object... params) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static JsonPath awaitItem(String user, UUID runId, String externalId, String state) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    last[0] = as(user).get("/api/v1/runs/{id}/items/{external}", runId, externalId)
                            .then()
                            .statusCode(200)
                            .extract()
                            .jsonPath();
                    return state.equals(last[0].getString("state"));
                });
        return last[0];
    }
}
