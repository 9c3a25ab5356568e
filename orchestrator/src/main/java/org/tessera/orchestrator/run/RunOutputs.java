package org.tessera.orchestrator.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.tessera.objectstore.ObjectStore;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRepository;
import org.tessera.orchestrator.artifact.persistence.OutputArtifactRow;
import org.tessera.orchestrator.run.persistence.RunRepository;

/**
 * Deletes a run's output files and records it: the artifacts become {@code DELETED_BY_USER} or
 * {@code DELETED_BY_SYSTEM} and the run remembers that its outputs are gone. Shared by the owner's
 * {@code DELETE /v1/runs/{id}/artifacts} and the retention job.
 */
@ApplicationScoped
public class RunOutputs {

    @Inject
    RunRepository runs;

    @Inject
    OutputArtifactRepository outputs;

    @Inject
    ObjectStore objectStore;

    /**
     * In the caller's transaction, which holds the run's lock. The rows change first and the files go last: if
     * deleting a file fails, the transaction rolls back and the deletion is retried as a whole (deleting is
     * idempotent).
     *
     * @param how {@link OutputArtifactRow#DELETED_BY_USER} or {@link OutputArtifactRow#DELETED_BY_SYSTEM}
     */
    public void delete(Connection c, UUID runId, String how, Instant now) throws SQLException, IOException {
        var stored = outputs.ofRun(c, runId);
        outputs.markDeleted(c, runId, how);
        runs.markOutputsDeleted(c, runId, how, now);
        for (OutputArtifactRow output : stored) {
            // Keys come from workers; one outside the run's prefix must not outlive the run's retention either.
            objectStore.delete(output.objectKey());
        }
        objectStore.deletePrefix("outputs/" + runId + "/");
    }
}
