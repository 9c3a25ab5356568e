package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AsyncApiDocumentTest {

    private static final Path DOC = ContractSamplesTest.RESOURCES.resolve("asyncapi.yaml");

    @Test
    void everyTopicIsDocumented() throws IOException {
        String doc = Files.readString(DOC);
        for (Field field : Topics.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String topic = (String) readStatic(field);
                assertThat(doc).as("topic %s", topic).contains("address: " + topic);
            }
        }
    }

    @Test
    void everySchemaReferencedExistsAndEveryPayloadTypeIsReferenced() throws IOException {
        String doc = Files.readString(DOC);
        Matcher refs = Pattern.compile("\\$ref: 'schemas/([^']+)'").matcher(doc);
        int count = 0;
        while (refs.find()) {
            assertThat(ContractSamplesTest.RESOURCES.resolve("schemas").resolve(refs.group(1)))
                    .exists();
            count++;
        }
        try (var schemas = Files.list(ContractSamplesTest.RESOURCES.resolve("schemas"))) {
            assertThat(count).isEqualTo((int) schemas.count());
        }
        Arrays.asList(
                        "run.requested",
                        "run.state-changed",
                        "slide.job",
                        "item.started",
                        "item.progress",
                        "item.succeeded",
                        "item.failed",
                        "dead-letter",
                        "ledger.entry")
                .forEach(type -> assertThat(doc).contains("name: " + type));
    }

    @Test
    void everyMessageDocumentsTheTraceContextHeaders() throws IOException {
        String doc = Files.readString(DOC);
        int messages = countOf(doc, "\n      payload:");
        assertThat(messages).isEqualTo(9);
        assertThat(countOf(doc, "\n      headers:\n        $ref: '#/components/schemas/traceContextHeaders'"))
                .isEqualTo(messages);
        assertThat(doc)
                .contains("    traceContextHeaders:")
                .contains("        " + TraceHeaders.TRACEPARENT + ":")
                .contains("        " + TraceHeaders.TRACESTATE + ":");
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static Object readStatic(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
