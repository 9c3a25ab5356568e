package org.tessera.orchestrator.access;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * Looks up runs for sharing. Implemented by the run package, which owns the run table, so that this package needs
 * nothing from it.
 */
public interface SharedRuns {

    Optional<SharedResource> find(Connection c, UUID runId) throws SQLException;
}
