package org.tessera.orchestrator.common.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tessera.orchestrator.common.FieldError;

class JsonBodyTest {

    private static JsonBody body(String json) {
        return JsonBody.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static List<FieldError> errorsOf(JsonBody body) {
        try {
            body.throwIfInvalid();
            return List.of();
        } catch (ValidationFailedException e) {
            return e.errors();
        }
    }

    private enum Colour {
        RED,
        GREEN
    }

    @Test
    void absentAndNullAreToldApartAndBothReadAsNoValue() {
        JsonBody body = body("{\"limit\": null}");
        assertThat(body.has("limit")).isTrue();
        assertThat(body.has("other")).isFalse();
        assertThat(body.optionalInteger("limit", 0, 10)).isNull();
        assertThat(body.optionalText("other", 10)).isNull();
        assertThat(errorsOf(body)).isEmpty();
    }

    @Test
    void readsValidValuesTrimmedAndCaseInsensitiveEnums() {
        JsonBody body = body("{\"name\": \"  Lab  \", \"n\": 7, \"on\": false, \"c\": \"green\", \"l\": [\"a\", \"b\"],"
                + " \"o\": {\"x\": \"y\"}}");
        assertThat(body.requiredText("name", 10)).isEqualTo("Lab");
        assertThat(body.optionalInteger("n", 1, 7)).isEqualTo(7);
        assertThat(body.requiredBoolean("on")).isFalse();
        assertThat(body.requiredEnum("c", Colour.class)).isEqualTo(Colour.GREEN);
        assertThat(body.requiredTexts("l")).containsExactly("a", "b");
        assertThat(body.requiredObject("o").requiredText("x", 5)).isEqualTo("y");
        assertThat(errorsOf(body)).isEmpty();
    }

    @Test
    void collectsEveryErrorWithItsLocationAndType() {
        JsonBody body = body("{\"name\": \" \", \"n\": 0, \"m\": 1.5, \"big\": 99999999999, \"on\": \"yes\","
                + " \"c\": \"blue\", \"l\": [1], \"e\": [], \"o\": {\"x\": 3}, \"typo\": 1}");
        body.acceptOnly(Set.of("name", "n", "m", "big", "on", "c", "l", "e", "o", "missing"));
        body.requiredText("name", 10);
        body.optionalInteger("n", 1, 5);
        body.optionalInteger("m", 1, 5);
        body.optionalInteger("big", 1, Integer.MAX_VALUE);
        body.optionalBoolean("on");
        body.optionalEnum("c", Colour.class);
        body.requiredTexts("l");
        body.requiredTexts("e");
        body.requiredObject("o").requiredText("x", 5);
        body.requiredText("missing", 5);
        assertThat(errorsOf(body))
                .extracting(FieldError::loc, FieldError::type)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "typo"), "extra_forbidden"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "name"), "string_too_short"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "n"), "greater_than_equal"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "m"), "int_type"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "big"), "int_type"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "on"), "bool_type"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "c"), "enum"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "l", 0), "string_type"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "e"), "list_type"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "o", "x"), "string_type"),
                        org.assertj.core.groups.Tuple.tuple(List.of("body", "missing"), "missing"));
        assertThat(errorsOf(body))
                .filteredOn(e -> e.type().equals("enum"))
                .singleElement()
                .satisfies(e -> assertThat(e.msg())
                        .startsWith("c: ")
                        .contains("RED, GREEN")
                        .contains("blue"));
    }

    @Test
    void theBodyMustBeAJsonObject() {
        assertThatThrownBy(() -> body("[]"))
                .isInstanceOfSatisfying(
                        ValidationFailedException.class,
                        e -> assertThat(e.errors().getFirst().type()).isEqualTo("model_attributes_type"));
        assertThatThrownBy(() -> body("{\"a\":"))
                .isInstanceOfSatisfying(
                        ValidationFailedException.class,
                        e -> assertThat(e.errors().getFirst().type()).isEqualTo("json_invalid"));
        assertThatThrownBy(() -> JsonBody.parse(null)).isInstanceOf(ValidationFailedException.class);
    }
}
