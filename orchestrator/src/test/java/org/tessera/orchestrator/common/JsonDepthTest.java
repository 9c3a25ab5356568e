package org.tessera.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** The metadata depth limit: the quick test agrees with the exact count around the limit. */
class JsonDepthTest {

    /** {@code levels} levels, objects and arrays in turn, each object with a one-element array beside the next level. */
    private static JsonNode nested(int levels) {
        String open = "";
        String close = "";
        for (int i = 0; i < levels; i++) {
            if (i % 2 == 0) {
                open += "{\"flat\": [1], \"a\": ";
                close = "}" + close;
            } else {
                open += "[true, ";
                close = "]" + close;
            }
        }
        return Json.parse(open + "1" + close);
    }

    @Test
    void theQuickTestAgreesWithTheExactDepth() {
        for (int levels = 0; levels <= Json.MAX_METADATA_DEPTH + 3; levels++) {
            JsonNode node = nested(levels);
            // An object's "flat" array is one level below it: the deepest level is an array.
            assertThat(Json.depth(node)).isEqualTo(levels % 2 == 1 ? levels + 1 : levels);
            for (int limit = 0; limit <= levels + 1; limit++) {
                assertThat(Json.deeperThan(node, limit))
                        .as("%d levels against a limit of %d", levels, limit)
                        .isEqualTo(Json.depth(node) > limit);
            }
        }
    }

    @Test
    void metadataAtTheLimitPassesAndOneLevelMoreIsNamed() {
        assertThat(Json.tooDeep(nested(Json.MAX_METADATA_DEPTH))).isNull();
        assertThat(Json.tooDeep(nested(Json.MAX_METADATA_DEPTH + 2)))
                .isEqualTo("is nested 66 levels deep; metadata may nest objects and arrays at most 64 levels deep");
        assertThat(Json.tooDeep(nested(Json.MAX_METADATA_DEPTH + 1))).startsWith("is nested 66 levels deep");
        assertThat(Json.tooDeep(null)).isNull();
    }
}
