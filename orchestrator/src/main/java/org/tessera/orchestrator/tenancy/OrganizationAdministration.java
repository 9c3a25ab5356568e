package org.tessera.orchestrator.tenancy;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tessera.orchestrator.common.FieldError;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.api.ValidationFailedException;
import org.tessera.orchestrator.tenancy.domain.Change;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRepository;
import org.tessera.orchestrator.tenancy.persistence.OrganizationRow;
import org.tessera.orchestrator.tenancy.persistence.UserRepository;
import org.tessera.orchestrator.tenancy.persistence.UserRow;

/**
 * Organizations as the platform's operators register and change them (docs/organizations.md): an organization comes
 * with its email domains (each belongs to one organization) and its first admin. Admins may read their own.
 */
@ApplicationScoped
public class OrganizationAdministration {

    /** An organization to register. Limits that are null are unlimited. */
    public record Registration(
            String organizationId,
            String name,
            String displayName,
            List<String> domains,
            Boolean requireMfa,
            Integer maxUsers,
            Integer monthlyWsiLimit,
            Integer maxWsisPerRun,
            Integer maxParallelRuns,
            Bucket bucket,
            UserAdministration.NewUser firstAdmin) {}

    /** The bucket its users upload slides to, as {@code GET /v1/me} shows it. */
    public record Bucket(String name, String protocol, String hmacAccessKeyId, String hmacSecretAccessKey) {}

    /** What a PATCH changes; fields not present stay as they are. */
    public record Changes(
            Change<String> name,
            Change<String> displayName,
            Change<List<String>> domains,
            Change<Boolean> requireMfa,
            Change<Integer> maxUsers,
            Change<Integer> monthlyWsiLimit,
            Change<Integer> maxWsisPerRun,
            Change<Integer> maxParallelRuns,
            Change<String> bucketName,
            Change<String> bucketProtocol,
            Change<String> bucketHmacAccessKeyId,
            Change<String> bucketHmacSecretAccessKey) {}

    /** The new organization and its first admin. */
    public record Registered(OrganizationRow organization, UserRow firstAdmin) {}

    @Inject
    DataSource dataSource;

    @Inject
    OrganizationRepository organizations;

    @Inject
    UserRepository users;

    @Inject
    UserAdministration userAdministration;

    @Inject
    Clock clock;

    /** The platform's own cap on items per run: an organization's limit can only be lower. */
    @ConfigProperty(name = "tessera.orchestrator.max-items-per-run", defaultValue = "500")
    int platformMaxItemsPerRun;

    @Transactional(rollbackOn = Exception.class)
    public Registered register(Caller caller, Registration registration) throws SQLException {
        caller.requireSuperAdmin();
        List<String> domains = TenancyRules.domains("domains", registration.domains());
        requireWithinPlatformCap(registration.maxWsisPerRun());
        Bucket bucket = registration.bucket();
        Instant now = clock.instant();
        OrganizationRow organization = new OrganizationRow(
                registration.organizationId(),
                registration.name(),
                registration.displayName(),
                registration.requireMfa() == null || registration.requireMfa(),
                bucket.name(),
                bucket.protocol(),
                bucket.hmacAccessKeyId(),
                bucket.hmacSecretAccessKey(),
                registration.maxUsers(),
                registration.monthlyWsiLimit(),
                registration.maxWsisPerRun(),
                registration.maxParallelRuns(),
                domains,
                now,
                now);
        UserAdministration.NewUser admin = registration.firstAdmin();
        String email = TenancyRules.email("first_admin.email", admin.email(), organization);
        try (Connection c = dataSource.getConnection()) {
            if (organizations.find(c, organization.organizationId()).isPresent()) {
                throw new ApiException(
                        409,
                        "TENANCY.ORGANIZATION_EXISTS",
                        "organization_id: organization " + organization.organizationId() + " exists already");
            }
            requireDomainsFree(c, organization.organizationId(), domains);
            try {
                if (!organizations.insert(c, organization)) {
                    throw new ApiException(
                            409,
                            "TENANCY.ORGANIZATION_EXISTS",
                            "organization_id: organization " + organization.organizationId()
                                    + " was registered by a concurrent request");
                }
            } catch (SQLException e) {
                throw domainTakenMeanwhile(e, domains);
            }
            UserRow firstAdmin = userAdministration.insert(c, organization, admin, email, Role.ADMIN, "first_admin.");
            return new Registered(organization, firstAdmin);
        }
    }

    @Transactional(rollbackOn = Exception.class)
    public List<OrganizationRow> list(Caller caller, Page page) throws SQLException {
        caller.requireSuperAdmin();
        try (Connection c = dataSource.getConnection()) {
            return organizations.page(c, page);
        }
    }

    /**
     * One organization: super-admins read every one, admins their own. Anyone else gets 403 whether or not the
     * organization exists.
     */
    @Transactional(rollbackOn = Exception.class)
    public OrganizationRow get(Caller caller, String organizationId) throws SQLException {
        boolean ownAdmin =
                caller.role() == Role.ADMIN && caller.organizationId().equals(organizationId);
        if (!ownAdmin) {
            caller.requireSuperAdmin();
        }
        try (Connection c = dataSource.getConnection()) {
            return organizations.find(c, organizationId).orElseThrow(() -> notFound(organizationId));
        }
    }

    /** The caller's own organization. */
    @Transactional(rollbackOn = Exception.class)
    public OrganizationRow own(Caller caller) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return organizations.find(c, caller.organizationId()).orElseThrow();
        }
    }

    /** Changes an organization under its lock, so that limit checks of concurrent submissions see old or new. */
    @Transactional(rollbackOn = Exception.class)
    public OrganizationRow update(Caller caller, String organizationId, Changes changes) throws SQLException {
        caller.requireSuperAdmin();
        try (Connection c = dataSource.getConnection()) {
            OrganizationRow current = organizations.lock(c, organizationId).orElseThrow(() -> notFound(organizationId));
            List<String> domains = current.domains();
            if (changes.domains().present()) {
                domains = TenancyRules.domains("domains", changes.domains().value());
                requireDomainsFree(c, organizationId, domains);
                requireDomainsUnused(c, organizationId, current.domains(), domains);
            }
            Integer maxWsisPerRun = changes.maxWsisPerRun().applyTo(current.maxWsisPerRun());
            requireWithinPlatformCap(maxWsisPerRun);
            OrganizationRow updated = new OrganizationRow(
                    organizationId,
                    changes.name().applyTo(current.name()),
                    changes.displayName().applyTo(current.displayName()),
                    changes.requireMfa().applyTo(current.requireMfa()),
                    changes.bucketName().applyTo(current.bucketName()),
                    changes.bucketProtocol().applyTo(current.bucketProtocol()),
                    changes.bucketHmacAccessKeyId().applyTo(current.bucketHmacAccessKeyId()),
                    changes.bucketHmacSecretAccessKey().applyTo(current.bucketHmacSecretAccessKey()),
                    changes.maxUsers().applyTo(current.maxUsers()),
                    changes.monthlyWsiLimit().applyTo(current.monthlyWsiLimit()),
                    maxWsisPerRun,
                    changes.maxParallelRuns().applyTo(current.maxParallelRuns()),
                    domains,
                    current.createdAt(),
                    clock.instant());
            try {
                organizations.update(c, updated);
            } catch (SQLException e) {
                throw domainTakenMeanwhile(e, domains);
            }
            return updated;
        }
    }

    static ApiException notFound(String organizationId) {
        return new ApiException(404, "TENANCY.ORGANIZATION_NOT_FOUND", "there is no organization " + organizationId);
    }

    private void requireWithinPlatformCap(Integer maxWsisPerRun) {
        if (maxWsisPerRun != null && maxWsisPerRun > platformMaxItemsPerRun) {
            throw ValidationFailedException.of(FieldError.body(
                    List.of("max_wsis_per_run"),
                    "less_than_equal",
                    "must be at most the platform's " + platformMaxItemsPerRun + " WSIs per run, got "
                            + maxWsisPerRun));
        }
    }

    /** A domain belongs to one organization: 409 naming the organization that has it. */
    private void requireDomainsFree(Connection c, String organizationId, List<String> domains) throws SQLException {
        for (String domain : domains) {
            Optional<String> owner = organizations.ownerOfDomain(c, domain);
            if (owner.isPresent() && !owner.get().equals(organizationId)) {
                throw new ApiException(
                        409,
                        "TENANCY.DOMAIN_TAKEN",
                        "domains: " + domain + " is a domain of organization " + owner.get()
                                + "; a domain belongs to one organization");
            }
        }
    }

    /** Every active user's email stays on one of the organization's domains. */
    private void requireDomainsUnused(Connection c, String organizationId, List<String> before, List<String> after)
            throws SQLException {
        List<String> dropped = new ArrayList<>(before);
        dropped.removeAll(after);
        for (String domain : dropped) {
            int count = users.countActiveOnDomain(c, organizationId, domain);
            if (count > 0) {
                throw new ApiException(
                        409,
                        "TENANCY.DOMAIN_IN_USE",
                        "domains: " + domain + " is the email domain of " + count + " active user(s) of organization "
                                + organizationId + "; remove or move them first");
            }
        }
    }

    /** Two registrations claimed the same domain at once: the database's key lets one through. */
    private static RuntimeException domainTakenMeanwhile(SQLException e, List<String> domains) {
        for (SQLException cause = e; cause != null; cause = cause.getNextException()) {
            if ("23505".equals(cause.getSQLState())) {
                return new ApiException(
                        409,
                        "TENANCY.DOMAIN_TAKEN",
                        "domains: one of " + String.join(", ", domains)
                                + " was registered by another organization meanwhile");
            }
        }
        return new IllegalStateException("cannot store organization", e);
    }
}
