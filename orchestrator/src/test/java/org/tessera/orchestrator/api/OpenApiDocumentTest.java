package org.tessera.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** {@code GET /q/openapi}: the API 1.8.0 document as it is, plus the admin API. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class OpenApiDocumentTest {

    /** The published 1.8.0 document (shared/reference/aignostics-openapi.PROVENANCE.md). */
    private static final String API_1_8_0_SHA256 = "24877db2c6198645d3c87a1f8dc8aa25571991de41a250e5c4fe59492c6e4802";

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /**
     * Every admin operation this service serves, as {@code METHOD path} in the document's terms: found from the
     * JAX-RS resources themselves, so that an endpoint added later without documentation fails the test.
     */
    private static final List<String> ADMIN_OPERATIONS = adminOperations();

    private static List<String> adminOperations() {
        List<String> operations = new ArrayList<>();
        for (JavaClass resource : new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.tessera.orchestrator")) {
            Class<?> type = resource.reflect();
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null || !classPath.value().startsWith("/api/admin/")) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                HttpMethod verb = Arrays.stream(method.getAnnotations())
                        .map(a -> a.annotationType().getAnnotation(HttpMethod.class))
                        .filter(Objects::nonNull)
                        .findFirst()
                        .orElse(null);
                if (verb == null) {
                    continue;
                }
                Path methodPath = method.getAnnotation(Path.class);
                String path = classPath.value() + (methodPath == null ? "" : "/" + methodPath.value());
                path = path.replaceAll("/+", "/").replaceAll("/$", "").replaceFirst("^/api", "");
                operations.add(verb.value() + " " + path);
            }
        }
        assertThat(operations).as("admin endpoints found").hasSizeGreaterThan(15);
        return operations;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode reference;

    @BeforeAll
    static void readReference() throws IOException, NoSuchAlgorithmException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/openapi.json")) {
            byte[] bytes = in.readAllBytes();
            String sha256 = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            assertThat(sha256)
                    .as("META-INF/openapi.json is the published API 1.8.0 document, unchanged")
                    .isEqualTo(API_1_8_0_SHA256);
            reference = JSON.readTree(bytes);
        }
        assertThat(reference.path("info").path("version").asText()).isEqualTo("1.8.0");
    }

    private static JsonNode served() throws IOException {
        String body = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        return JSON.readTree(body);
    }

    @Test
    void servesEveryOperationOfApi180UnchangedWithoutAToken() throws IOException {
        JsonNode served = served();
        assertThat(served.path("servers")).isEqualTo(reference.path("servers"));
        List<String> missing = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : reference.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (!METHODS.contains(operation.getKey())) {
                    continue;
                }
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                JsonNode actual = served.path("paths").path(path.getKey()).path(operation.getKey());
                if (actual.isMissingNode()) {
                    missing.add(name);
                } else if (!actual.equals(operation.getValue())) {
                    changed.add(name);
                }
            }
        }
        assertThat(missing).as("1.8.0 operations missing from /q/openapi").isEmpty();
        assertThat(changed).as("1.8.0 operations documented differently").isEmpty();
        assertThat(reference.path("paths").size()).isEqualTo(21);
    }

    @Test
    void keepsEverySchemaOfApi180AsItIs() throws IOException {
        JsonNode served = served();
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> schema :
                reference.path("components").path("schemas").properties()) {
            if (!schema.getValue()
                    .equals(served.path("components").path("schemas").path(schema.getKey()))) {
                changed.add(schema.getKey());
            }
        }
        assertThat(changed).as("1.8.0 schemas served differently").isEmpty();
        assertThat(served.path("components").path("securitySchemes"))
                .isEqualTo(reference.path("components").path("securitySchemes"));
    }

    @Test
    void documentsTheAdminApiBesideV1AndNothingTwice() throws IOException {
        JsonNode served = served();
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : served.path("paths").properties()) {
            assertThat(path.getKey())
                    .as("paths are relative to the server /api, as the 1.8.0 ones")
                    .doesNotStartWith("/api/");
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())) {
                    operations.add(operation.getKey().toUpperCase() + " " + path.getKey());
                }
            }
        }
        assertThat(operations).containsAll(ADMIN_OPERATIONS);
        assertThat(operations)
                .as("the 1.8.0 operations and the admin API, nothing else (no v1 operation scanned a second time)")
                .allSatisfy(operation -> assertThat(operation.contains(" /admin/v1/")
                                || reference
                                        .path("paths")
                                        .path(operation.substring(operation.indexOf(' ') + 1))
                                        .has(operation
                                                .substring(0, operation.indexOf(' '))
                                                .toLowerCase()))
                        .as(operation)
                        .isTrue());
    }

    @Test
    void everyAdminOperationHasASummaryAndItsAnswers() throws IOException {
        JsonNode served = served();
        for (Map.Entry<String, JsonNode> path : served.path("paths").properties()) {
            if (!path.getKey().startsWith("/admin/")) {
                continue;
            }
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (METHODS.contains(operation.getKey())) {
                    String name = operation.getKey().toUpperCase() + " " + path.getKey();
                    assertThat(operation.getValue().path("summary").asText())
                            .as(name)
                            .isNotBlank();
                    assertThat(operation.getValue().path("responses").size())
                            .as(name)
                            .isPositive();
                }
            }
        }
    }

    @Test
    void adminOperationsCarrySummariesStatusCodesAndSnakeCaseSchemas() throws IOException {
        JsonNode served = served();
        for (String operation : ADMIN_OPERATIONS) {
            String[] parts = operation.split(" ");
            JsonNode documented = served.path("paths").path(parts[1]).path(parts[0].toLowerCase());
            assertThat(documented.path("summary").asText()).as(operation).isNotBlank();
            assertThat(documented.path("tags").toString()).as(operation).contains("Admin");
            assertThat(documented.path("security").toString()).as(operation).contains("OAuth2AuthorizationCodeBearer");
            assertThat(documented.path("responses").has("401")).as(operation).isTrue();
        }
        JsonNode addUser = served.path("paths")
                .path("/admin/v1/organizations/{organization_id}/users")
                .path("post")
                .path("responses");
        assertThat(addUser.has("201")).isTrue();
        assertThat(addUser.has("402")).isTrue();
        assertThat(addUser.has("403")).isTrue();
        assertThat(addUser.has("404")).isTrue();
        assertThat(addUser.has("409")).isTrue();
        assertThat(addUser.has("422")).isTrue();
        assertThat(served.path("paths")
                        .path("/admin/v1/organizations/{organization_id}/users/{user_id}")
                        .path("delete")
                        .path("responses")
                        .has("204"))
                .isTrue();
        JsonNode schemas = served.path("components").path("schemas");
        assertThat(schemas.path("AdminOrganizationRegistrationRequest")
                        .path("properties")
                        .has("first_admin"))
                .isTrue();
        assertThat(schemas.path("AdminOrganizationRegistrationRequest")
                        .path("properties")
                        .has("max_wsis_per_run"))
                .isTrue();
        assertThat(schemas.path("AdminUser").path("properties").has("user_id")).isTrue();
        assertThat(schemas.path("AdminQuotaError").path("properties").has("quota"))
                .isTrue();
    }
}
