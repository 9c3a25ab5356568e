package org.tessera.orchestrator.quota;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.support.Tenants.as;
import static org.tessera.orchestrator.support.Tenants.asOperator;
import static org.tessera.orchestrator.support.Tenants.submit;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.Tenants;
import org.tessera.orchestrator.support.Tenants.Tenant;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** Reading limits and usage, and setting limits, through the admin API: who may, and what bad input gets. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class QuotaAdminApiTest {

    private static Map<String, Object> organizationLimits(
            Integer monthly, Integer perRun, Integer parallel, Integer users) {
        Map<String, Object> limits = new HashMap<>();
        limits.put("monthly_wsi_limit", monthly);
        limits.put("max_wsis_per_run", perRun);
        limits.put("max_parallel_runs", parallel);
        limits.put("max_users", users);
        return limits;
    }

    @Test
    void superAdminsSetAnOrganizationsLimitsAndItsAdminsReadThem() {
        Tenant tenant = Tenants.create(null, null, null);

        asOperator()
                .body(organizationLimits(1000, 100, 3, 20))
                .put("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("organization_id", equalTo(tenant.organizationId()))
                .body("limits.monthly_wsi_limit", equalTo(1000))
                .body("limits.max_wsis_per_run", equalTo(100))
                .body("limits.max_parallel_runs", equalTo(3))
                .body("limits.max_users", equalTo(20));

        as(tenant.admin(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("limits.monthly_wsi_limit", equalTo(1000))
                .body("limits.max_users", equalTo(20));
        // Null lifts a limit.
        asOperator()
                .body(organizationLimits(null, null, null, null))
                .put("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("limits.monthly_wsi_limit", nullValue());
    }

    @Test
    void onlySuperAdminsSetOrganizationLimits() {
        Tenant tenant = Tenants.create(10, null, null);

        as(tenant.admin(), tenant.organizationId())
                .body(organizationLimits(1_000_000, null, null, null))
                .put("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        asOperator()
                .body(organizationLimits(10, null, null, null))
                .put("/api/admin/v1/organizations/{org}/limits", "no-such-organization")
                .then()
                .statusCode(404)
                .body("code", equalTo("RESOURCE.NOT_FOUND"))
                .body("detail", containsString("no-such-organization"));
    }

    @Test
    void badLimitsAreRefusedNamingEveryField() {
        Tenant tenant = Tenants.create(null, null, null);
        Map<String, Object> bad = new HashMap<>();
        bad.put("monthly_wsi_limit", -1);
        bad.put("max_wsis_per_run", 501);
        bad.put("max_parallel_runs", 0);
        bad.put("max_users", "ten");

        asOperator()
                .body(bad)
                .put("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(422)
                .body("detail", hasSize(4))
                .body(
                        "detail.loc",
                        containsInAnyOrder(
                                List.of("body", "monthly_wsi_limit"),
                                List.of("body", "max_wsis_per_run"),
                                List.of("body", "max_parallel_runs"),
                                List.of("body", "max_users")))
                .body("detail.msg", hasItem(containsString("max_wsis_per_run: must be at most 500")))
                .body("detail.type", hasItems("greater_than_equal", "less_than_equal", "int_type"));

        asOperator()
                .body(Map.of("monthly_wsi_limit", 5, "max_wsi", 3))
                .put("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(List.of("body", "max_wsis_per_run")))
                .body("detail.type", hasItems("missing", "extra_forbidden"))
                .body("detail.msg", hasItem(containsString("max_wsi: is not a limit")));

        asOperator()
                .body("[1, 2]")
                .put("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body")));

        // Nothing was changed by the refused requests.
        as(tenant.admin(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/limits", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("limits.monthly_wsi_limit", nullValue());
    }

    @Test
    void adminsSetTheirUsersLimitsAndNobodyElse() {
        Tenant tenant = Tenants.create(null, null, null);
        Tenant other = Tenants.create(null, null, null);
        Map<String, Object> limits = new HashMap<>();
        limits.put("monthly_wsi_limit", 50);
        limits.put("max_parallel_runs", 2);

        as(tenant.admin(), tenant.organizationId())
                .body(limits)
                .put("/api/admin/v1/organizations/{org}/users/{user}/limits", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(200)
                .body("user_id", equalTo(tenant.member()))
                .body("limits.monthly_wsi_limit", equalTo(50))
                .body("limits.max_parallel_runs", equalTo(2));
        as(tenant.member(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/users/{user}/limits", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(200)
                .body("limits.monthly_wsi_limit", equalTo(50));

        as(tenant.member(), tenant.organizationId())
                .body(limits)
                .put("/api/admin/v1/organizations/{org}/users/{user}/limits", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        as(other.admin(), other.organizationId())
                .body(limits)
                .put("/api/admin/v1/organizations/{org}/users/{user}/limits", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(403);
        as(tenant.admin(), tenant.organizationId())
                .body(limits)
                .put("/api/admin/v1/organizations/{org}/users/{user}/limits", tenant.organizationId(), other.member())
                .then()
                .statusCode(404)
                .body("detail", containsString(other.member()));
        limits.put("max_parallel_runs", 0);
        as(tenant.admin(), tenant.organizationId())
                .body(limits)
                .put("/api/admin/v1/organizations/{org}/users/{user}/limits", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "max_parallel_runs")));
    }

    @Test
    void adminsReadTheirOrganizationsUsagePerUserForAMonth() {
        Tenant tenant = Tenants.create(100, null, null);
        String colleague = tenant.newMember();
        submit(tenant.member(), tenant.organizationId(), TestApi.testRun(3));
        submit(colleague, tenant.organizationId(), TestApi.testRun(2));
        String month = YearMonth.now(ZoneOffset.UTC).toString();

        as(tenant.admin(), tenant.organizationId())
                .queryParam("month", month)
                .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("organization_id", equalTo(tenant.organizationId()))
                .body("month", equalTo(month))
                .body("limits.monthly_wsi_limit", equalTo(100))
                .body("usage.wsis", equalTo(5))
                .body("usage.remaining_wsis", equalTo(95))
                .body("usage.users", equalTo(3))
                .body("users", hasSize(3))
                .body("users.find { it.user_id == '" + tenant.member() + "' }.usage.wsis", equalTo(3))
                .body("users.find { it.user_id == '" + colleague + "' }.usage.wsis", equalTo(2))
                .body("users.find { it.user_id == '" + tenant.admin() + "' }.usage.wsis", equalTo(0))
                .body("users.find { it.user_id == '" + tenant.admin() + "' }.role", equalTo("ADMIN"));

        // Another month has its own count.
        as(tenant.admin(), tenant.organizationId())
                .queryParam("month", "2001-01")
                .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("usage.wsis", equalTo(0));
        asOperator()
                .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                .then()
                .statusCode(200)
                .body("usage.wsis", equalTo(5));
    }

    @Test
    void membersReadOnlyTheirOwnUsage() {
        Tenant tenant = Tenants.create(100, null, null);
        Tenant other = Tenants.create(null, null, null);
        String colleague = tenant.newMember();
        submit(tenant.member(), tenant.organizationId(), TestApi.testRun(4));

        as(tenant.member(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/users/{user}/usage", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(200)
                .body("user_id", equalTo(tenant.member()))
                .body("usage.wsis", equalTo(4))
                .body("usage.remaining_wsis", equalTo(96));
        as(tenant.member(), tenant.organizationId())
                .get("/api/admin/v1/me/usage")
                .then()
                .statusCode(200)
                .body("organization_id", equalTo(tenant.organizationId()))
                .body("usage.wsis", equalTo(4));
        as(tenant.admin(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/users/{user}/usage", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(200)
                .body("usage.wsis", equalTo(4));

        as(colleague, tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/users/{user}/usage", tenant.organizationId(), tenant.member())
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        as(tenant.member(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.ADMIN_REQUIRED"));
        as(other.admin(), other.organizationId())
                .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                .then()
                .statusCode(403);
        as(tenant.admin(), tenant.organizationId())
                .get("/api/admin/v1/organizations/{org}/users/{user}/usage", tenant.organizationId(), other.member())
                .then()
                .statusCode(404);
    }

    @Test
    void aMonthThatIsNotYyyyMmIsRefusedNamingTheParameter() {
        Tenant tenant = Tenants.create(null, null, null);

        for (String month : List.of("2026-13", "12-2026", "2026-1", "last")) {
            as(tenant.admin(), tenant.organizationId())
                    .queryParam("month", month)
                    .get("/api/admin/v1/organizations/{org}/usage", tenant.organizationId())
                    .then()
                    .statusCode(422)
                    .body("detail[0].loc", equalTo(List.of("query", "month")))
                    .body("detail[0].msg", containsString("YYYY-MM"));
        }
    }
}
