package org.tessera.orchestrator.application.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrganizationApplicationsTest {

    private static final Application FREE = application("free-app", true, "1.0.0", "1.1.0");
    private static final Application PAID = application("paid-app", false, "1.0.0", "1.2.0", "2.0.0", "10.0.0-rc.1");
    private static final List<Application> CATALOGUE = List.of(FREE, PAID);

    @Test
    void withoutAssignmentsAnOrganizationHasEveryVersionOfTheFreeApplicationsOnly() {
        OrganizationApplications lab = new OrganizationApplications("lab", CATALOGUE, List.of());

        assertThat(lab.applications()).extracting(Application::applicationId).containsExactly("free-app");
        assertThat(lab.applications().getFirst().versions())
                .extracting(ApplicationVersion::number)
                .containsExactly("1.0.0", "1.1.0");
        assertThat(lab.application("paid-app"))
                .isEqualTo(new OrganizationApplications.ApplicationNotAvailable("paid-app"));
        assertThat(lab.application("nope")).isEqualTo(new OrganizationApplications.UnknownApplication("nope"));
        assertThat(lab.version("paid-app", "1.0.0"))
                .isEqualTo(new OrganizationApplications.ApplicationNotAvailable("paid-app"));
        assertThat(lab.version("free-app", null))
                .isInstanceOfSatisfying(
                        OrganizationApplications.GrantedVersion.class,
                        granted -> assertThat(granted.version().number()).isEqualTo("1.1.0"));
    }

    @Test
    void anApplicationShowsOnlyItsAssignedVersionsAndTheLatestIsTheLatestAssigned() {
        OrganizationApplications lab = new OrganizationApplications(
                "lab",
                CATALOGUE,
                List.of(
                        new VersionRef("paid-app", "1.0.0"),
                        new VersionRef("paid-app", "1.2.0"),
                        new VersionRef("paid-app", "10.0.0-rc.1"),
                        new VersionRef("gone-app", "1.0.0"),
                        new VersionRef("paid-app", "9.9.9")));

        assertThat(lab.application("paid-app"))
                .isInstanceOfSatisfying(
                        OrganizationApplications.Granted.class,
                        granted -> assertThat(granted.application().versions())
                                .extracting(ApplicationVersion::number)
                                .containsExactly("1.0.0", "1.2.0", "10.0.0-rc.1"));
        assertThat(lab.version("paid-app", null))
                .isInstanceOfSatisfying(
                        OrganizationApplications.GrantedVersion.class,
                        granted -> assertThat(granted.version().number()).isEqualTo("10.0.0-rc.1"));
        assertThat(lab.version("paid-app", "2.0.0"))
                .isEqualTo(new OrganizationApplications.VersionNotAvailable("paid-app", "2.0.0"));
        assertThat(lab.version("paid-app", "9.9.9"))
                .isEqualTo(new OrganizationApplications.VersionNotAvailable("paid-app", "9.9.9"));
        assertThat(lab.applications()).extracting(Application::applicationId).containsExactly("free-app", "paid-app");
    }

    @Test
    void theLatestAssignedVersionFollowsSemanticVersionPrecedence() {
        OrganizationApplications lab = new OrganizationApplications(
                "lab",
                List.of(application("paid-app", false, "2.0.0-rc.1", "2.0.0", "1.9.0")),
                List.of(new VersionRef("paid-app", "2.0.0-rc.1"), new VersionRef("paid-app", "1.9.0")));

        assertThat(lab.version("paid-app", null))
                .isInstanceOfSatisfying(
                        OrganizationApplications.GrantedVersion.class,
                        granted -> assertThat(granted.version().number()).isEqualTo("2.0.0-rc.1"));
    }

    private static Application application(String id, boolean free, String... versions) {
        List<ApplicationVersion> list = java.util.Arrays.stream(versions)
                .map(v -> new ApplicationVersion(v, Instant.EPOCH, "", List.of(), List.of()))
                .toList();
        return new Application(id, id, id, List.of("RUO"), list, free);
    }
}
