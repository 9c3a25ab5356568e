package org.tessera.orchestrator.tenancy.persistence;

import static org.tessera.orchestrator.common.persistence.Jdbc.instant;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tessera.orchestrator.common.api.Page;
import org.tessera.orchestrator.common.persistence.Jdbc;
import org.tessera.orchestrator.common.persistence.Table;

/**
 * SQL for {@code organization} and its {@code organization_domain}s. Every method works in the caller's connection
 * (transaction).
 */
@ApplicationScoped
public class OrganizationRepository {

    private static final String COLUMNS = "organization_id, name, display_name, require_mfa, bucket_name,"
            + " bucket_protocol, bucket_hmac_access_key_id, bucket_hmac_secret_access_key, max_users,"
            + " monthly_wsi_limit, max_wsis_per_run, max_parallel_runs, created_at, updated_at,"
            + " ARRAY(SELECT d.domain FROM organization_domain d WHERE d.organization_id = organization.organization_id"
            + " ORDER BY d.domain) AS domains";

    private static final Table<OrganizationRow> ORGANIZATION =
            new Table<>("organization", COLUMNS, OrganizationRepository::read);

    public Optional<OrganizationRow> find(Connection c, String organizationId) throws SQLException {
        return ORGANIZATION.first(c, "organization_id = ?", organizationId);
    }

    /**
     * Reads the organization and locks its row until the transaction ends: every check-then-write on an
     * organization's limits (quotas, users) serialises here.
     */
    public Optional<OrganizationRow> lock(Connection c, String organizationId) throws SQLException {
        return ORGANIZATION.first(c, "organization_id = ? FOR UPDATE", organizationId);
    }

    public List<OrganizationRow> all(Connection c) throws SQLException {
        return ORGANIZATION.select(c, "true ORDER BY organization_id");
    }

    /** One page of all organizations, by id. */
    public List<OrganizationRow> page(Connection c, Page page) throws SQLException {
        return ORGANIZATION.select(c, "true ORDER BY organization_id LIMIT ? OFFSET ?", page.size(), page.offset());
    }

    /** Inserts the organization with its domains; false when the id is taken. */
    public boolean insert(Connection c, OrganizationRow o) throws SQLException {
        int inserted = Jdbc.update(
                c,
                "INSERT INTO organization (organization_id, name, display_name, require_mfa, bucket_name,"
                        + " bucket_protocol, bucket_hmac_access_key_id, bucket_hmac_secret_access_key, max_users,"
                        + " monthly_wsi_limit, max_wsis_per_run, max_parallel_runs, created_at, updated_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                o.organizationId(),
                o.name(),
                o.displayName(),
                o.requireMfa(),
                o.bucketName(),
                o.bucketProtocol(),
                o.bucketHmacAccessKeyId(),
                o.bucketHmacSecretAccessKey(),
                o.maxUsers(),
                o.monthlyWsiLimit(),
                o.maxWsisPerRun(),
                o.maxParallelRuns(),
                o.createdAt(),
                o.updatedAt());
        if (inserted == 1) {
            replaceDomains(c, o.organizationId(), o.domains());
        }
        return inserted == 1;
    }

    /** Writes every field but the id and creation time, and the domains. */
    public void update(Connection c, OrganizationRow o) throws SQLException {
        Jdbc.update(
                c,
                "UPDATE organization SET name = ?, display_name = ?, require_mfa = ?, bucket_name = ?,"
                        + " bucket_protocol = ?, bucket_hmac_access_key_id = ?, bucket_hmac_secret_access_key = ?,"
                        + " max_users = ?, monthly_wsi_limit = ?, max_wsis_per_run = ?, max_parallel_runs = ?,"
                        + " updated_at = ? WHERE organization_id = ?",
                o.name(),
                o.displayName(),
                o.requireMfa(),
                o.bucketName(),
                o.bucketProtocol(),
                o.bucketHmacAccessKeyId(),
                o.bucketHmacSecretAccessKey(),
                o.maxUsers(),
                o.monthlyWsiLimit(),
                o.maxWsisPerRun(),
                o.maxParallelRuns(),
                o.updatedAt(),
                o.organizationId());
        replaceDomains(c, o.organizationId(), o.domains());
    }

    /** The organization's override of the error threshold; empty when the organization does not exist. */
    public Optional<ErrorThresholdOverride> errorThresholdOverride(Connection c, String organizationId)
            throws SQLException {
        return Jdbc.first(
                c,
                "SELECT min_failed_items, max_failed_percent FROM organization WHERE organization_id = ?",
                rs -> new ErrorThresholdOverride(
                        rs.getObject("min_failed_items", Integer.class),
                        rs.getObject("max_failed_percent", Integer.class)),
                organizationId);
    }

    /** Replaces the organization's override of the error threshold; false when the organization does not exist. */
    public boolean setErrorThresholdOverride(
            Connection c, String organizationId, ErrorThresholdOverride override, Instant now) throws SQLException {
        return Jdbc.update(
                        c,
                        "UPDATE organization SET min_failed_items = ?, max_failed_percent = ?, updated_at = ?"
                                + " WHERE organization_id = ?",
                        override.minFailedItems(),
                        override.maxFailedPercent(),
                        now,
                        organizationId)
                == 1;
    }

    /** The organization that registered this domain, if any. */
    public Optional<String> ownerOfDomain(Connection c, String domain) throws SQLException {
        return Jdbc.first(
                c, "SELECT organization_id FROM organization_domain WHERE domain = ?", rs -> rs.getString(1), domain);
    }

    private static void replaceDomains(Connection c, String organizationId, List<String> domains) throws SQLException {
        Jdbc.update(c, "DELETE FROM organization_domain WHERE organization_id = ?", organizationId);
        Jdbc.batch(c, "INSERT INTO organization_domain (domain, organization_id) VALUES (?, ?)", domains, d ->
                new Object[] {d, organizationId});
    }

    private static OrganizationRow read(ResultSet rs) throws SQLException {
        Array domains = rs.getArray("domains");
        return new OrganizationRow(
                rs.getString("organization_id"),
                rs.getString("name"),
                rs.getString("display_name"),
                rs.getBoolean("require_mfa"),
                rs.getString("bucket_name"),
                rs.getString("bucket_protocol"),
                rs.getString("bucket_hmac_access_key_id"),
                rs.getString("bucket_hmac_secret_access_key"),
                rs.getObject("max_users", Integer.class),
                rs.getObject("monthly_wsi_limit", Integer.class),
                rs.getObject("max_wsis_per_run", Integer.class),
                rs.getObject("max_parallel_runs", Integer.class),
                Arrays.asList((String[]) domains.getArray()),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
