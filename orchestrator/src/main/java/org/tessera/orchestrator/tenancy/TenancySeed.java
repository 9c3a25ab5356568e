package org.tessera.orchestrator.tenancy;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * Creates the seeded organizations and users that do not exist yet, checked by the same rules as the admin API; a
 * seed that breaks them stops the service with the reason.
 */
@ApplicationScoped
public class TenancySeed {

    private static final Logger LOG = Logger.getLogger(TenancySeed.class);

    @Inject
    SeedConfig seed;

    @Inject
    DataSource dataSource;

    @Inject
    OrganizationRepository organizations;

    @Inject
    UserRepository users;

    @Inject
    Clock clock;

    void onStart(@Observes @Priority(10) StartupEvent event) {
        int[] created = Transactions.inNew(dataSource, c -> {
            Instant now = clock.instant();
            int orgs = 0;
            int people = 0;
            for (Map.Entry<String, SeedConfig.Organization> entry :
                    seed.organizations().entrySet()) {
                SeedConfig.Organization o = entry.getValue();
                List<String> domains =
                        TenancyRules.domains("tessera.seed.organizations." + entry.getKey() + ".domains", o.domains());
                OrganizationRow row = new OrganizationRow(
                        entry.getKey(),
                        o.name(),
                        o.displayName().orElse(null),
                        o.requireMfa(),
                        o.bucketName(),
                        o.bucketProtocol(),
                        o.bucketHmacAccessKeyId().orElse(null),
                        o.bucketHmacSecretAccessKey().orElse(null),
                        o.maxUsers().orElse(null),
                        o.monthlyWsiLimit().orElse(null),
                        o.maxWsisPerRun().orElse(null),
                        o.maxParallelRuns().orElse(null),
                        domains,
                        now,
                        now);
                if (organizations.find(c, row.organizationId()).isEmpty()) {
                    organizations.insert(c, row);
                    orgs++;
                }
            }
            for (Map.Entry<String, SeedConfig.User> entry : seed.users().entrySet()) {
                SeedConfig.User u = entry.getValue();
                String where = "tessera.seed.users." + entry.getKey();
                OrganizationRow organization = organizations
                        .find(c, u.organization())
                        .orElseThrow(() -> new IllegalStateException(
                                where + ".organization: no organization " + u.organization()));
                if (users.find(c, entry.getKey()).isPresent()) {
                    continue;
                }
                String email = TenancyRules.email(where + ".email", u.email(), organization);
                users.insert(
                        c,
                        new UserRow(
                                entry.getKey(),
                                organization.organizationId(),
                                u.subject().orElse(entry.getKey()),
                                email,
                                u.role(),
                                u.name().orElse(null),
                                u.givenName().orElse(null),
                                u.familyName().orElse(null),
                                u.monthlyWsiLimit().orElse(null),
                                u.maxParallelRuns().orElse(null),
                                now,
                                now,
                                null));
                people++;
            }
            return new int[] {orgs, people};
        });
        if (created[0] + created[1] > 0) {
            LOG.infof("seeded %d organization(s) and %d user(s)", created[0], created[1]);
        }
    }
}
