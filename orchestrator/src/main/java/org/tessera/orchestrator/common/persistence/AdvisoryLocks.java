package org.tessera.orchestrator.common.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The platform's PostgreSQL advisory locks, all transaction-scoped, and every key they use in one place so that no two
 * uses can pick the same one. A lock with one {@code bigint} key and a lock with two {@code int} keys never meet:
 * PostgreSQL keeps the two forms apart.
 */
public enum AdvisoryLocks {
    /** One outbox relay publishes at a time, across replicas ("tessera" + 1). */
    OUTBOX_RELAY(0x7465737365726131L),
    /** One dispatch round at a time, across replicas, so the in-flight count it reads stays true ("tessera" + 2). */
    DISPATCH(0x7465737365726132L),
    /**
     * An organization's parallel-run decisions, one at a time; keyed by the organization as well. The first key is
     * "tes3" as four bytes.
     */
    RUN_SLOTS(0x74657333L);

    private final long key;

    AdvisoryLocks(long key) {
        this.key = key;
    }

    /** Waits for the lock; it is held until the transaction ends. */
    public void lock(Connection c) throws SQLException {
        Jdbc.first(c, "SELECT pg_advisory_xact_lock(?)", rs -> Boolean.TRUE, key);
    }

    /** Takes the lock if no other transaction holds it; it is then held until the transaction ends. */
    public boolean tryLock(Connection c) throws SQLException {
        return Jdbc.first(c, "SELECT pg_try_advisory_xact_lock(?)", rs -> rs.getBoolean(1), key)
                .orElse(false);
    }

    /**
     * Waits for this lock's instance for {@code name} (two {@code int} keys: this lock's, and the hash of the name);
     * held until the transaction ends. Names that hash alike share an instance, which only makes them take turns.
     */
    public void lock(Connection c, String name) throws SQLException {
        Jdbc.first(c, "SELECT pg_advisory_xact_lock(?, hashtext(?))", rs -> Boolean.TRUE, (int) key, name);
    }
}
