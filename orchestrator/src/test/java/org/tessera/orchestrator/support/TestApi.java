package org.tessera.orchestrator.support;

import static io.restassured.RestAssured.given;

import io.quarkus.arc.Arc;
import io.restassured.specification.RequestSpecification;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.tessera.orchestrator.tenancy.domain.Role;
import org.tessera.testkit.JwtTestResource;

/** Requests as a particular user, and run submissions that the catalogue accepts. */
public final class TestApi {

    public static final String ORG = "demo";

    private TestApi() {}

    /**
     * A member of {@link #ORG} nobody else in the test JVM uses, registered with the platform, so that list queries
     * see only this test's runs.
     */
    public static String freshUser() {
        return register("user-" + UUID.randomUUID(), ORG, Role.MEMBER);
    }

    /** Registers a user (subject = id, email on the organization's first domain) directly in the database. */
    public static String register(String userId, String organizationId, Role role) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO app_user (user_id, organization_id, subject, email, role, created_at, updated_at)"
                                + " SELECT ?, ?, ?, ? || '@' || min(domain), ?, now(), now() FROM organization_domain"
                                + " WHERE organization_id = ? ON CONFLICT DO NOTHING")) {
            insert.setString(1, userId);
            insert.setString(2, organizationId);
            insert.setString(3, userId);
            insert.setString(4, userId);
            insert.setString(5, role.name());
            insert.setString(6, organizationId);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register test user " + userId, e);
        }
        return userId;
    }

    /**
     * Creates an organization (if missing) with one email domain ({@code <id>.test.tessera.local}) and the given
     * limits (null = unlimited), directly in the database.
     */
    public static String registerOrganization(
            String organizationId, Integer monthlyWsiLimit, Integer maxWsisPerRun, Integer maxParallelRuns) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement org = c.prepareStatement(
                        "INSERT INTO organization (organization_id, name, monthly_wsi_limit, max_wsis_per_run,"
                                + " max_parallel_runs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, now(), now())"
                                + " ON CONFLICT DO NOTHING");
                PreparedStatement domain =
                        c.prepareStatement("INSERT INTO organization_domain (domain, organization_id) VALUES (?, ?)"
                                + " ON CONFLICT DO NOTHING")) {
            org.setString(1, organizationId);
            org.setString(2, "Test organization " + organizationId);
            org.setObject(3, monthlyWsiLimit);
            org.setObject(4, maxWsisPerRun);
            org.setObject(5, maxParallelRuns);
            org.executeUpdate();
            domain.setString(1, organizationId.toLowerCase(java.util.Locale.ROOT) + ".test.tessera.local");
            domain.setString(2, organizationId);
            domain.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot register test organization " + organizationId, e);
        }
        return organizationId;
    }

    /** Gives the organization an application version, directly in the database (as a super-admin's assignment would). */
    public static void assignApplication(String organizationId, String applicationId, String versionNumber) {
        DataSource dataSource = Arc.container().instance(DataSource.class).get();
        try (Connection c = dataSource.getConnection();
                PreparedStatement assign = c.prepareStatement(
                        "INSERT INTO organization_application_version (organization_id, application_id,"
                                + " version_number, assigned_at, assigned_by) VALUES (?, ?, ?, now(), 'test')"
                                + " ON CONFLICT DO NOTHING")) {
            assign.setString(1, organizationId);
            assign.setString(2, applicationId);
            assign.setString(3, versionNumber);
            assign.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot assign " + applicationId + " to " + organizationId, e);
        }
    }

    /** A token for a user of the given organization, with a second factor. */
    public static String token(String user, String organizationId) {
        return JwtTestResource.issuer().token(user, organizationId, "member");
    }

    /** A token of {@link #ORG}'s user, with a second factor. */
    public static String token(String user) {
        return JwtTestResource.issuer().token(user, ORG, "member");
    }

    public static RequestSpecification as(String user) {
        return given().header("Authorization", "Bearer " + token(user)).contentType("application/json");
    }

    public static Map<String, Object> slideMetadata() {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("checksum_base64_crc32c", "AAAAAA==");
        metadata.put("width_px", 40_000);
        metadata.put("height_px", 30_000);
        metadata.put("resolution_mpp", 0.25);
        metadata.put("media_type", "image/tiff");
        return metadata;
    }

    public static Map<String, Object> item(String externalId) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "whole_slide_image");
        input.put("download_url", "https://slides.example.org/" + externalId + ".tiff?sig=abc");
        input.put("metadata", slideMetadata());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("external_id", externalId);
        item.put("input_artifacts", List.of(input));
        return item;
    }

    public static Map<String, Object> run(String applicationId, String version, int items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("application_id", applicationId);
        if (version != null) {
            body.put("version_number", version);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(item("slide-" + i));
        }
        body.put("items", list);
        return body;
    }

    public static Map<String, Object> testRun(int items) {
        return run("test-app", null, items);
    }

    /** Submits a run and returns its id. */
    public static UUID submit(String user, Map<String, Object> body) {
        String id = as(user).body(body)
                .post("/api/v1/runs")
                .then()
                .statusCode(201)
                .extract()
                .path("run_id");
        return UUID.fromString(id);
    }
}
