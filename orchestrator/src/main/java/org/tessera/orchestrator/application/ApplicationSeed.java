package org.tessera.orchestrator.application;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.application.persistence.AssignmentRepository;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;

/**
 * Assigns the configured application versions to seeded organizations ({@link ApplicationSeedConfig}) after the
 * tenancy seed created them. Creates only what never existed: a version a super-admin unassigned stays unassigned
 * across restarts. A configured version the catalogue does not have stops the service with the property named.
 */
@ApplicationScoped
public class ApplicationSeed {

    private static final Logger LOG = Logger.getLogger(ApplicationSeed.class);

    @Inject
    ApplicationSeedConfig seed;

    @Inject
    ApplicationCatalogue catalogue;

    @Inject
    AssignmentRepository assignments;

    @Inject
    OrganizationRepository organizations;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    // After TenancySeed (priority 10): the organizations must exist.
    void onStart(@Observes @Priority(20) StartupEvent event) {
        int created = Transactions.inNew(dataSource, c -> {
            int count = 0;
            for (Map.Entry<String, ApplicationSeedConfig.Organization> entry :
                    seed.organizations().entrySet()) {
                count += assign(
                        c, entry.getKey(), entry.getValue().applications().orElse(List.of()));
            }
            return count;
        });
        if (created > 0) {
            LOG.infof("assigned %d application version(s) to seeded organizations", created);
        }
    }

    /**
     * Assigns the organization's configured versions that were never assigned to it; returns how many it assigned.
     *
     * @param entries {@code <application-id>:<version>} as configured
     */
    int assign(Connection c, String organizationId, List<String> entries) throws SQLException {
        if (entries.isEmpty()) {
            return 0;
        }
        String property = "tessera.seed.organizations." + organizationId + ".applications";
        if (organizations.find(c, organizationId).isEmpty()) {
            throw new IllegalStateException(property + ": no organization " + organizationId);
        }
        int count = 0;
        for (VersionRef version : versions(property, entries)) {
            if (assignments.assignIfNeverAssigned(c, organizationId, version, clock.instant())) {
                count++;
            }
        }
        return count;
    }

    /** Parses {@code app:version} entries against the catalogue; free applications need none and are skipped. */
    List<VersionRef> versions(String property, List<String> entries) {
        List<VersionRef> versions = new ArrayList<>();
        for (String entry : entries) {
            String text = entry.trim();
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalStateException(
                        property + ": '" + entry + "' is not <application-id>:<version>, e.g. he-tme:1.0.0");
            }
            VersionRef version = new VersionRef(text.substring(0, colon), text.substring(colon + 1));
            Application application = catalogue
                    .application(version.applicationId())
                    .orElseThrow(() -> new IllegalStateException(
                            property + ": no application '" + version.applicationId() + "' in the catalogue"));
            if (application.version(version.versionNumber()).isEmpty()) {
                throw new IllegalStateException(property + ": application '" + version.applicationId()
                        + "' has no version '" + version.versionNumber() + "'");
            }
            if (!application.free()) {
                versions.add(version);
            }
        }
        return versions;
    }
}
