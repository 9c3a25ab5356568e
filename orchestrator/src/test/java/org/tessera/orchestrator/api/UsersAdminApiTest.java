package org.tessera.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.support.AdminApi.addUser;
import static org.tessera.orchestrator.support.AdminApi.as;
import static org.tessera.orchestrator.support.AdminApi.asOperator;
import static org.tessera.orchestrator.support.AdminApi.domainOf;
import static org.tessera.orchestrator.support.AdminApi.freshOrganizationId;
import static org.tessera.orchestrator.support.AdminApi.registerOrganization;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** {@code /api/admin/v1/organizations/{org}/users}: who may add, change and remove users, and the limits on it. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class UsersAdminApiTest {

    private static String users(String organizationId) {
        return "/api/admin/v1/organizations/" + organizationId + "/users";
    }

    private static Map<String, Object> newUser(String organizationId, String local) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", local + "@" + domainOf(organizationId));
        body.put("name", "User " + local);
        return body;
    }

    @Test
    void anAdminAddsReadsChangesAndRemovesUsers() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of());
        Map<String, Object> body = newUser(org, "Alice");
        body.put("role", "member");
        body.put("given_name", "Alice");
        body.put("monthly_wsi_limit", 50);
        String alice = as(admin, org)
                .body(body)
                .post(users(org))
                .then()
                .statusCode(201)
                .header("Location", containsString(users(org) + "/"))
                .body("email", equalTo("alice@" + domainOf(org)))
                .body("role", equalTo("MEMBER"))
                .body("subject", nullValue())
                .body("monthly_wsi_limit", equalTo(50))
                .body("max_parallel_runs", nullValue())
                .extract()
                .path("user_id");

        as(admin, org).get(users(org)).then().statusCode(200).body("user_id", contains(admin, alice));
        as(admin, org).get(users(org) + "/" + alice).then().statusCode(200).body("given_name", equalTo("Alice"));

        as(admin, org)
                .body(Map.of("role", "ADMIN", "max_parallel_runs", 2, "family_name", "Liddell"))
                .patch(users(org) + "/" + alice)
                .then()
                .statusCode(200)
                .body("role", equalTo("ADMIN"))
                .body("max_parallel_runs", equalTo(2))
                .body("monthly_wsi_limit", equalTo(50))
                .body("family_name", equalTo("Liddell"));
        Map<String, Object> unlimited = new HashMap<>();
        unlimited.put("monthly_wsi_limit", null);
        as(admin, org)
                .body(unlimited)
                .patch(users(org) + "/" + alice)
                .then()
                .statusCode(200)
                .body("monthly_wsi_limit", nullValue())
                .body("max_parallel_runs", equalTo(2));

        as(admin, org).delete(users(org) + "/" + alice).then().statusCode(204);
        as(admin, org)
                .get(users(org) + "/" + alice)
                .then()
                .statusCode(404)
                .body("code", equalTo("TENANCY.USER_NOT_FOUND"));
        as(admin, org).delete(users(org) + "/" + alice).then().statusCode(404);
        as(admin, org).get(users(org)).then().body("user_id", contains(admin));
    }

    @Test
    void theLocationOfANewUserIsItsRecord() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of());
        Map<String, Object> body = newUser(org, "bob");
        body.put("user_id", org + "-bob");
        as(admin, org)
                .body(body)
                .post(users(org))
                .then()
                .statusCode(201)
                .header("Location", endsWith(users(org) + "/" + org + "-bob"))
                .body("user_id", equalTo(org + "-bob"));
        as(admin, org).body(body).post(users(org)).then().statusCode(409).body("code", equalTo("TENANCY.USER_EXISTS"));
    }

    @Test
    void emailsMustBeOnTheOrganizationsDomainsOnceAndNeverPersonalMail() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of());
        Map<String, Object> personal = newUser(org, "carol");
        personal.put("email", "carol@gmail.com");
        as(admin, org)
                .body(personal)
                .post(users(org))
                .then()
                .statusCode(422)
                .body("code", equalTo("TENANCY.PERSONAL_MAIL_DOMAIN"))
                .body("detail", containsString("email"))
                .body("detail", containsString("gmail.com"));
        Map<String, Object> foreign = newUser(org, "carol");
        foreign.put("email", "carol@demo.tessera.local");
        as(admin, org)
                .body(foreign)
                .post(users(org))
                .then()
                .statusCode(422)
                .body("code", equalTo("TENANCY.EMAIL_DOMAIN_NOT_REGISTERED"));
        Map<String, Object> malformed = newUser(org, "carol");
        malformed.put("email", "carol");
        as(admin, org)
                .body(malformed)
                .post(users(org))
                .then()
                .statusCode(422)
                .body("code", equalTo("TENANCY.EMAIL_INVALID"));

        as(admin, org).body(newUser(org, "carol")).post(users(org)).then().statusCode(201);
        Map<String, Object> sameEmail = newUser(org, "CAROL");
        as(admin, org)
                .body(sameEmail)
                .post(users(org))
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.EMAIL_TAKEN"))
                .body("detail", containsString("carol@" + domainOf(org)));
    }

    @Test
    void malformedUserBodiesNameTheField() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of());
        Map<String, Object> body = newUser(org, "dave");
        body.put("role", "OWNER");
        body.put("max_parallel_runs", 0);
        body.put("monthly_wsi_limit", -1);
        body.put("nickname", "d");
        as(admin, org)
                .body(body)
                .post(users(org))
                .then()
                .statusCode(422)
                .body("detail.loc", hasItem(List.of("body", "role")))
                .body("detail.loc", hasItem(List.of("body", "max_parallel_runs")))
                .body("detail.loc", hasItem(List.of("body", "monthly_wsi_limit")))
                .body("detail.loc", hasItem(List.of("body", "nickname")))
                .body("detail.msg", hasItem(containsString("ADMIN")));
        Map<String, Object> roleless = new HashMap<>();
        roleless.put("role", null);
        as(admin, org)
                .body(roleless)
                .patch(users(org) + "/" + admin)
                .then()
                .statusCode(422)
                .body("detail[0].loc", contains("body", "role"))
                .body("detail[0].type", equalTo("missing"));
    }

    @Test
    void theUserLimitAnswers402WithTheQuotaAndFreesAPlaceWhenAUserIsRemoved() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of("max_users", 2));
        String erin = as(admin, org)
                .body(newUser(org, "erin"))
                .post(users(org))
                .then()
                .statusCode(201)
                .extract()
                .path("user_id");
        as(admin, org)
                .body(newUser(org, "frank"))
                .post(users(org))
                .then()
                .statusCode(402)
                .body("code", equalTo("QUOTA.USERS"))
                .body("detail", containsString("2 of 2"))
                .body("quota.name", equalTo("users"))
                .body("quota.scope", equalTo("organization"))
                .body("quota.subject", equalTo(org))
                .body("quota.limit", equalTo(2))
                .body("quota.used", equalTo(2))
                .body("quota.requested", equalTo(1))
                .body("quota", hasKey("period"));
        asOperator().body(newUser(org, "frank")).post(users(org)).then().statusCode(402);

        as(admin, org).delete(users(org) + "/" + erin).then().statusCode(204);
        as(admin, org).body(newUser(org, "frank")).post(users(org)).then().statusCode(201);
        asOperator()
                .body(Map.of("max_users", 3))
                .patch("/api/admin/v1/organizations/" + org)
                .then()
                .statusCode(200);
        as(admin, org).body(newUser(org, "gina")).post(users(org)).then().statusCode(201);
    }

    @Test
    void concurrentAdditionsNeverPassTheUserLimit() throws Exception {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of("max_users", 3));
        List<Callable<Integer>> additions = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Map<String, Object> body = newUser(org, "racer" + i);
            additions.add(() ->
                    as(admin, org).body(body).post(users(org)).then().extract().statusCode());
        }
        assertThat(run(additions)).isEqualTo(Map.of(201, 2, 402, 6));
        assertThat(activeUsers(org)).isEqualTo(3);
    }

    @Test
    void theLastAdminCanBeNeitherRemovedNorDemoted() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of());
        as(admin, org)
                .delete(users(org) + "/" + admin)
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.LAST_ADMIN"))
                .body("detail", containsString(admin));
        as(admin, org)
                .body(Map.of("role", "MEMBER"))
                .patch(users(org) + "/" + admin)
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.LAST_ADMIN"));
        asOperator()
                .delete(users(org) + "/" + admin)
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.LAST_ADMIN"));

        String second = addUser(org, org + "-second", "ADMIN");
        as(admin, org)
                .body(Map.of("role", "MEMBER"))
                .patch(users(org) + "/" + admin)
                .then()
                .statusCode(200)
                .body("role", equalTo("MEMBER"));
        as(second, org)
                .delete(users(org) + "/" + second)
                .then()
                .statusCode(409)
                .body("code", equalTo("TENANCY.LAST_ADMIN"));
    }

    @Test
    void twoAdminsDemotingEachOtherAtOnceLeaveOneAdmin() throws Exception {
        String org = freshOrganizationId();
        String first = registerOrganization(org, Map.of());
        String second = addUser(org, org + "-second", "ADMIN");
        List<Callable<Integer>> demotions = List.of(
                () -> as(first, org)
                        .body(Map.of("role", "MEMBER"))
                        .patch(users(org) + "/" + second)
                        .then()
                        .extract()
                        .statusCode(),
                () -> as(second, org)
                        .body(Map.of("role", "MEMBER"))
                        .patch(users(org) + "/" + first)
                        .then()
                        .extract()
                        .statusCode());
        Map<Integer, Integer> outcome = run(demotions);
        // Either one demotion wins and the demoted admin's own request is refused as a member (403), or the second
        // is refused as the last admin (409); never both pass.
        assertThat(outcome.get(200)).isEqualTo(1);
        assertThat(activeAdmins(org)).isEqualTo(1);
    }

    @Test
    void superAdminsManageEveryOrganizationsUsersAndAloneGrantSuperAdmin() {
        String org = freshOrganizationId();
        String admin = registerOrganization(org, Map.of());
        String henry = asOperator()
                .body(newUser(org, "henry"))
                .post(users(org))
                .then()
                .statusCode(201)
                .extract()
                .path("user_id");
        asOperator().get(users(org)).then().statusCode(200).body("user_id", hasItem(henry));

        Map<String, Object> superAdmin = newUser(org, "ivy");
        superAdmin.put("role", "SUPER_ADMIN");
        asOperator()
                .body(superAdmin)
                .post(users(org))
                .then()
                .statusCode(422)
                .body("code", equalTo("TENANCY.ROLE_NOT_ALLOWED"));
        as(admin, org)
                .body(superAdmin)
                .post(users(org))
                .then()
                .statusCode(403)
                .body("code", equalTo("AUTH.SUPER_ADMIN_REQUIRED"));
        as(admin, org)
                .body(Map.of("role", "SUPER_ADMIN"))
                .patch(users(org) + "/" + henry)
                .then()
                .statusCode(403);

        Map<String, Object> operator = new LinkedHashMap<>();
        operator.put("email", org + "@ops.tessera.local");
        operator.put("name", "Second operator");
        operator.put("role", "SUPER_ADMIN");
        String secondOperator = asOperator()
                .body(operator)
                .post(users("platform"))
                .then()
                .statusCode(201)
                .body("role", equalTo("SUPER_ADMIN"))
                .extract()
                .path("user_id");
        asOperator().delete(users("platform") + "/" + secondOperator).then().statusCode(204);
    }

    @Test
    void aRemovedUsersRunsStay() throws SQLException {
        String member = TestApi.freshUser();
        java.util.UUID run = TestApi.submit(member, TestApi.testRun(1));
        as("demo-admin", "demo").delete(users("demo") + "/" + member).then().statusCode(204);
        try (Connection c = dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT submitted_by FROM run WHERE run_id = ?")) {
            select.setObject(1, run);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(member);
            }
        }
        as("demo-admin", "demo").get(users("demo")).then().body("user_id", not(hasItem(member)));
    }

    private static Map<Integer, Integer> run(List<Callable<Integer>> requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(requests.size());
        Map<Integer, Integer> byStatus = new HashMap<>();
        try {
            for (Future<Integer> status : pool.invokeAll(requests)) {
                byStatus.merge(status.get(), 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        return byStatus;
    }

    private static DataSource dataSource() {
        return Arc.container().instance(DataSource.class).get();
    }

    private static int activeUsers(String organizationId) throws SQLException {
        return count("SELECT count(*) FROM app_user WHERE organization_id = ? AND removed_at IS NULL", organizationId);
    }

    private static int activeAdmins(String organizationId) throws SQLException {
        return count(
                "SELECT count(*) FROM app_user WHERE organization_id = ? AND role = 'ADMIN' AND removed_at IS NULL",
                organizationId);
    }

    private static int count(String sql, String organizationId) throws SQLException {
        try (Connection c = dataSource().getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            select.setString(1, organizationId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
