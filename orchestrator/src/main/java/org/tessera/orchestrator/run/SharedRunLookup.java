package org.tessera.orchestrator.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.tessera.orchestrator.access.SharedResource;
import org.tessera.orchestrator.access.SharedRuns;
import org.tessera.orchestrator.access.domain.ResourceType;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.RunRow;

/** Tells the access package who owns a run and which organization it belongs to. */
@ApplicationScoped
public class SharedRunLookup implements SharedRuns {

    @Inject
    RunRepository runs;

    @Override
    public Optional<SharedResource> find(Connection c, UUID runId) throws SQLException {
        return runs.find(c, runId).map(SharedRunLookup::asShared);
    }

    static SharedResource asShared(RunRow run) {
        return new SharedResource(
                ResourceType.RUN, run.runId, run.submittedBy, Objects.requireNonNullElse(run.organizationId, ""));
    }
}
