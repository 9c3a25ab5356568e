package org.tessera.orchestrator.run;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.tessera.orchestrator.quota.RunOccupancy;
import org.tessera.orchestrator.run.persistence.RunRepository;
import org.tessera.orchestrator.run.persistence.WaitingRunRepository;

/** Answers {@link RunOccupancy} from the run table and the waiting line. */
@ApplicationScoped
public class RunOccupancyReads implements RunOccupancy {

    @Inject
    RunRepository runs;

    @Inject
    WaitingRunRepository waiting;

    @Override
    public Map<String, Integer> inProgressByUser(Connection c, String organizationId) throws SQLException {
        return runs.inProgressByUser(c, organizationId);
    }

    @Override
    public Map<String, Integer> waitingByUser(Connection c, String organizationId) throws SQLException {
        return waiting.countByUser(c, organizationId);
    }
}
