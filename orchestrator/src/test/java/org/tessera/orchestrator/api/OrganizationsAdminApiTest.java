package org.tessera.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.support.AdminApi.as;
import static org.tessera.orchestrator.support.AdminApi.asOperator;
import static org.tessera.orchestrator.support.AdminApi.domainOf;
import static org.tessera.orchestrator.support.AdminApi.firstAdmin;
import static org.tessera.orchestrator.support.AdminApi.freshOrganizationId;
import static org.tessera.orchestrator.support.AdminApi.registerOrganization;
import static org.tessera.orchestrator.support.AdminApi.registration;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** {@code /api/admin/v1/organizations}: registration with the first admin, domain rules, reads and changes. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class OrganizationsAdminApiTest {

    private static final String ORGANIZATIONS = "/api/admin/v1/organizations";

    @Test
    void aSuperAdminRegistersAnOrganizationWithItsFirstAdminWhoMaySignInAtOnce() {
        String org = freshOrganizationId();
        Map<String, Object> body = registration(org);
        body.put("display_name", "Lab " + org);
        body.put("domains", List.of(domainOf(org), "Second-" + domainOf(org)));
        body.put("max_users", 5);
        body.put("monthly_wsi_limit", 1000);
        body.put("max_wsis_per_run", 100);
        body.put("max_parallel_runs", null);
        body.put("bucket_name", "lab-bucket");
        body.put("bucket_hmac_secret_access_key", "s3cr3t");
        asOperator()
                .body(body)
                .post(ORGANIZATIONS)
                .then()
                .statusCode(201)
                .header("Location", endsWith(ORGANIZATIONS + "/" + org))
                .body("organization.organization_id", equalTo(org))
                .body("organization.display_name", equalTo("Lab " + org))
                .body("organization.domains", contains(domainOf(org), "second-" + domainOf(org)))
                .body("organization.require_mfa", equalTo(true))
                .body("organization.max_users", equalTo(5))
                .body("organization.monthly_wsi_limit", equalTo(1000))
                .body("organization.max_wsis_per_run", equalTo(100))
                .body("organization.max_parallel_runs", nullValue())
                .body("organization.bucket_name", equalTo("lab-bucket"))
                .body("organization.bucket_hmac_secret_access_key_set", equalTo(true))
                .body("organization", not(hasKey("bucket_hmac_secret_access_key")))
                .body("first_admin.user_id", equalTo(org + "-admin"))
                .body("first_admin.role", equalTo("ADMIN"))
                .body("first_admin.email", equalTo("admin@" + domainOf(org)));

        as(org + "-admin", org)
                .get("/api/admin/v1/me")
                .then()
                .statusCode(200)
                .body("user.user_id", equalTo(org + "-admin"))
                .body("user.role", equalTo("ADMIN"))
                .body("organization.organization_id", equalTo(org));
        as(org + "-admin", org)
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("organization.aignostics_bucket_name", equalTo("lab-bucket"))
                .body("organization.aignostics_bucket_hmac_secret_access_key", equalTo("s3cr3t"));
        asOperator().get(ORGANIZATIONS + "/" + org).then().statusCode(200).body("max_users", equalTo(5));
    }

    @Test
    void domainsMustBeWellFormedOwnAndNotPersonalMail() {
        String org = freshOrganizationId();
        Map<String, Object> personal = registration(org);
        personal.put("domains", List.of(domainOf(org), "gmail.com"));
        asOperator()
                .body(personal)
                .post(ORGANIZATIONS)
                .then()
                .statusCode(422)
                .body("code", equalTo("TENANCY.PERSONAL_MAIL_DOMAIN"))
                .body("detail", containsString("domains"))
                .body("detail", containsString("gmail.com"));

        Map<String, Object> malformed = registration(org);
        malformed.put("domains", List.of("not a domain"));
        asOperator()
                .body(malformed)
                .post(ORGANIZATIONS)
                .then()
                .statusCode(422)
                .body("code", equalTo("TENANCY.DOMAIN_INVALID"))
                .body("detail", containsString("not a domain"));

        Map<String, Object> taken = registration(org);
        taken.put("domains", List.of(domainOf(org), "demo.tessera.local"));
        asOperator()
                .body(taken)
                .post(ORGANIZATIONS)
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.DOMAIN_TAKEN"))
                .body("detail", containsString("demo.tessera.local"))
                .body("detail", containsString("organization demo"));

        Map<String, Object> foreignAdmin = registration(org);
        firstAdmin(foreignAdmin).put("email", "boss@elsewhere.example.org");
        asOperator()
                .body(foreignAdmin)
                .post(ORGANIZATIONS)
                .then()
                .statusCode(422)
                .body("code", equalTo("TENANCY.EMAIL_DOMAIN_NOT_REGISTERED"))
                .body("detail", containsString("first_admin.email"));

        asOperator()
                .get(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(404)
                .body("code", equalTo("TENANCY.ORGANIZATION_NOT_FOUND"));
    }

    @Test
    void malformedBodiesNameEveryFieldAtFault() {
        Map<String, Object> body = registration("Not_An_Id!");
        body.remove("name");
        body.put("max_users", 0);
        body.put("max_wsis_per_run", "ten");
        body.put("max_user", 3);
        firstAdmin(body).remove("email");
        asOperator()
                .body(body)
                .post(ORGANIZATIONS)
                .then()
                .statusCode(422)
                .body(
                        "detail.loc",
                        hasItems(
                                List.of("body", "organization_id"),
                                List.of("body", "name"),
                                List.of("body", "max_users"),
                                List.of("body", "max_wsis_per_run"),
                                List.of("body", "max_user"),
                                List.of("body", "first_admin", "email")))
                .body(
                        "detail.type",
                        hasItems(
                                "string_pattern_mismatch",
                                "missing",
                                "greater_than_equal",
                                "int_type",
                                "extra_forbidden"));

        Map<String, Object> overPlatformCap = registration(freshOrganizationId());
        overPlatformCap.put("max_wsis_per_run", 501);
        asOperator()
                .body(overPlatformCap)
                .post(ORGANIZATIONS)
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "max_wsis_per_run"))
                .body("detail[0].msg", containsString("500"));

        asOperator()
                .body("[1, 2]")
                .post(ORGANIZATIONS)
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("model_attributes_type"));
        asOperator()
                .body("{")
                .post(ORGANIZATIONS)
                .then()
                .statusCode(422)
                .body("detail[0].type", equalTo("json_invalid"));
    }

    @Test
    void anOrganizationIdIsRegisteredOnce() {
        String org = freshOrganizationId();
        registerOrganization(org, Map.of());
        Map<String, Object> again = registration(org);
        again.put("domains", List.of("other-" + domainOf(org)));
        firstAdmin(again).put("email", "admin@other-" + domainOf(org));
        asOperator()
                .body(again)
                .post(ORGANIZATIONS)
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.ORGANIZATION_EXISTS"));
    }

    @Test
    void concurrentRegistrationsOfOneDomainLetExactlyOneThrough() throws Exception {
        String domain = domainOf(freshOrganizationId());
        List<Callable<Integer>> registrations = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String org = freshOrganizationId();
            Map<String, Object> body = registration(org);
            body.put("domains", List.of(domain));
            firstAdmin(body).put("email", "admin-" + i + "@" + domain);
            registrations.add(() ->
                    asOperator().body(body).post(ORGANIZATIONS).then().extract().statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(registrations.size());
        Map<Integer, Integer> byStatus = new HashMap<>();
        try {
            for (Future<Integer> status : pool.invokeAll(registrations)) {
                byStatus.merge(status.get(), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(byStatus).isEqualTo(Map.of(201, 1, 409, 5));
    }

    @Test
    void aPatchChangesOnlyWhatItNamesAndNullMeansUnlimited() {
        String org = freshOrganizationId();
        registerOrganization(org, Map.of("max_users", 3, "monthly_wsi_limit", 100, "max_parallel_runs", 2));
        asOperator()
                .body(Map.of("monthly_wsi_limit", 250, "require_mfa", false, "display_name", "Renamed"))
                .patch(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(200)
                .body("monthly_wsi_limit", equalTo(250))
                .body("require_mfa", equalTo(false))
                .body("display_name", equalTo("Renamed"))
                .body("max_users", equalTo(3))
                .body("max_parallel_runs", equalTo(2));
        Map<String, Object> unlimited = new HashMap<>();
        unlimited.put("max_parallel_runs", null);
        unlimited.put("domains", List.of(domainOf(org), "more-" + domainOf(org)));
        asOperator()
                .body(unlimited)
                .patch(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(200)
                .body("max_parallel_runs", nullValue())
                .body("monthly_wsi_limit", equalTo(250))
                .body("domains", hasItem("more-" + domainOf(org)));
        asOperator()
                .get(ORGANIZATIONS + "/" + org)
                .then()
                .body("max_parallel_runs", nullValue())
                .body("require_mfa", equalTo(false))
                .body("domains", hasSize(2));

        Map<String, Object> nameless = new HashMap<>();
        nameless.put("name", null);
        asOperator()
                .body(nameless)
                .patch(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "name"));
        asOperator()
                .body(Map.of("max_wsis_per_run", 501))
                .patch(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "max_wsis_per_run"));
        asOperator()
                .body(Map.of("max_users", 3))
                .patch(ORGANIZATIONS + "/nobody-" + org)
                .then()
                .statusCode(404)
                .body("code", equalTo("TENANCY.ORGANIZATION_NOT_FOUND"));
    }

    @Test
    void aPatchCannotTakeAnotherOrganizationsDomainNorDropOneInUse() {
        String org = freshOrganizationId();
        registerOrganization(org, Map.of());
        asOperator()
                .body(Map.of("domains", List.of(domainOf(org), "demo.tessera.local")))
                .patch(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.DOMAIN_TAKEN"))
                .body("detail", containsString("organization demo"));
        asOperator()
                .body(Map.of("domains", List.of("new-" + domainOf(org))))
                .patch(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.DOMAIN_IN_USE"))
                .body("detail", containsString(domainOf(org)));
        asOperator()
                .body(Map.of("domains", List.of("web.de")))
                .patch(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(422)
                .body("code", equalTo("TENANCY.PERSONAL_MAIL_DOMAIN"));
        asOperator().get(ORGANIZATIONS + "/" + org).then().body("domains", contains(domainOf(org)));
    }

    @Test
    void superAdminsListEveryOrganizationByIdInPages() {
        registerOrganization(freshOrganizationId(), Map.of());
        List<String> ids = asOperator()
                .queryParam("page_size", 100)
                .get(ORGANIZATIONS)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("organization_id", String.class);
        assertThat(ids).contains("demo", "platform").isSorted();
        asOperator()
                .queryParam("page_size", 5)
                .queryParam("page", 1)
                .get(ORGANIZATIONS)
                .then()
                .statusCode(200)
                .body("$", hasSize(Math.min(5, ids.size())));
        asOperator()
                .queryParam("page_size", 4)
                .get(ORGANIZATIONS)
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("query", "page_size"));
    }

    @Test
    void adminsReadTheirOwnOrganizationButNothingElseOfOrganizations() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of("max_users", 7));
        as(admin, org).get(ORGANIZATIONS + "/" + org).then().statusCode(200).body("max_users", equalTo(7));
        for (String other : List.of("demo", "no-such-organization")) {
            as(admin, org)
                    .get(ORGANIZATIONS + "/" + other)
                    .then()
                    .statusCode(403)
                    .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        }
        as(admin, org)
                .body(Map.of("max_users", 100))
                .patch(ORGANIZATIONS + "/" + org)
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        as(admin, org).get(ORGANIZATIONS).then().statusCode(403);
        as(admin, org)
                .body(registration(freshOrganizationId()))
                .post(ORGANIZATIONS)
                .then()
                .statusCode(403);
        asOperator().get(ORGANIZATIONS + "/" + org).then().body("max_users", equalTo(7));
    }
}
