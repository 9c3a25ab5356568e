package org.tessera.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at a real embedded PostgreSQL. The server is shared by the JVM; each resource gets the
 * database named by the init argument {@code database} (default {@code tessera}), created on first use.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgresDb server;

    private String database = "tessera";

    /** The shared server, started on first use. */
    public static synchronized EmbeddedPostgresDb server() {
        if (server == null) {
            server = EmbeddedPostgresDb.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "postgres-test-server-stop"));
        }
        return server;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        return server().quarkusConfig(database);
    }

    @Override
    public void stop() {
        // Shared across test classes; stopped by the shutdown hook.
    }
}
