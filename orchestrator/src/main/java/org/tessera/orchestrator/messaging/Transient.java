package org.tessera.orchestrator.messaging;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.orchestrator.common.persistence.Transactions;

/**
 * Tells passing trouble (the database is restarting, two transactions collided) from a record that can never be
 * processed, and retries the former. A record is dead-lettered only for the latter; passing trouble that does not
 * pass is rethrown so that the consumer stops instead of discarding good records.
 */
public final class Transient {

    private static final Logger LOG = Logger.getLogger(Transient.class);

    /** How long a consumer retries passing database trouble before it gives up. */
    static final Duration CONSUMER_PATIENCE = Duration.ofSeconds(30);

    private Transient() {}

    public static boolean isTransient(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exceptions; 40001/40P01: serialization failure, deadlock; 53: insufficient
                // resources; 57P: server shutting down; 55P03: lock not available.
                if (state.startsWith("08")
                        || state.equals("40001")
                        || state.equals("40P01")
                        || state.startsWith("53")
                        || state.startsWith("57P")
                        || state.equals("55P03")) {
                    return true;
                }
            }
            if (t instanceof java.sql.SQLTransientException || t instanceof java.sql.SQLRecoverableException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a consumer's work in a new transaction, retrying transient failures for up to {@link #CONSUMER_PATIENCE};
     * after that the failure is rethrown and the consumer stops, keeping its offsets.
     */
    public static void inNewTransaction(String what, DataSource dataSource, Transactions.Work<?> work)
            throws Exception {
        retrying(what, CONSUMER_PATIENCE, () -> Transactions.inNew(dataSource, work));
    }

    /** Runs the action, retrying transient failures with backoff for up to {@code patience}. */
    public static <T> T retrying(String what, Duration patience, Callable<T> action) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        long backoffMillis = 50;
        while (true) {
            try {
                return action.call();
            } catch (Exception e) {
                if (!isTransient(e) || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warnf("%s hit a transient failure (%s); retrying in %d ms", what, e.getMessage(), backoffMillis);
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(2_000, backoffMillis * 2);
            }
        }
    }
}
