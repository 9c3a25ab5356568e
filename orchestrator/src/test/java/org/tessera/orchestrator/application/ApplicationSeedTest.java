package org.tessera.orchestrator.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tessera.orchestrator.support.Organizations.asOperator;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.application.domain.VersionRef;
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

    @Test
    void aSeededVersionASuperAdminUnassignedStaysUnassignedAtTheNextStart() {
        Organizations.unassign("demo", "he-tme", "1.0.0");
        try {
            seed.onStart(null);
            assertThat(demoVersions()).doesNotContain("he-tme 1.0.0");
        } finally {
            Organizations.assign("demo", "he-tme", "1.0.0");
        }
        assertThat(demoVersions()).contains("he-tme 1.0.0");
    }

    @Test
    void configuredVersionsMustBeInTheCatalogue() {
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
    }

    private static List<String> demoVersions() {
        return asOperator()
                .get("/api/admin/v1/organizations/demo/applications")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("findAll { true }.collect { it.application_id + ' ' + it.version_number }", String.class);
    }
}
