package org.tessera.orchestrator.support;

import static io.restassured.RestAssured.given;

import io.quarkus.arc.Arc;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.tessera.orchestrator.tenancy.domain.Role;

/** Organizations of their own for tests about limits, with an admin and a member, and a look into the database. */
public final class Tenants {

    /** The seeded super-admin (organization {@code platform}). */
    public static final String OPERATOR = "operator";

    public static final String OPERATORS = "platform";

    /** A fresh organization and its first users. */
    public record Tenant(String organizationId, String admin, String member) {

        /** Another member, registered now. */
        public String newMember() {
            return TestApi.register(organizationId + "-member-" + UUID.randomUUID(), organizationId, Role.MEMBER);
        }
    }

    private Tenants() {}

    /** A new organization with the given limits (null = unlimited), he-tme 1.0.0, an admin and a member. */
    public static Tenant create(Integer monthlyWsiLimit, Integer maxWsisPerRun, Integer maxParallelRuns) {
        String organizationId = "q" + UUID.randomUUID().toString().substring(0, 8);
        TestApi.registerOrganization(organizationId, monthlyWsiLimit, maxWsisPerRun, maxParallelRuns);
        // Quota and ledger tests run he-tme: it has a price.
        TestApi.assignApplication(organizationId, "he-tme", "1.0.0");
        return new Tenant(
                organizationId,
                TestApi.register(organizationId + "-admin", organizationId, Role.ADMIN),
                TestApi.register(organizationId + "-member", organizationId, Role.MEMBER));
    }

    /** Requests as a user of the organization (the token names it). */
    public static RequestSpecification as(String user, String organizationId) {
        return given().header("Authorization", "Bearer " + TestApi.token(user, organizationId))
                .contentType("application/json");
    }

    public static RequestSpecification asOperator() {
        return as(OPERATOR, OPERATORS);
    }

    /** Submits a run and returns its id (expects 201). */
    public static UUID submit(String user, String organizationId, Map<String, Object> body) {
        String id = as(user, organizationId)
                .body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("run_id");
        return UUID.fromString(id);
    }

    /** A run of the H&E TME application, whose version 1.0.0 the catalogue prices at 4.00 per WSI. */
    public static Map<String, Object> heTmeRun(int items) {
        Map<String, Object> body = TestApi.run("he-tme", "1.0.0", items);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> list = (List<Map<String, Object>>) body.get("items");
        for (Map<String, Object> item : list) {
            @SuppressWarnings("unchecked")
            Map<String, Object> input = ((List<Map<String, Object>>) item.get("input_artifacts")).getFirst();
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = (Map<String, Object>) input.get("metadata");
            metadata.put("staining_method", "H&E");
            metadata.put("specimen", Map.of("disease", "LUNG_CANCER", "tissue", "LUNG"));
        }
        return body;
    }

    /** The rows of a query, each as column name to value. */
    public static List<Map<String, Object>> rows(String sql, Object... params) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int column = 1; column <= rs.getMetaData().getColumnCount(); column++) {
                        row.put(rs.getMetaData().getColumnLabel(column), rs.getObject(column));
                    }
                    rows.add(row);
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql, e);
        }
    }

    /** The first column of the first row, as a long (counts and sums; 0 when null). */
    public static long number(String sql, Object... params) {
        Object value = rows(sql, params).getFirst().values().iterator().next();
        return value == null ? 0 : ((Number) value).longValue();
    }

    public static void execute(String sql, Object... params) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("statement failed: " + sql, e);
        }
    }
}
