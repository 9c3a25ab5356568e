package org.tessera.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * A real PostgreSQL server (embedded binaries, no Docker) on a free loopback port. One server can hold several
 * databases, so test classes can each get a clean one without a restart.
 */
public final class EmbeddedPostgresDb implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresDb(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a throw-away server whose data is deleted on close. */
    public static EmbeddedPostgresDb start() {
        return start(null, 0);
    }

    /**
     * Starts a server.
     *
     * @param dataDirectory where to keep data across restarts, or null for a temporary directory deleted on close
     * @param port fixed port, or 0 for a free one
     */
    public static EmbeddedPostgresDb start(Path dataDirectory, int port) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", dataDirectory == null ? "off" : "on");
            if (dataDirectory != null) {
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            if (port > 0) {
                builder.setPort(port);
            }
            return new EmbeddedPostgresDb(builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("embedded PostgreSQL did not start", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    /** Creates the database if it does not exist yet and returns its JDBC URL. */
    public String createDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("database name must be lower-case letters, digits and _: " + database);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
        return jdbcUrl(database);
    }

    /** Quarkus datasource configuration for a (new) database on this server. */
    public Map<String, String> quarkusConfig(String database) {
        return Map.of(
                "quarkus.datasource.jdbc.url", createDatabase(database),
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", PASSWORD);
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("embedded PostgreSQL did not stop cleanly", e);
        }
    }
}
