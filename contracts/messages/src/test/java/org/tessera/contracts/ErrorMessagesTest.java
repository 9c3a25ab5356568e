package org.tessera.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** error-messages.json says every error code in plain words, so that the dashboard never shows a bare code. */
class ErrorMessagesTest {

    @Test
    void everyErrorCodeHasAPlainSentence() throws Exception {
        JsonNode messages;
        try (InputStream in = ErrorCodes.class.getResourceAsStream("error-messages.json")) {
            messages = new ObjectMapper().readTree(in);
        }
        List<String> missing = new ArrayList<>();
        for (Field field : ErrorCodes.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                String code = (String) field.get(null);
                JsonNode sentence = messages.get(code);
                if (sentence == null
                        || !sentence.isTextual()
                        || !sentence.asText().endsWith(".")) {
                    missing.add(code);
                }
            }
        }
        assertThat(missing)
                .as("codes without a sentence in error-messages.json")
                .isEmpty();
    }
}
