package org.tessera.orchestrator.quota;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * How many of an organization's runs are in progress (admitted, not terminal) and how many wait for a parallel slot,
 * per user: what usage reports show next to the parallel-run limits. The runs capability answers it.
 */
public interface RunOccupancy {

    Map<String, Integer> inProgressByUser(Connection c, String organizationId) throws SQLException;

    Map<String, Integer> waitingByUser(Connection c, String organizationId) throws SQLException;
}
