package org.tessera.loadtests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tessera.localstack.DemoClient;
import org.tessera.localstack.LocalStack;
import org.tessera.localstack.PostgresService;

/** What the load scenarios share: their arguments, the stack's price list and run states, percentiles. */
final class Harness {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Harness() {}

    /** {@code name=value} arguments, in order; anything else is refused naming the argument. */
    static Map<String, String> arguments(String[] argv, Collection<String> known) {
        Map<String, String> args = new LinkedHashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are name=value, e.g. workers=100; got " + arg);
            }
            String name = arg.substring(0, eq);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown argument " + name + "; known: " + String.join(", ", known));
            }
            args.put(name, arg.substring(eq + 1));
        }
        return args;
    }

    static Path root() {
        return Path.of(System.getProperty("tessera.root", ".")).toAbsolutePath().normalize();
    }

    static String loadAverage() {
        return OrchestratorBenchmark.loadAverage();
    }

    /** Prices test-app's current version, so that every succeeded item gets a ledger entry and message. */
    static void priceTestApp(LocalStack stack, String price) {
        DemoClient client =
                new DemoClient(stack.apiUrl(), () -> stack.token(stack.seed().member()));
        JsonNode versions = client.application("test-app").path("versions");
        String version = versions.get(versions.size() - 1).path("number").asText();
        URI uri = stack.apiUrl().resolve("/api/admin/v1/applications/test-app/versions/" + version + "/price");
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(uri)
                            .header(
                                    "Authorization",
                                    "Bearer " + stack.token(stack.seed().operator()))
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString("{\"price_per_wsi\": \"" + price + "\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "pricing test-app " + version + " answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("pricing test-app failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many of the runs have ended (any terminal lifecycle state), and how many of their items are terminal. */
    record Progress(int endedRuns, int terminalItems) {}

    static Progress progress(Connection db, Collection<String> runIds) throws SQLException {
        UUID[] ids = runIds.stream().map(UUID::fromString).toArray(UUID[]::new);
        try (PreparedStatement query = db.prepareStatement("SELECT count(*) FILTER (WHERE state IN ('COMPLETED',"
                + " 'COMPLETED_WITH_ERROR', 'CANCELLED_BY_USER', 'CANCELLED_BY_SYSTEM', 'REJECTED')),"
                + " coalesce(sum(succeeded_count + user_error_count + system_error_count + skipped_count), 0)"
                + " FROM run WHERE run_id = ANY (?)")) {
            query.setArray(1, db.createArrayOf("uuid", ids));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new Progress(row.getInt(1), row.getInt(2));
            }
        }
    }

    /**
     * Waits until the run has ended (polling its row every {@code poll}); returns the seconds since {@code started}
     * (a {@link System#nanoTime} reading).
     */
    static double awaitRunEnd(LocalStack stack, String runId, long started, Duration limit, Duration poll)
            throws SQLException, InterruptedException {
        try (Connection db = database(stack)) {
            long deadline = started + limit.toNanos();
            while (progress(db, List.of(runId)).endedRuns() < 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("run " + runId + " did not end within " + limit);
                }
                Thread.sleep(poll.toMillis());
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    static Connection database(LocalStack stack) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), PostgresService.USER, "");
    }

    /** The value at quantile {@code p} of sorted values (nearest rank). */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static void writeTable(Path file, String table) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, table);
        } catch (IOException e) {
            throw new IllegalStateException("could not write " + file + ": " + e, e);
        }
    }
}
