package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every golden sample (of every schema version ever published) validates against its schema, is read by today's
 * code, and survives a round trip through the real serializer unchanged.
 */
class ContractSamplesTest {

    static final Path RESOURCES = Path.of("src/main/resources/org/tessera/contracts");
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.walk(RESOURCES.resolve("samples"))) {
            List<Path> all =
                    files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(all).hasSizeGreaterThanOrEqualTo(8);
            return all.stream();
        }
    }

    static Schema schemaFor(String type, int version) throws IOException {
        Path schema = RESOURCES.resolve("schemas").resolve(type + ".v" + version + ".json");
        assertThat(schema).exists();
        return SCHEMAS.getSchema(Files.readString(schema), InputFormat.JSON);
    }

    static List<Error> validate(String type, int version, String json) throws IOException {
        return schemaFor(type, version).validate(json, InputFormat.JSON);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleValidatesAgainstItsSchema(Path sample) throws IOException {
        String type = sample.getParent().getFileName().toString();
        int version = Integer.parseInt(sample.getFileName().toString().replaceAll("\\D", ""));

        assertThat(validate(type, version, Files.readString(sample))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleIsReadByTodaysCodeAndRoundTripsUnchanged(Path sample) throws IOException {
        byte[] bytes = Files.readAllBytes(sample);
        String type = sample.getParent().getFileName().toString();

        Envelope<Payload> envelope = ContractsJson.read(bytes);

        assertThat(envelope.type()).isEqualTo(type);
        assertThat(envelope.payload().type()).isEqualTo(type);
        JsonNode original = ContractsJson.mapper().readTree(bytes);
        JsonNode written = ContractsJson.mapper().readTree(ContractsJson.toBytes(envelope));
        assertThat(written).isEqualTo(original);
        assertThat(validate(
                        type,
                        Envelope.CURRENT_SCHEMA_VERSION,
                        new String(ContractsJson.toBytes(envelope), StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void schemaRejectsASampleMissingItsPayload(Path sample) throws IOException {
        String type = sample.getParent().getFileName().toString();
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode)
                ContractsJson.mapper().readTree(Files.readAllBytes(sample));
        tree.remove("payload");

        assertThat(validate(type, 1, tree.toString())).isNotEmpty();
    }
}
