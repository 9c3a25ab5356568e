package org.tessera.orchestrator.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.tessera.orchestrator.support.AdminApi.as;
import static org.tessera.orchestrator.support.AdminApi.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.support.ObjectStoreTestResource;
import org.tessera.orchestrator.support.TestApi;
import org.tessera.testkit.JwtTestResource;
import org.tessera.testkit.KafkaTestResource;
import org.tessera.testkit.PostgresTestResource;

/** {@code GET /api/v1/me} against the API 1.8.0 {@code MeReadResponse} schema. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(JwtTestResource.class)
@WithTestResource(ObjectStoreTestResource.class)
class MeApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode schemas;
    private static Schema meReadResponse;

    /** The 1.8.0 document's schemas as JSON Schema 2020-12 definitions, and MeReadResponse among them. */
    @BeforeAll
    static void compileSchema() throws IOException {
        try (InputStream in = MeApiTest.class.getResourceAsStream("/META-INF/openapi.json")) {
            schemas = JSON.readTree(in).path("components").path("schemas");
        }
        ObjectNode document = JSON.createObjectNode();
        document.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        document.set("$defs", schemas);
        document.put("$ref", "#/$defs/MeReadResponse");
        String text = document.toString().replace("#/components/schemas/", "#/$defs/");
        meReadResponse = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(text, InputFormat.JSON);
    }

    private static void assertMatchesTheSchema(String body) throws IOException {
        List<Error> errors = meReadResponse.validate(body, InputFormat.JSON);
        assertThat(errors).as(body).isEmpty();
        JsonNode me = JSON.readTree(body);
        assertThat(fields(me)).containsExactlyInAnyOrderElementsOf(fields(schemas.path("MeReadResponse")));
        assertThat(fields(me.path("user")))
                .as("every UserReadResponse field, present even when null")
                .containsExactlyInAnyOrderElementsOf(fields(schemas.path("UserReadResponse")));
        assertThat(fields(me.path("organization")))
                .containsExactlyInAnyOrderElementsOf(fields(schemas.path("OrganizationReadResponse")));
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        (node.has("properties") ? node.path("properties") : node).fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void meMatchesTheMeReadResponseSchemaWithTheUsersOwnRecords() throws IOException {
        String body = as("demo-admin", "demo")
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("user.id", equalTo("demo-admin"))
                .body("user.email", equalTo("admin@demo.tessera.local"))
                .body("user.name", equalTo("Demo Admin"))
                .body("user.email_verified", nullValue())
                .body("organization.id", equalTo("demo"))
                .body("organization.name", equalTo("Demo Laboratory"))
                .body("organization.aignostics_bucket_name", equalTo("tessera-slides"))
                .body("organization.aignostics_logfire_token", equalTo(""))
                .extract()
                .asString();
        assertMatchesTheSchema(body);
    }

    @Test
    void emailVerifiedComesFromATokenThatCarriesTheUsersEmail() throws IOException {
        String member = TestApi.freshUser();
        String email = member + "@demo.tessera.local";
        String body = given().header(
                        "Authorization",
                        "Bearer " + token(member, "demo", Map.of("email", email, "email_verified", true)))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("user.email", equalTo(email))
                .body("user.email_verified", equalTo(true))
                .extract()
                .asString();
        assertMatchesTheSchema(body);
        given().header(
                        "Authorization",
                        "Bearer "
                                + token(
                                        member,
                                        "demo",
                                        Map.of("email", "other@demo.tessera.local", "email_verified", true)))
                .get("/api/v1/me")
                .then()
                .statusCode(200)
                .body("user.email_verified", nullValue());
    }
}
