package org.tessera.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresServiceTest {

    @TempDir
    Path stateDir;

    @Test
    void servesTheTesseraDatabaseOnLoopbackAndRecordsThePostmasterPid() throws Exception {
        StackOptions options = StackOptions.defaults(Path.of("."), stateDir);
        int port = Ports.free();
        long pid;
        try (PostgresService postgres = PostgresService.start(options, port)) {
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + port + "/tessera");
            try (var connection = DriverManager.getConnection(postgres.jdbcUrl(), PostgresService.USER, "");
                    ResultSet result = connection.createStatement().executeQuery("SELECT current_database()")) {
                result.next();
                assertThat(result.getString(1)).isEqualTo("tessera");
            }
            pid = postgres.pid().orElseThrow();
            assertThat(ProcessHandle.of(pid))
                    .hasValueSatisfying(handle -> assertThat(handle.isAlive()).isTrue());
        }
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(Ports.isListening(port)).isFalse();
    }

    @Test
    void aRestartedServerKeepsItsDataOnTheSamePort() throws Exception {
        StackOptions options = StackOptions.defaults(Path.of("."), stateDir);
        int port = Ports.free();
        try (PostgresService postgres = PostgresService.start(options, port);
                var connection = DriverManager.getConnection(postgres.jdbcUrl(), PostgresService.USER, "")) {
            connection.createStatement().execute("CREATE TABLE kept (value text)");
            connection.createStatement().execute("INSERT INTO kept VALUES ('before the restart')");
        }
        assertThat(Ports.isListening(port)).isFalse();
        try (PostgresService postgres = PostgresService.restart(options, port);
                var connection = DriverManager.getConnection(postgres.jdbcUrl(), PostgresService.USER, "");
                ResultSet result = connection.createStatement().executeQuery("SELECT value FROM kept")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getString(1)).isEqualTo("before the restart");
        }
    }
}
