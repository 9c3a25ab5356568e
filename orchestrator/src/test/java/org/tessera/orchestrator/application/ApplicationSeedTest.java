package org.tessera.orchestrator.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tessera.orchestrator.application.TestCatalogue.PAID_APP;
import static org.tessera.orchestrator.support.Organizations.asOperator;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.application.domain.VersionRef;
import org.tessera.orchestrator.common.persistence.Transactions;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Organizations;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** {@code tessera.seed.organizations.<org>.applications}: assigns what never existed, and is checked at start. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class ApplicationSeedTest {

    @Inject
    ApplicationSeed seed;

    @Inject
    DataSource dataSource;

    @Test
    void theSeedAssignsOnlyWhatWasNeverAssigned() {
        String org = Organizations.fresh("seeded");
        List<String> configured = List.of(PAID_APP + ":1.0.0", "test-app:1.0.0");

        assertThat(seedOnce(org, configured)).isEqualTo(1);
        assertThat(versions(org)).contains(PAID_APP + " 1.0.0 by null");
        assertThat(seedOnce(org, configured)).as("the next start").isZero();

        Organizations.unassign(org, PAID_APP, "1.0.0");
        assertThat(seedOnce(org, configured))
                .as("a start after a super-admin unassigned it")
                .isZero();
        assertThat(versions(org)).noneMatch(v -> v.startsWith(PAID_APP));

        Organizations.assign(org, PAID_APP, "1.0.0");
        assertThat(versions(org)).contains(PAID_APP + " 1.0.0 by " + Organizations.OPERATOR);
    }

    @Test
    void configuredVersionsMustBeInTheCatalogueAndTheOrganizationMustExist() {
        String property = "tessera.seed.organizations.lab.applications";
        assertThat(seed.versions(property, List.of(" he-tme:1.0.0 ", "test-app:1.1.0")))
                .as("free applications need no assignment")
                .containsExactly(new VersionRef("he-tme", "1.0.0"));
        assertThatThrownBy(() -> seed.versions(property, List.of("he-tme:9.9.9")))
                .hasMessageContaining(property)
                .hasMessageContaining("9.9.9");
        assertThatThrownBy(() -> seed.versions(property, List.of("no-such-app:1.0.0")))
                .hasMessageContaining(property)
                .hasMessageContaining("no-such-app");
        assertThatThrownBy(() -> seed.versions(property, List.of("he-tme")))
                .hasMessageContaining(property)
                .hasMessageContaining("<application-id>:<version>");
        assertThatThrownBy(() -> seedOnce("no-such-org", List.of("he-tme:1.0.0")))
                .hasMessageContaining("tessera.seed.organizations.no-such-org.applications");
    }

    private int seedOnce(String organizationId, List<String> entries) {
        return Transactions.inNew(dataSource, c -> seed.assign(c, organizationId, entries));
    }

    private static List<String> versions(String organizationId) {
        return asOperator()
                .get("/api/admin/v1/organizations/{org}/applications", organizationId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList(
                        "collect { it.application_id + ' ' + it.version_number + ' by ' + it.assigned_by }",
                        String.class);
    }
}
