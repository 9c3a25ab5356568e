package org.tessera.orchestrator.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.tessera.orchestrator.application.domain.Application;
import org.tessera.orchestrator.application.domain.OrganizationApplications;
import org.tessera.orchestrator.application.domain.OrganizationApplications.ApplicationNotAvailable;
import org.tessera.orchestrator.application.domain.OrganizationApplications.Granted;
import org.tessera.orchestrator.application.domain.OrganizationApplications.GrantedVersion;
import org.tessera.orchestrator.application.domain.OrganizationApplications.UnknownApplication;
import org.tessera.orchestrator.application.domain.OrganizationApplications.VersionAccess;
import org.tessera.orchestrator.application.domain.OrganizationApplications.VersionNotAvailable;
import org.tessera.orchestrator.application.persistence.AssignmentRepository;
import org.tessera.orchestrator.application.persistence.AssignmentRow;
import org.tessera.orchestrator.common.api.ApiException;
import org.tessera.orchestrator.common.persistence.Transactions;

/**
 * Which applications and versions an organization has: the catalogue cut down by {@link OrganizationApplications}
 * to the free applications and the versions assigned in {@code organization_application_version}. The applications
 * API, run submission and admission all ask here.
 */
@ApplicationScoped
public class ApplicationAccess {

    /** No application has the id (404). */
    public static final String APPLICATION_NOT_FOUND = "APPLICATION.NOT_FOUND";

    /** The application exists but the organization has none of its versions (403; a run request: REJECTED). */
    public static final String APPLICATION_NOT_AVAILABLE = "APPLICATION.NOT_AVAILABLE";

    /** The version does not exist, or the organization does not have it (404). */
    public static final String VERSION_NOT_FOUND = "APPLICATION.VERSION_NOT_FOUND";

    @Inject
    ApplicationCatalogue catalogue;

    @Inject
    AssignmentRepository assignments;

    @Inject
    DataSource dataSource;

    /** What the organization has, read in the caller's transaction. */
    public OrganizationApplications of(Connection c, String organizationId) throws SQLException {
        return new OrganizationApplications(
                organizationId,
                catalogue.applications(),
                assignments.activeOf(c, organizationId).stream()
                        .map(AssignmentRow::version)
                        .toList());
    }

    /** What the organization has, read in a transaction of its own. */
    public OrganizationApplications of(String organizationId) {
        return Transactions.inNew(dataSource, c -> of(c, organizationId));
    }

    /** The application as the organization sees it (only its versions): 404 when unknown, 403 when not available. */
    public Application application(String organizationId, String applicationId) {
        return switch (of(organizationId).application(applicationId)) {
            case Granted granted -> granted.application();
            case UnknownApplication unknown -> throw unknownApplication(unknown.applicationId());
            case ApplicationNotAvailable notAvailable ->
                throw notAvailable(notAvailable.applicationId(), organizationId);
        };
    }

    /**
     * A version the organization has: 404 when the application or the version is unknown or the version is not
     * assigned, 403 when the organization has no version of the application at all.
     */
    public GrantedVersion version(String organizationId, String applicationId, String versionNumber) {
        return granted(organizationId, of(organizationId).version(applicationId, versionNumber));
    }

    /** The API's refusal for anything but a granted version. */
    public static GrantedVersion granted(String organizationId, VersionAccess access) {
        return switch (access) {
            case GrantedVersion granted -> granted;
            case UnknownApplication unknown -> throw unknownApplication(unknown.applicationId());
            case ApplicationNotAvailable notAvailable ->
                throw notAvailable(notAvailable.applicationId(), organizationId);
            case VersionNotAvailable version -> throw versionNotFound(version.applicationId(), version.versionNumber());
        };
    }

    public static String unknownApplicationMessage(String applicationId) {
        return "application '" + applicationId + "' not found";
    }

    public static String notAvailableMessage(String applicationId, String organizationId) {
        return "application '" + applicationId + "' is not available to organization '" + organizationId
                + "'; platform operators assign applications to organizations";
    }

    public static String versionNotFoundMessage(String applicationId, String versionNumber) {
        return "application '" + applicationId + "' has no version '" + versionNumber + "' available to you";
    }

    private static ApiException unknownApplication(String applicationId) {
        return new ApiException(404, APPLICATION_NOT_FOUND, unknownApplicationMessage(applicationId));
    }

    private static ApiException notAvailable(String applicationId, String organizationId) {
        return ApiException.forbidden(APPLICATION_NOT_AVAILABLE, notAvailableMessage(applicationId, organizationId));
    }

    private static ApiException versionNotFound(String applicationId, String versionNumber) {
        return new ApiException(404, VERSION_NOT_FOUND, versionNotFoundMessage(applicationId, versionNumber));
    }
}
