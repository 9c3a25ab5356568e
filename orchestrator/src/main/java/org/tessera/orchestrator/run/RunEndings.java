package org.tessera.orchestrator.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.tessera.contracts.RunState;
import org.tessera.orchestrator.common.AfterCommit;
import org.tessera.orchestrator.quota.WsiQuotas;
import org.tessera.orchestrator.run.persistence.RunRow;

/**
 * What a run's end means for its organization's limits, in the transaction that ends it: the WSIs it never processed
 * (every item of a rejected run, the skipped items of a cancelled one) go back to its month's quota, and a run that was
 * in progress frees a parallel slot for the runs waiting behind it.
 */
@ApplicationScoped
public class RunEndings {

    @Inject
    WsiQuotas quotas;

    @Inject
    ParallelRuns parallelRuns;

    @Inject
    AfterCommit afterCommit;

    /**
     * @param run the run in its terminal state, its item counts final
     * @param from the state it ended from
     */
    public void ended(Connection c, RunRow run, RunState from, Instant now) throws SQLException {
        quotas.giveBack(c, run.runId, run.counts().skipped(), now);
        if (from == RunState.RECEIVED) {
            parallelRuns.leave(c, run.runId);
        } else {
            String organizationId = run.organizationId;
            afterCommit.run(() -> parallelRuns.wake(organizationId));
        }
    }
}
