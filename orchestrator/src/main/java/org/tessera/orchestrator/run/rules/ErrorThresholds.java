package org.tessera.orchestrator.run.rules;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import org.tessera.orchestrator.application.ApplicationCatalogue;
import org.tessera.orchestrator.application.domain.ApplicationVersion;
import org.tessera.orchestrator.application.domain.ErrorThreshold;
import org.tessera.orchestrator.run.persistence.RunRow;
import org.tessera.orchestrator.tenancy.persistence.ErrorThresholdOverride;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;

/**
 * A run's error threshold: its application version's ({@code catalogue.json}, default 10 items and 25 %), with the
 * parts its organization overrides replaced. Fixed when the run is admitted, so later changes apply to later runs.
 */
@ApplicationScoped
public class ErrorThresholds {

    @Inject
    ApplicationCatalogue catalogue;

    @Inject
    OrganizationRepository organizations;

    /** The rule that applies to runs of this version in this organization. */
    public ErrorThreshold rule(Connection c, String applicationId, String versionNumber, String organizationId)
            throws SQLException {
        ErrorThreshold version = catalogue
                .application(applicationId)
                .flatMap(application -> application.version(versionNumber))
                .map(ApplicationVersion::errorThreshold)
                .orElse(ErrorThreshold.DEFAULT);
        ErrorThresholdOverride override = organizationId == null
                ? ErrorThresholdOverride.NONE
                : organizations.errorThresholdOverride(c, organizationId).orElse(ErrorThresholdOverride.NONE);
        return version.overriddenBy(override.minFailedItems(), override.maxFailedPercent());
    }

    /** The most failed items the run may have; one more cancels it. */
    public int thresholdFor(Connection c, RunRow run) throws SQLException {
        return rule(c, run.applicationId, run.versionNumber, run.organizationId)
                .limitFor(run.counts().itemCount());
    }
}
