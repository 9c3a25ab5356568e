package org.tessera.orchestrator.application.domain;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one organization may see and run (docs/organizations.md, Applications): every version of a free application,
 * and the versions a super-admin assigned to it; "the latest version" is the latest of those. The one place where
 * the catalogue is cut down to an organization, for the applications API, submissions and admission alike.
 */
public final class OrganizationApplications {

    /** What asking for an application gives. */
    public sealed interface ApplicationAccess {}

    /** What asking for a version (or, with no number, the latest version) gives. */
    public sealed interface VersionAccess {}

    /** The application with only the versions the organization has (at least one). */
    public record Granted(Application application) implements ApplicationAccess {}

    public record GrantedVersion(Application application, ApplicationVersion version) implements VersionAccess {}

    /** No application has this id. */
    public record UnknownApplication(String applicationId) implements ApplicationAccess, VersionAccess {}

    /** The application exists, but the organization has none of its versions. */
    public record ApplicationNotAvailable(String applicationId) implements ApplicationAccess, VersionAccess {}

    /** The organization has the application, but not this version, or the application has no such version. */
    public record VersionNotAvailable(String applicationId, String versionNumber) implements VersionAccess {}

    private final String organizationId;
    private final Map<String, Application> catalogue;
    private final Set<VersionRef> assigned;

    /**
     * @param organizationId the organization, named in refusals
     * @param catalogue every application the platform offers
     * @param assigned the versions assigned to the organization; ones that are not in the catalogue are ignored
     */
    public OrganizationApplications(
            String organizationId, Collection<Application> catalogue, Collection<VersionRef> assigned) {
        this.organizationId = organizationId;
        Map<String, Application> byId = new LinkedHashMap<>();
        catalogue.forEach(application -> byId.put(application.applicationId(), application));
        this.catalogue = byId;
        this.assigned = Set.copyOf(assigned);
    }

    public String organizationId() {
        return organizationId;
    }

    /** Whether the organization may run this version. */
    public boolean has(Application application, ApplicationVersion version) {
        return application.free() || assigned.contains(new VersionRef(application.applicationId(), version.number()));
    }

    /** The applications the organization has, each with only its versions; in catalogue order. */
    public List<Application> applications() {
        return catalogue.values().stream()
                .map(this::restricted)
                .flatMap(Optional::stream)
                .toList();
    }

    public ApplicationAccess application(String applicationId) {
        Application application = catalogue.get(applicationId);
        if (application == null) {
            return new UnknownApplication(applicationId);
        }
        return restricted(application)
                .<ApplicationAccess>map(Granted::new)
                .orElseGet(() -> new ApplicationNotAvailable(applicationId));
    }

    /** @param versionNumber null for the latest version the organization has */
    public VersionAccess version(String applicationId, String versionNumber) {
        return switch (application(applicationId)) {
            case UnknownApplication unknown -> unknown;
            case ApplicationNotAvailable notAvailable -> notAvailable;
            case Granted granted -> {
                Optional<ApplicationVersion> version = versionNumber == null
                        ? granted.application().latestVersion()
                        : granted.application().version(versionNumber);
                yield version.<VersionAccess>map(v -> new GrantedVersion(granted.application(), v))
                        .orElseGet(() -> new VersionNotAvailable(applicationId, versionNumber));
            }
        };
    }

    private Optional<Application> restricted(Application application) {
        Application mine = application.withVersions(version -> has(application, version));
        return mine.versions().isEmpty() ? Optional.empty() : Optional.of(mine);
    }
}
