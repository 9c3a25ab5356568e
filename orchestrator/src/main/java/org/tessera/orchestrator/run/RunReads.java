package org.tessera.orchestrator.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRepository;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.item.persistence.ItemQuery;
import org.tessera.orchestrator.item.persistence.ItemRepository;
import org.tessera.orchestrator.item.persistence.ItemRow;
import org.tessera.orchestrator.run.api.RunResponses;
import org.tessera.orchestrator.run.api.RunViews;
import org.tessera.orchestrator.run.dispatch.QueuePositions;
import org.tessera.orchestrator.run.persistence.RunQuery;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.tenancy.Caller;

/**
 * Read side of the runs API. A run the caller may not read (see {@link RunVisibility}) is reported as not found.
 * {@code shareToken} is the {@code share_token} query parameter, or null.
 */
@ApplicationScoped
public class RunReads {

    /** PostgreSQL's SQLSTATE class for syntax errors (an unparsable SQL/JSON path lands here). */
    private static final String SYNTAX_ERROR_CLASS = "42";

    /** SQLSTATE class 22: data exceptions (e.g. an invalid regular expression in like_regex). */
    private static final String DATA_EXCEPTION_CLASS = "22";

    /** SQLSTATE of a statement cancelled by {@code statement_timeout}. */
    private static final String QUERY_CANCELED = "57014";

    /** Longest a list query with a client's {@code custom_metadata} filter may run. */
    @ConfigProperty(name = "tessera.orchestrator.json-path-timeout", defaultValue = "PT5S")
    Duration jsonPathTimeout;

    @Inject
    DataSource dataSource;

    @Inject
    RunRepository runs;

    @Inject
    ItemRepository items;

    @Inject
    OutputArtifactRepository outputs;

    @Inject
    QueuePositions queuePositions;

    @Inject
    RunVisibility visibility;

    public RunResponses.RunReadResponse run(UUID runId, Caller caller, String shareToken) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            RunRow run = visibility.readable(c, runId, caller, shareToken);
            return RunViews.run(run, standings(c, List.of(run)).get(run.runId));
        }
    }

    public List<RunResponses.RunReadResponse> runs(RunQuery query) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<RunRow> page = bounded(c, query.customMetadataPath(), () -> runs.list(c, query));
            Map<UUID, QueuePositions.RunStanding> standings = standings(c, page);
            return page.stream()
                    .map(run -> RunViews.run(run, standings.get(run.runId)))
                    .toList();
        } catch (SQLException e) {
            throw jsonPathError(e, query.customMetadataPath());
        }
    }

    public List<RunResponses.ItemResultReadResponse> items(ItemQuery query, Caller caller, String shareToken)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            RunRow run = visibility.readable(c, query.runId(), caller, shareToken);
            List<ItemRow> page;
            try {
                page = bounded(c, query.customMetadataPath(), () -> items.list(c, query));
            } catch (SQLException e) {
                throw jsonPathError(e, query.customMetadataPath());
            }
            Map<UUID, List<OutputArtifactRow>> outputsByItem =
                    outputs.ofItems(c, page.stream().map(i -> i.itemId).toList());
            Map<UUID, QueuePositions.ItemStanding> standings = queuePositions.ofItems(c, run, page);
            return page.stream()
                    .map(i -> RunViews.item(
                            i,
                            outputsByItem.getOrDefault(i.itemId, List.of()),
                            standings.getOrDefault(i.itemId, QueuePositions.ItemStanding.NONE)))
                    .toList();
        }
    }

    public RunResponses.ItemResultReadResponse item(UUID runId, String externalId, Caller caller, String shareToken)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            RunRow run = visibility.readable(c, runId, caller, shareToken);
            ItemRow item = items.find(c, runId, externalId)
                    .orElseThrow(() -> ApiException.notFound("Item '" + externalId + "' not found in run " + runId));
            return RunViews.item(
                    item,
                    outputs.ofItems(c, List.of(item.itemId)).getOrDefault(item.itemId, List.of()),
                    queuePositions
                            .ofItems(c, run, List.of(item))
                            .getOrDefault(item.itemId, QueuePositions.ItemStanding.NONE));
        }
    }

    /** The output a download refers to: 404 if the caller may not read the run, 410 if its file was deleted. */
    public OutputArtifactRow downloadableOutput(UUID runId, UUID artifactId, Caller caller, String shareToken)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            visibility.readable(c, runId, caller, shareToken);
            OutputArtifactRow output = outputs.find(c, runId, artifactId)
                    .orElseThrow(() -> ApiException.notFound("Artifact " + artifactId + " not found in run " + runId));
            if (!OutputArtifactRow.AVAILABLE.equals(output.output())) {
                throw ApiException.gone("Artifact " + artifactId + " has been deleted (" + output.output() + ")");
            }
            return output;
        }
    }

    /** Where the runs stand in the dispatch queue; every run of the list has an entry. */
    private Map<UUID, QueuePositions.RunStanding> standings(Connection c, List<RunRow> page) throws SQLException {
        Map<UUID, QueuePositions.RunStanding> standings = new HashMap<>(queuePositions.ofRuns(c, page));
        page.forEach(run -> standings.putIfAbsent(run.runId, QueuePositions.RunStanding.NONE));
        return standings;
    }

    private interface Query<T> {
        T run() throws SQLException;
    }

    /**
     * Runs a list query; one with a client's SQL/JSON path runs in a transaction of its own under
     * {@code SET LOCAL statement_timeout}, since a path can make PostgreSQL compare every element with every other.
     */
    private <T> T bounded(Connection c, String path, Query<T> query) throws SQLException {
        if (path == null) {
            return query.run();
        }
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement set = c.createStatement()) {
                set.execute("SET LOCAL statement_timeout = " + Math.max(1, jsonPathTimeout.toMillis()));
            }
            T result = query.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private RuntimeException jsonPathError(SQLException e, String path) throws SQLException {
        String state = e.getSQLState();
        if (path != null && QUERY_CANCELED.equals(state)) {
            return ValidationFailedException.of(FieldError.query(
                    "custom_metadata",
                    "json_path_too_expensive",
                    "the SQL/JSON path took longer than " + jsonPathTimeout.toMillis()
                            + " ms to evaluate and was stopped; use a simpler filter (no filter inside a filter, no"
                            + " comparison of one array with another) or narrow the list with other parameters"));
        }
        if (path != null
                && state != null
                && (state.startsWith(SYNTAX_ERROR_CLASS) || state.startsWith(DATA_EXCEPTION_CLASS))) {
            return ValidationFailedException.of(FieldError.query(
                    "custom_metadata", "json_path", "not a valid SQL/JSON path expression: " + firstLine(e)));
        }
        throw e;
    }

    private static String firstLine(SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
