package org.tessera.orchestrator.common.persistence;

import io.quarkus.narayana.jta.QuarkusTransaction;
import java.sql.Connection;
import javax.sql.DataSource;

/** Work that runs in a transaction of its own, outside any the caller may be in (consumers, scheduled rounds). */
public final class Transactions {

    /** What runs on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws Exception;
    }

    private Transactions() {}

    /** Runs the work in a new transaction on a connection of its own; commits when it returns. */
    public static <T> T inNew(DataSource dataSource, Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> onConnection(dataSource, work));
    }

    /** Like {@link #inNew(DataSource, Work)}, with a transaction timeout. */
    public static <T> T inNew(DataSource dataSource, int timeoutSeconds, Work<T> work) {
        return QuarkusTransaction.requiringNew().timeout(timeoutSeconds).call(() -> onConnection(dataSource, work));
    }

    private static <T> T onConnection(DataSource dataSource, Work<T> work) throws Exception {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }
}
