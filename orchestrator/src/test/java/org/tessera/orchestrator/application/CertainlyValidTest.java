package org.tessera.orchestrator.application;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.common.Json;

/**
 * The quick yes never differs from the full validator: thousands of metadata objects, valid ones and ones broken in
 * the ways clients break them (missing, extra and mistyped fields, bounds met exactly or missed by less than a double
 * can tell, decimals for integers, a checksum followed by a newline), for every input schema of the catalogue.
 */
class CertainlyValidTest {

    private static final List<JsonNode> VALUES = List.of(
            Json.mapper().getNodeFactory().numberNode(0),
            Json.mapper().getNodeFactory().numberNode(1),
            Json.mapper().getNodeFactory().numberNode(-1),
            Json.mapper().getNodeFactory().numberNode(40_000),
            Json.mapper().getNodeFactory().numberNode(1L << 40),
            Json.mapper().getNodeFactory().numberNode(new BigInteger("123456789012345678901234567890")),
            Json.mapper().getNodeFactory().numberNode(new BigDecimal("1.0")),
            Json.mapper().getNodeFactory().numberNode(new BigDecimal("1.5")),
            Json.mapper().getNodeFactory().numberNode(new BigDecimal("0.08")),
            Json.mapper().getNodeFactory().numberNode(new BigDecimal("0.0799999999999999999999")),
            Json.mapper().getNodeFactory().numberNode(new BigDecimal("0.25")),
            Json.mapper().getNodeFactory().numberNode(new BigDecimal("0.55")),
            Json.mapper().getNodeFactory().numberNode(new BigDecimal("0.5500000000000000000001")),
            Json.mapper().getNodeFactory().numberNode(new BigDecimal("0.56")),
            Json.mapper().getNodeFactory().textNode("AAAAAA=="),
            Json.mapper().getNodeFactory().textNode("AAAAAA==\n"),
            Json.mapper().getNodeFactory().textNode("AAAAAAA=="),
            Json.mapper().getNodeFactory().textNode(""),
            Json.mapper().getNodeFactory().textNode("image/tiff"),
            Json.mapper().getNodeFactory().textNode("image/png"),
            Json.mapper().getNodeFactory().textNode("H&E"),
            Json.mapper().getNodeFactory().textNode("IHC"),
            Json.mapper().getNodeFactory().textNode("LUNG"),
            Json.mapper().getNodeFactory().textNode("LUNG_CANCER"),
            Json.mapper().getNodeFactory().textNode("10"),
            Json.mapper().getNodeFactory().textNode("äöü\u00e9"),
            Json.mapper().getNodeFactory().booleanNode(true),
            Json.mapper().getNodeFactory().nullNode(),
            Json.mapper().createArrayNode().add("LUNG"),
            Json.mapper().createObjectNode(),
            Json.mapper().createObjectNode().put("disease", "LUNG_CANCER").put("tissue", "LUNG"),
            Json.mapper().createObjectNode().put("disease", "LUNG_CANCER"),
            Json.mapper()
                    .createObjectNode()
                    .put("disease", "LUNG_CANCER")
                    .put("tissue", "LUNG")
                    .put("grade", 2));

    @Test
    void aQuickYesIsAlwaysTheFullValidatorsYes() throws IOException {
        int schemas = 0;
        for (JsonNode schema : catalogueInputSchemas()) {
            schemas++;
            MetadataSchema full = MetadataSchema.fullOnly(schema);
            assertThat(MetadataSchema.compile(schema).hasQuickCheck())
                    .as("the catalogue's schemas are in the quick subset")
                    .isTrue();
            CertainlyValid quick = CertainlyValid.compile(schema).orElseThrow();
            ObjectNode valid = validInstance(schema);
            assertThat(full.validate(valid)).isEmpty();
            Random random = new Random(7);
            int quickYes = 0;
            int fullYes = 0;
            for (int i = 0; i < 4_000; i++) {
                ObjectNode instance = valid.deepCopy();
                List<String> names = new ArrayList<>();
                schema.path("properties").fieldNames().forEachRemaining(names::add);
                names.add("extra_field");
                for (int m = random.nextInt(3); m > 0; m--) {
                    String name = names.get(random.nextInt(names.size()));
                    if (random.nextInt(4) == 0) {
                        instance.remove(name);
                    } else {
                        instance.set(name, VALUES.get(random.nextInt(VALUES.size())));
                    }
                }
                boolean quickSaysValid = quick.test(instance);
                boolean fullSaysValid = full.validate(instance).isEmpty();
                if (quickSaysValid) {
                    assertThat(fullSaysValid).as("quick yes for %s", instance).isTrue();
                }
                if (quickSaysValid) {
                    quickYes++;
                }
                if (fullSaysValid) {
                    fullYes++;
                }
            }
            assertThat(fullYes).as("the sample holds valid instances too").isGreaterThan(100);
            // What the quick check leaves to the full validator among valid instances: decimals written for
            // integers (1.0) and nothing else in this sample.
            assertThat(quickYes).isGreaterThan(fullYes * 8 / 10);
        }
        assertThat(schemas).isGreaterThanOrEqualTo(3);
    }

    @Test
    void schemasOutsideTheSubsetGetNoQuickCheckAndStillValidate() throws IOException {
        JsonNode anyOf = Json.parse("{\"type\":\"object\",\"properties\":{\"a\":{\"anyOf\":[{\"type\":\"string\"}]}}}");
        JsonNode formats = Json.parse("{\"type\":\"string\",\"format\":\"date-time\"}");
        JsonNode openAdditional = Json.parse("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}");
        JsonNode remoteRef = Json.parse("{\"$ref\":\"https://example.org/schema.json\"}");
        for (JsonNode schema : List.of(anyOf, formats, openAdditional)) {
            assertThat(MetadataSchema.compile(schema).hasQuickCheck())
                    .as("%s", schema)
                    .isFalse();
        }
        assertThat(CertainlyValid.compile(remoteRef)).isEmpty();
        assertThat(MetadataSchema.compile(openAdditional).validate(Json.parse("{\"a\": 1}")))
                .extracting(MetadataSchema.Violation::keyword)
                .containsExactly("type");
    }

    @Test
    void anInvalidInstanceStillGetsTheFullValidatorsMessages() throws IOException {
        JsonNode schema = catalogueInputSchemas().getFirst();
        ObjectNode instance = validInstance(schema);
        instance.put("width_px", 0);

        assertThat(MetadataSchema.compile(schema).validate(instance))
                .isEqualTo(MetadataSchema.fullOnly(schema).validate(instance))
                .extracting(MetadataSchema.Violation::keyword)
                .containsExactly("minimum");
    }

    private static ObjectNode validInstance(JsonNode schema) {
        ObjectNode instance = Json.mapper().createObjectNode();
        instance.put("checksum_base64_crc32c", "AAAAAA==");
        instance.put("width_px", 40_000);
        instance.put("height_px", 30_000);
        instance.put("resolution_mpp", new BigDecimal("0.25"));
        instance.put("media_type", "image/tiff");
        if (schema.path("properties").has("staining_method")) {
            instance.put("staining_method", "H&E");
            instance.putObject("specimen").put("disease", "LUNG_CANCER").put("tissue", "LUNG");
        }
        return instance;
    }

    private static List<JsonNode> catalogueInputSchemas() throws IOException {
        try (InputStream in = ApplicationCatalogue.class.getResourceAsStream(ApplicationCatalogue.RESOURCE)) {
            JsonNode catalogue = Json.mapper().readTree(in);
            JsonNode applications = catalogue.isArray() ? catalogue : catalogue.path("applications");
            List<JsonNode> schemas = new ArrayList<>();
            for (JsonNode application : applications) {
                for (JsonNode version : application.path("versions")) {
                    for (JsonNode input : version.path("input_artifacts")) {
                        schemas.add(input.path("metadata_schema"));
                    }
                }
            }
            return schemas;
        }
    }
}
